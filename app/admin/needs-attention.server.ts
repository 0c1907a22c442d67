import type { PaymentKind, PaymentStatus, Prisma } from "@prisma/client";
import type { Db } from "../db.server";

/**
 * The one rule of "needs attention": a payment needs someone when
 *  - it is pending (Shopify waits for its outcome),
 *  - a delivery of one of its outcomes to Shopify is retrying after a failed
 *    attempt, or failed for good (dead, or refused by Shopify),
 *  - one of its refunds, captures or voids is waiting for staff: the provider
 *    left it undecided (no answer) and it is still not resolved or rejected,
 *  - or it is an authorization about to lapse with nothing captured and no void
 *    under way.
 * The list's filter (a query) and each row's badges (reasons) both come from here.
 *
 * Each part is an index search per shop: deliveries on [shop, status], follow-ups
 * on [shop, status, providerUndecidedAt], expiring authorizations on
 * [shop, status, kind, authorizationExpiresAt]; the first two give payment ids.
 */

/** How far ahead an expiring authorization counts as needing attention. */
export const ATTENTION_WINDOW_MS = 24 * 3_600_000;

export type AttentionReason = "pending" | "delivery-retrying" | "delivery-failed" | "follow-up-waiting" | "authorization-expiring";

/** The shop's payments that need attention for something outside their own row. */
export interface AttentionFacts {
  deliveryRetrying: Set<string>;
  deliveryFailed: Set<string>;
  followUpWaiting: Set<string>;
}

export async function loadAttentionFacts(db: Db, shop: string): Promise<AttentionFacts> {
  const [deliveries, followUps] = await Promise.all([troubledDeliveries(db, shop), followUpsWaitingForStaff(db, shop)]);
  return { ...deliveries, followUpWaiting: followUps };
}

/** Deliveries that need someone: still retrying after a failed attempt, dead, or refused by Shopify. */
async function troubledDeliveries(db: Db, shop: string): Promise<Pick<AttentionFacts, "deliveryRetrying" | "deliveryFailed">> {
  const rows = await db.delivery.findMany({
    where: { shop, OR: [{ status: { in: ["DEAD", "FAILED"] } }, { status: "PENDING", attempts: { gt: 0 } }] },
    select: {
      status: true,
      paymentSessionId: true,
      refundSession: { select: { paymentSessionId: true } },
      captureSession: { select: { paymentSessionId: true } },
      voidSession: { select: { paymentSessionId: true } },
    },
  });
  const troubled = { deliveryRetrying: new Set<string>(), deliveryFailed: new Set<string>() };
  for (const row of rows) {
    const paymentId = row.paymentSessionId ?? row.refundSession?.paymentSessionId ?? row.captureSession?.paymentSessionId ?? row.voidSession?.paymentSessionId;
    if (paymentId) (row.status === "PENDING" ? troubled.deliveryRetrying : troubled.deliveryFailed).add(paymentId);
  }
  return troubled;
}

/** Payments with a refund, capture or void the provider left undecided and nobody settled yet. */
async function followUpsWaitingForStaff(db: Db, shop: string): Promise<Set<string>> {
  const where = { shop, status: "RECEIVED" as const, providerUndecidedAt: { not: null } };
  const select = { paymentSessionId: true } as const;
  const [refunds, captures, voids] = await Promise.all([
    db.refundSession.findMany({ where, select }),
    db.captureSession.findMany({ where, select }),
    db.voidSession.findMany({ where, select }),
  ]);
  return new Set([...refunds, ...captures, ...voids].map((row) => row.paymentSessionId));
}

/** The list's filter: every payment of the shop that needs attention at `now`. */
export function attentionWhere(shop: string, facts: AttentionFacts, now: Date): Prisma.PaymentSessionWhereInput {
  // Each disjunct names the shop, so SQLite answers it with one index search per disjunct.
  return {
    OR: [
      { shop, status: "PENDING" },
      { shop, id: { in: [...facts.deliveryRetrying, ...facts.deliveryFailed, ...facts.followUpWaiting] } },
      expiringAuthorizationWhere(shop, now),
    ],
  };
}

// An authorization about to lapse with nothing captured and no void under way.
export function expiringAuthorizationWhere(shop: string, now: Date): Prisma.PaymentSessionWhereInput {
  return {
    shop,
    status: "RESOLVED",
    kind: "AUTHORIZATION",
    authorizationExpiresAt: { gt: now, lte: new Date(now.getTime() + ATTENTION_WINDOW_MS) },
    captureSessions: { none: { status: { not: "REJECTED" } } },
    voidSessions: { none: { status: { not: "REJECTED" } } },
  };
}

export interface AttentionSubject {
  id: string;
  status: PaymentStatus;
  kind: PaymentKind;
  authorizationExpiresAt: Date | null;
  /** Captures and voids not rejected: while one exists, an authorization is not lapsing unused. */
  capturesOrVoidsUnderWay: number;
}

/** Why one payment needs attention (empty when it does not): the same rule as attentionWhere. */
export function attentionReasons(payment: AttentionSubject, facts: AttentionFacts, now: Date): AttentionReason[] {
  const reasons: AttentionReason[] = [];
  if (payment.status === "PENDING") reasons.push("pending");
  if (facts.deliveryFailed.has(payment.id)) reasons.push("delivery-failed");
  else if (facts.deliveryRetrying.has(payment.id)) reasons.push("delivery-retrying");
  if (facts.followUpWaiting.has(payment.id)) reasons.push("follow-up-waiting");
  const expiresAt = payment.authorizationExpiresAt?.getTime();
  if (payment.status === "RESOLVED" && payment.kind === "AUTHORIZATION" && expiresAt && expiresAt > now.getTime() && expiresAt <= now.getTime() + ATTENTION_WINDOW_MS && payment.capturesOrVoidsUnderWay === 0) {
    reasons.push("authorization-expiring");
  }
  return reasons;
}
