import type { FollowUpStatus } from "@prisma/client";

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
