import type { PaymentRejectionCode, PaymentSession, PendingReason } from "@prisma/client";
import { recordAudit, type AuditInput } from "../../audit/audit-trail.server";
import { providerOf } from "../../db/prisma-client";
import type { Db } from "../../db.server";
import { enqueueDelivery } from "./outcome-outbox.server";
import { nextPaymentStatus } from "../rules/payment-transitions";

/**
 * A payment's outcome, decided by the provider or by staff, applied in one
 * transaction with the delivery that will report it to Shopify. Repeating an
 * outcome that already happened changes nothing (the provider and the worker
 * may both report it); a conflicting one throws InvalidTransitionError.
 */
export type PaymentOutcome =
  | { kind: "resolve"; authorizationExpiresAt: Date | null; providerReference: string | null }
  | { kind: "reject"; code: PaymentRejectionCode; message: string; providerReference: string | null }
  | { kind: "pend"; reason: PendingReason; pendingExpiresAt: Date; checkAt: Date; providerReference: string | null };

export async function applyPaymentOutcome(
  db: Db,
  paymentId: string,
  outcome: PaymentOutcome,
  now = new Date(),
  /** A staff action: recorded with the change, in its transaction (nothing when nothing changed). */
  audit?: Omit<AuditInput, "beforeState" | "afterState" | "paymentSessionId" | "subject">,
): Promise<PaymentSession> {
  const lockCheckout = providerOf(db) === "postgresql";
  return db.$transaction(async (tx) => {
    // Write first (app/db/write-first.ts), then the current state.
    await tx.paymentSession.update({ where: { id: paymentId }, data: { ledgerVersion: { increment: 1 } } });
    const payment = await tx.paymentSession.findUniqueOrThrow({ where: { id: paymentId } });
    let effective = outcome;
    if (outcome.kind === "resolve") {
      // One checkout (group) may succeed once: a second tab's payment is refused.
      // SQLite's single writer already serializes this check; on PostgreSQL each
      // transaction holds only its own payment's row lock, so the checkout is
      // locked too (an advisory lock until commit; the loser then reads the winner).
      if (lockCheckout) {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${payment.shop}\n${payment.group}`}, 0))`;
      }
      const winner = await tx.paymentSession.findFirst({
        where: { shop: payment.shop, group: payment.group, status: "RESOLVED", id: { not: payment.id } },
        select: { shopifyId: true },
      });
      if (winner) {
        effective = {
          kind: "reject",
          code: "PROCESSING_ERROR",
          message: `Another payment of this checkout (${winner.shopifyId}) already succeeded.`,
          providerReference: outcome.providerReference,
        };
      }
    }
    const status = nextPaymentStatus(payment.status, effective.kind);
    if (status === payment.status) return payment;
    if (audit) {
      await recordAudit(tx, { ...audit, paymentSessionId: payment.id, subject: payment.gid, beforeState: payment.status, afterState: status }, now);
    }

    switch (effective.kind) {
      case "resolve":
        await enqueueDelivery(tx, "PAYMENT_RESOLVE", payment, now);
        return tx.paymentSession.update({
          where: { id: payment.id },
          data: {
            status,
            resolvedAt: now,
            authorizationExpiresAt: payment.kind === "AUTHORIZATION" ? effective.authorizationExpiresAt : null,
            providerReference: effective.providerReference ?? payment.providerReference,
            providerCheckAt: null,
          },
        });
      case "reject":
        await enqueueDelivery(tx, "PAYMENT_REJECT", payment, now);
        return tx.paymentSession.update({
          where: { id: payment.id },
          data: {
            status,
            rejectedAt: now,
            rejectionCode: effective.code,
            rejectionMessage: effective.message,
            providerReference: effective.providerReference ?? payment.providerReference,
            providerCheckAt: null,
          },
        });
      case "pend":
        await enqueueDelivery(tx, "PAYMENT_PENDING", payment, now);
        return tx.paymentSession.update({
          where: { id: payment.id },
          data: {
            status,
            pendingAt: now,
            pendingReason: effective.reason,
            pendingExpiresAt: effective.pendingExpiresAt,
            providerReference: effective.providerReference,
            providerCheckAt: effective.checkAt,
          },
        });
    }
  });
}
