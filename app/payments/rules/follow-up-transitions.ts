import type { FollowUpRejectionCode, FollowUpStatus } from "@prisma/client";

/**
 * Refund, capture and void sessions share one life: RECEIVED, then RESOLVED or
 * REJECTED for good. Repeating the transition that already happened is a no-op
 * (Shopify and our own worker retry); moving a final session elsewhere is an error.
 */
export type FollowUpEvent = "resolve" | "reject";

export class InvalidTransitionError extends Error {
  override name = "InvalidTransitionError";

  constructor(
    readonly sessionKind: string,
    readonly from: string,
    readonly event: string,
  ) {
    super(`A ${sessionKind} session that is ${from} cannot take the "${event}" transition; its outcome is already decided.`);
  }
}

const TARGET: Record<FollowUpEvent, FollowUpStatus> = { resolve: "RESOLVED", reject: "REJECTED" };

/** The status after `event`, or the current status when the event already happened. */
export function nextFollowUpStatus(sessionKind: string, from: FollowUpStatus, event: FollowUpEvent): FollowUpStatus {
  const to = TARGET[event];
  if (from === "RECEIVED" || from === to) return to;
  throw new InvalidTransitionError(sessionKind, from, event);
}

export type FollowUpKind = "refund" | "capture" | "void";

/**
 * The reasons Shopify's reject mutation takes for each kind (the schema's enums, §7.7):
 * refunds and voids know only PROCESSING_ERROR; captures also AUTHORIZATION_EXPIRED.
 * Staff choose from these; the delivery sends a stored code only when its kind knows it.
 */
export const FOLLOW_UP_REJECTION_CODES: Readonly<Record<FollowUpKind, FollowUpRejectionCode[]>> = {
  refund: ["PROCESSING_ERROR"],
  capture: ["PROCESSING_ERROR", "AUTHORIZATION_EXPIRED"],
  void: ["PROCESSING_ERROR"],
};

/** The reason to send Shopify for a stored rejection code of a `kind` session. */
export function followUpRejectionCodeFor(kind: FollowUpKind, stored: FollowUpRejectionCode | null): FollowUpRejectionCode {
  return stored && FOLLOW_UP_REJECTION_CODES[kind].includes(stored) ? stored : "PROCESSING_ERROR";
}
