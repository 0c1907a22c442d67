import type { PaymentSession } from "@prisma/client";
import type { Tx } from "../../db.server";
import { PaymentNotFoundError } from "./payment-errors";
import type { PaymentFacts } from "./payment-facts";

/**
 * Locks the payment a refund, capture or void refers to, for the rest of the
 * transaction, and reads what the rules need. Bumping `ledgerVersion` is the
 * first write (app/db/write-first.ts), so two follow-ups of
 * one payment are decided one after the other and can never both spend the
 * same remaining amount.
 */
export async function lockPaymentForFollowUp(tx: Tx, shop: string, paymentShopifyId: string): Promise<PaymentSession> {
  const locked = await tx.paymentSession.updateMany({
    where: { shop, shopifyId: paymentShopifyId },
    data: { ledgerVersion: { increment: 1 } },
  });
  const payment = locked.count === 1
    ? await tx.paymentSession.findUnique({ where: { shop_shopifyId: { shop, shopifyId: paymentShopifyId } } })
    : null;
  if (!payment) {
    throw new PaymentNotFoundError(shop, paymentShopifyId);
  }
  return payment;
}

export async function readPaymentFacts(tx: Tx, payment: PaymentSession): Promise<PaymentFacts> {
  const notRejected = { paymentSessionId: payment.id, status: { not: "REJECTED" as const } };
  const [captured, captureCommitments, refunded, refundCommitments, voids] = await Promise.all([
    tx.captureSession.aggregate({ where: { paymentSessionId: payment.id, status: "RESOLVED" }, _sum: { amountMinor: true } }),
    tx.captureSession.aggregate({ where: notRejected, _sum: { amountMinor: true } }),
    tx.refundSession.aggregate({ where: { paymentSessionId: payment.id, status: "RESOLVED" }, _sum: { amountMinor: true } }),
    tx.refundSession.aggregate({ where: notRejected, _sum: { amountMinor: true } }),
    tx.voidSession.count({ where: notRejected }),
  ]);
  return {
    kind: payment.kind,
    status: payment.status,
    currency: payment.currency,
    test: payment.test,
    amountMinor: payment.amountMinor,
    authorizationExpiresAt: payment.authorizationExpiresAt,
    capturedMinor: captured._sum.amountMinor ?? 0n,
    captureCommitmentsMinor: captureCommitments._sum.amountMinor ?? 0n,
    refundedMinor: refunded._sum.amountMinor ?? 0n,
    refundCommitmentsMinor: refundCommitments._sum.amountMinor ?? 0n,
    voided: voids > 0,
  };
}
