import type { CaptureSession, Delivery, FollowUpRejectionCode, PaymentSession, RefundSession, VoidSession } from "@prisma/client";
import type { Db } from "../db.server";
import { followUpRejectionCodeFor, type FollowUpKind } from "../payments/rules/follow-up-transitions";
import { threeDSecureAuthenticationOf } from "../payments/rules/card-authentication";
import { rejectionCodeForVersion } from "../payments/rules/payment-rejection-codes";

/**
 * The mutation arguments for a delivery, rebuilt from the session's stored
 * outcome each time. They are the same on every attempt, which Shopify's
 * per-session-and-name idempotency needs to make a resend harmless (§4.2).
 */
export type DeliveryVariables = { id: string } & Record<string, unknown>;

export type VariablesFor = (delivery: Delivery, apiVersion: string) => DeliveryVariables;

/**
 * Loads the sessions a batch of deliveries reports on, with one query per
 * session kind (not one per delivery), and returns how to build each one's variables.
 */
export async function loadDeliveryVariables(db: Db, deliveries: readonly Delivery[]): Promise<VariablesFor> {
  const ids = (key: "paymentSessionId" | "refundSessionId" | "captureSessionId" | "voidSessionId") =>
    [...new Set(deliveries.flatMap((d) => (d[key] ? [d[key]] : [])))];
  const [payments, refunds, captures, voids] = await Promise.all([
    findAll(ids("paymentSessionId"), (in_) => db.paymentSession.findMany({ where: { id: { in: in_ } } })),
    findAll(ids("refundSessionId"), (in_) => db.refundSession.findMany({ where: { id: { in: in_ } } })),
    findAll(ids("captureSessionId"), (in_) => db.captureSession.findMany({ where: { id: { in: in_ } } })),
    findAll(ids("voidSessionId"), (in_) => db.voidSession.findMany({ where: { id: { in: in_ } } })),
  ]);
  return (delivery, apiVersion) => buildVariables(delivery, apiVersion, { payments, refunds, captures, voids });
}

async function findAll<Row extends { id: string }>(ids: string[], find: (ids: string[]) => Promise<Row[]>): Promise<Map<string, Row>> {
  if (ids.length === 0) return new Map();
  return new Map((await find(ids)).map((row) => [row.id, row]));
}

interface Sessions {
  payments: Map<string, PaymentSession>;
  refunds: Map<string, RefundSession>;
  captures: Map<string, CaptureSession>;
  voids: Map<string, VoidSession>;
}

function required<Row>(rows: Map<string, Row>, id: string | null, delivery: Delivery): Row {
  const row = id ? rows.get(id) : undefined;
  if (!row) throw new Error(`delivery ${delivery.id} (${delivery.operation}) refers to a session that no longer exists`);
  return row;
}

function buildVariables(delivery: Delivery, apiVersion: string, sessions: Sessions): DeliveryVariables {
  const id = delivery.sessionGid;
  switch (delivery.operation) {
    case "PAYMENT_RESOLVE": {
      const payment = required(sessions.payments, delivery.paymentSessionId, delivery);
      return { id, authorizationExpiresAt: payment.authorizationExpiresAt?.toISOString() ?? null, ...authenticationOf(payment) };
    }
    case "PAYMENT_REJECT": {
      const payment = required(sessions.payments, delivery.paymentSessionId, delivery);
      const code = rejectionCodeForVersion(payment.rejectionCode ?? "PROCESSING_ERROR", apiVersion);
      return { id, reason: { code, merchantMessage: payment.rejectionMessage }, ...authenticationOf(payment) };
    }
    case "PAYMENT_REDIRECT": {
      const payment = required(sessions.payments, delivery.paymentSessionId, delivery);
      if (!payment.threeDSecureRedirectUrl) throw new Error(`delivery ${delivery.id} (PAYMENT_REDIRECT): the payment has no 3-D Secure page`);
      return { id, redirectUrl: payment.threeDSecureRedirectUrl };
    }
    case "PAYMENT_CONFIRM":
      return { id };
    case "PAYMENT_PENDING": {
      const payment = required(sessions.payments, delivery.paymentSessionId, delivery);
      return {
        id,
        pendingExpiresAt: (payment.pendingExpiresAt ?? new Date()).toISOString(),
        reason: payment.pendingReason ?? "PARTNER_ACTION_REQUIRED",
      };
    }
    case "REFUND_REJECT":
      return { id, reason: followUpReason("refund", required(sessions.refunds, delivery.refundSessionId, delivery)) };
    case "CAPTURE_REJECT":
      return { id, reason: followUpReason("capture", required(sessions.captures, delivery.captureSessionId, delivery)) };
    case "VOID_REJECT":
      return { id, reason: followUpReason("void", required(sessions.voids, delivery.voidSessionId, delivery)) };
    case "REFUND_RESOLVE":
    case "CAPTURE_RESOLVE":
    case "VOID_RESOLVE":
      return { id };
  }
}

/** The stored reason, as far as the kind's reject mutation knows it (FOLLOW_UP_REJECTION_CODES). */
function followUpReason(kind: FollowUpKind, row: { rejectionCode: FollowUpRejectionCode | null; rejectionMessage: string | null }) {
  return { code: followUpRejectionCodeFor(kind, row.rejectionCode), merchantMessage: row.rejectionMessage };
}

/** `authentication` goes with resolve and reject exactly when the card payment was redirected (spec §1.2). */
function authenticationOf(payment: PaymentSession): { authentication?: unknown } {
  const authentication = threeDSecureAuthenticationOf(payment);
  return authentication ? { authentication } : {};
}
