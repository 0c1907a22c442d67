import type { PaymentFacts } from "./payment-facts";

/**
 * A payment's status in a merchant's words, from its facts: Shopify's admin
 * says "Authorized", "Paid", "Partially refunded"…, not the session states the
 * Payments Apps API speaks (RESOLVED, REJECTED). One rule, asked for by every page.
 */
export type PaymentStatusWord =
  | "Awaiting payment"
  | "Pending"
  | "Failed"
  | "Abandoned"
  | "Authorized"
  | "Partially captured"
  | "Paid"
  | "Partially refunded"
  | "Refunded"
  | "Voided";

export type PaymentStatusTone = "info" | "attention" | "success" | "critical" | undefined;

export function paymentStatusWord(facts: Pick<PaymentFacts, "kind" | "amountMinor" | "capturedMinor" | "refundedMinor" | "voided"> & { status: string }): PaymentStatusWord {
  switch (facts.status) {
    case "OPEN":
      return "Awaiting payment";
    case "PENDING":
      return "Pending";
    case "REJECTED":
      return "Failed";
    case "ABANDONED":
      return "Abandoned";
  }
  if (facts.voided) return "Voided";
  // A sale takes the whole amount when it resolves; an authorization only what was captured.
  const taken = facts.kind === "SALE" ? facts.amountMinor : facts.capturedMinor;
  if (taken > 0n && facts.refundedMinor >= taken) return "Refunded";
  if (facts.refundedMinor > 0n) return "Partially refunded";
  if (facts.kind === "AUTHORIZATION") {
    if (facts.capturedMinor === 0n) return "Authorized";
    if (facts.capturedMinor < facts.amountMinor) return "Partially captured";
  }
  return "Paid";
}

export const PAYMENT_STATUS_WORD_TONE: Record<PaymentStatusWord, PaymentStatusTone> = {
  "Awaiting payment": "info",
  Pending: "attention",
  Failed: "critical",
  Abandoned: undefined,
  Authorized: "attention",
  "Partially captured": "success",
  Paid: "success",
  "Partially refunded": "info",
  Refunded: undefined,
  Voided: undefined,
};
