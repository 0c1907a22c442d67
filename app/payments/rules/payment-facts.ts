import type { FollowUpRejectionCode, PaymentKind, PaymentStatus, RuleViolation } from "@prisma/client";
import { formatAmount, type Money } from "./money";

/**
 * What the rules for refunds, captures and voids need to know about a payment,
 * read inside the transaction that records the new session. Totals are computed
 * from the session rows, never kept as running counters.
 */
export interface PaymentFacts {
  kind: PaymentKind;
  status: PaymentStatus;
  currency: string;
  test: boolean;
  amountMinor: bigint;
  authorizationExpiresAt: Date | null;
  /** Captures Shopify confirmed as taken (RESOLVED). */
  capturedMinor: bigint;
  /** Captures not rejected: resolved plus those still being processed. */
  captureCommitmentsMinor: bigint;
  /** Refunds Shopify confirmed as done (RESOLVED). */
  refundedMinor: bigint;
  /** Refunds not rejected: resolved plus those still being processed. */
  refundCommitmentsMinor: bigint;
  /** A void that was not rejected exists. */
  voided: boolean;
}

/** The request fields every follow-up rule looks at. */
export interface FollowUpRequest {
  money?: Money;
  test: boolean;
}

export type FollowUpDecision =
  | { outcome: "accept" }
  | { outcome: "reject"; rule: RuleViolation; code: FollowUpRejectionCode; message: string };

export const ACCEPT: FollowUpDecision = { outcome: "accept" };

export function reject(rule: RuleViolation, message: string, code: FollowUpRejectionCode = "PROCESSING_ERROR"): FollowUpDecision {
  return { outcome: "reject", rule, code, message };
}

/** The rules every refund, capture and void shares: same mode, same currency, a settled payment. */
export function checkCommonRules(payment: PaymentFacts, request: FollowUpRequest, action: string): FollowUpDecision | null {
  if (payment.status !== "RESOLVED") {
    return reject("PAYMENT_NOT_RESOLVED", `The payment is ${payment.status.toLowerCase()}, so it cannot be ${action}.`);
  }
  if (payment.test !== request.test) {
    return reject(
      "TEST_MODE_MISMATCH",
      `The payment is a ${payment.test ? "test" : "live"} payment; a ${request.test ? "test" : "live"} request cannot change it.`,
    );
  }
  if (request.money && request.money.currency !== payment.currency) {
    return reject(
      "CURRENCY_MISMATCH",
      `The payment is in ${payment.currency}; the request is in ${request.money.currency}.`,
    );
  }
  return null;
}

export function describe(minor: bigint, currency: string): string {
  return `${formatAmount({ minor, currency })} ${currency}`;
}
