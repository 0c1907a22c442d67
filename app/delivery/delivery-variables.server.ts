import type { Delivery, FollowUpRejectionCode } from "@prisma/client";
import type { Db } from "../db.server";
import { rejectionCodeForVersion } from "../payments/payment-rejection-codes";

/**
 * The mutation arguments for a delivery, rebuilt from the session's stored
 * outcome each time. They are the same on every attempt, which Shopify's
 * per-session-and-name idempotency needs to make a resend harmless (§4.2).
 */
export type DeliveryVariables = { id: string } & Record<string, unknown>;

export async function deliveryVariables(db: Db, delivery: Delivery, apiVersion: string): Promise<DeliveryVariables> {
  const id = delivery.sessionGid;
  switch (delivery.operation) {
    case "PAYMENT_RESOLVE": {
      const payment = await db.paymentSession.findUniqueOrThrow({ where: { id: delivery.paymentSessionId ?? "" } });
      return { id, authorizationExpiresAt: payment.authorizationExpiresAt?.toISOString() ?? null };
    }
    case "PAYMENT_REJECT": {
      const payment = await db.paymentSession.findUniqueOrThrow({ where: { id: delivery.paymentSessionId ?? "" } });
      const code = rejectionCodeForVersion(payment.rejectionCode ?? "PROCESSING_ERROR", apiVersion);
      return { id, reason: { code, merchantMessage: payment.rejectionMessage } };
    }
    case "PAYMENT_PENDING": {
      const payment = await db.paymentSession.findUniqueOrThrow({ where: { id: delivery.paymentSessionId ?? "" } });
      return {
        id,
        pendingExpiresAt: (payment.pendingExpiresAt ?? new Date()).toISOString(),
        reason: payment.pendingReason ?? "PARTNER_ACTION_REQUIRED",
      };
    }
    case "REFUND_REJECT": {
      const refund = await db.refundSession.findUniqueOrThrow({ where: { id: delivery.refundSessionId ?? "" } });
      return { id, reason: followUpReason(refund, false) };
    }
    case "CAPTURE_REJECT": {
      const capture = await db.captureSession.findUniqueOrThrow({ where: { id: delivery.captureSessionId ?? "" } });
      return { id, reason: followUpReason(capture, true) };
    }
    case "VOID_REJECT": {
      const voided = await db.voidSession.findUniqueOrThrow({ where: { id: delivery.voidSessionId ?? "" } });
      return { id, reason: followUpReason(voided, false) };
    }
    case "REFUND_RESOLVE":
    case "CAPTURE_RESOLVE":
    case "VOID_RESOLVE":
      return { id };
  }
}

/** Refunds and voids know only PROCESSING_ERROR; captures also AUTHORIZATION_EXPIRED (§7.7). */
function followUpReason(row: { rejectionCode: FollowUpRejectionCode | null; rejectionMessage: string | null }, isCapture: boolean) {
  const code = isCapture && row.rejectionCode === "AUTHORIZATION_EXPIRED" ? "AUTHORIZATION_EXPIRED" : "PROCESSING_ERROR";
  return { code, merchantMessage: row.rejectionMessage };
}
