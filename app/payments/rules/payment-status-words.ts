import type { FollowUpStatus, PaymentKind, PaymentStatus } from "@prisma/client";

/**
 * A payment's status in a merchant's words, the words Shopify's own admin uses.
 * The stored status says where the session is in Shopify's protocol (OPEN,
 * PENDING, RESOLVED, REJECTED); a merchant wants to know what happened to the
 * money, which also depends on the refunds, captures and voids recorded since.
 * Stated once here: the payments list, its filters and the payment page all ask.
 */
export const PAYMENT_STATUS_WORDS = ["Open", "Abandoned", "Pending", "Authorized", "Paid", "Partially refunded", "Refunded", "Voided", "Failed"] as const;
export type PaymentStatusWord = (typeof PAYMENT_STATUS_WORDS)[number];

export interface PaymentStatusFacts {
  status: PaymentStatus;
  kind: PaymentKind;
  amountMinor: bigint;
  /** When the buyer's payment link stops working (decision 0014). */
  linkExpiresAt: Date;
  /** Sums of the follow-ups Shopify accepted (RESOLVED), in the payment's minor units. */
  capturedMinor: bigint;
  refundedMinor: bigint;
  voided: boolean;
}

/**
 * When the buyer's link of a payment received at `receivedAt` expires: the
 * same arithmetic as the link's own token (buyer-link.server.ts), so the list
 * calls a payment abandoned exactly when its link stops opening.
 */
export function paymentLinkExpiresAt(receivedAt: Date, linkTtlHours: number): Date {
  return new Date((Math.floor(receivedAt.getTime() / 1000) + linkTtlHours * 3600) * 1000);
}

/**
 * The latest `receivedAt` of a payment whose link has expired at `now`: the
 * list filters "Abandoned" as OPEN with receivedAt at or before this instant,
 * a range on the index [shop, status, receivedAt, id].
 */
export function abandonedReceivedBefore(now: Date, linkTtlHours: number): Date {
  // Expiry = floor(received / 1 s) + ttl ≤ now  ⇔  received < floor(now / 1 s) − ttl + 1 s.
  return new Date((Math.floor(now.getTime() / 1000) - linkTtlHours * 3600 + 1) * 1000 - 1);
}

export function paymentStatusWord(facts: PaymentStatusFacts, now: Date): PaymentStatusWord {
  switch (facts.status) {
    case "OPEN":
      return facts.linkExpiresAt.getTime() <= now.getTime() ? "Abandoned" : "Open";
    case "PENDING":
      return "Pending";
    case "REJECTED":
      return "Failed";
    case "RESOLVED":
      break;
  }
  if (facts.kind === "AUTHORIZATION") {
    if (facts.capturedMinor === 0n) return facts.voided ? "Voided" : "Authorized";
  }
  // What the buyer paid: the whole sale, or what was captured of an authorization.
  const paid = facts.kind === "SALE" ? facts.amountMinor : facts.capturedMinor;
  if (facts.refundedMinor <= 0n) return "Paid";
  return facts.refundedMinor >= paid ? "Refunded" : "Partially refunded";
}

/** Totals of a payment's follow-ups from their rows: only what Shopify accepted counts. */
export function settledFollowUps(rows: {
  captures: { amountMinor: bigint; status: FollowUpStatus }[];
  refunds: { amountMinor: bigint; status: FollowUpStatus }[];
  voids: { status: FollowUpStatus }[];
}): Pick<PaymentStatusFacts, "capturedMinor" | "refundedMinor" | "voided"> {
  const sum = (list: { amountMinor: bigint; status: FollowUpStatus }[]) => list.reduce((total, row) => (row.status === "RESOLVED" ? total + row.amountMinor : total), 0n);
  return { capturedMinor: sum(rows.captures), refundedMinor: sum(rows.refunds), voided: rows.voids.some((row) => row.status === "RESOLVED") };
}

export type StatusTone = "info" | "attention" | "success" | "critical" | undefined;

/** The badge tone of each word, as Shopify's admin colours its payment statuses. */
export const PAYMENT_STATUS_WORD_TONE: Record<PaymentStatusWord, StatusTone> = {
  Open: "info",
  Abandoned: undefined,
  Pending: "attention",
  Authorized: "attention",
  Paid: "success",
  "Partially refunded": "info",
  Refunded: undefined,
  Voided: undefined,
  Failed: "critical",
};
