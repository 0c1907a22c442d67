import type { CaptureSession, RefundSession, VoidSession } from "@prisma/client";
import type { Db } from "../db.server";
import type { SessionRequestMeta } from "../shopify/session-request-meta";
import { decideCapture } from "./capture-transitions";
import { receiveOnce, type Received } from "./idempotency.server";
import type { FollowUpDecision } from "./payment-facts";
import { lockPaymentForFollowUp, readPaymentFacts } from "./payment-ledger.server";
import { decideRefund } from "./refund-transitions";
import { requestFingerprint } from "./request-fingerprint";
import type { CaptureSessionRequest, RefundSessionRequest, VoidSessionRequest } from "./session-request-schemas";
import { decideVoid } from "./void-transitions";

/**
 * Refund, capture and void requests (spec §3.5–3.7), each recorded once. A
 * request that breaks a rule is still recorded, REJECTED with the rule and
 * Shopify's reason code, so that the rejection is reported through the API
 * rather than answered with an error Shopify would only retry.
 */

function fields(meta: SessionRequestMeta, body: { id: string; gid: string; test: boolean; merchant_locale: string; proposed_at: Date }, requestHash: string) {
  return {
    shop: meta.shop,
    shopifyId: body.id,
    gid: body.gid,
    test: body.test,
    merchantLocale: body.merchant_locale,
    proposedAt: body.proposed_at,
    shopifyApiVersion: meta.apiVersion,
    shopifyRequestId: meta.requestId,
    requestHash,
  };
}

function outcomeFields(decision: FollowUpDecision, now: Date) {
  if (decision.outcome === "accept") return { status: "RECEIVED" as const };
  return {
    status: "REJECTED" as const,
    rejectedAt: now,
    rejectionCode: decision.code,
    rejectionMessage: decision.message,
    ruleViolation: decision.rule,
  };
}

function key(meta: SessionRequestMeta, id: string) {
  return { shop_shopifyId: { shop: meta.shop, shopifyId: id } };
}

export function receiveRefundSession(db: Db, meta: SessionRequestMeta, body: RefundSessionRequest, now = new Date()): Promise<Received<RefundSession>> {
  const { money, ...fingerprinted } = body;
  const requestHash = requestFingerprint(fingerprinted);
  return receiveOnce({
    db,
    requestHash,
    find: (client) => client.refundSession.findUnique({ where: key(meta, body.id) }),
    create: async (tx) => {
      const payment = await lockPaymentForFollowUp(tx, meta.shop, body.payment_id);
      const decision = decideRefund(await readPaymentFacts(tx, payment), { money, test: body.test });
      return tx.refundSession.create({
        data: {
          ...fields(meta, body, requestHash),
          paymentSessionId: payment.id,
          amountMinor: money.minor,
          amount: body.amount,
          currency: body.currency,
          ...outcomeFields(decision, now),
        },
      });
    },
  });
}

export function receiveCaptureSession(db: Db, meta: SessionRequestMeta, body: CaptureSessionRequest, now = new Date()): Promise<Received<CaptureSession>> {
  const { money, ...fingerprinted } = body;
  const requestHash = requestFingerprint(fingerprinted);
  return receiveOnce({
    db,
    requestHash,
    find: (client) => client.captureSession.findUnique({ where: key(meta, body.id) }),
    create: async (tx) => {
      const payment = await lockPaymentForFollowUp(tx, meta.shop, body.payment_id);
      const decision = decideCapture(await readPaymentFacts(tx, payment), { money, test: body.test }, now);
      return tx.captureSession.create({
        data: {
          ...fields(meta, body, requestHash),
          paymentSessionId: payment.id,
          amountMinor: money.minor,
          amount: body.amount,
          currency: body.currency,
          ...outcomeFields(decision, now),
        },
      });
    },
  });
}

export function receiveVoidSession(db: Db, meta: SessionRequestMeta, body: VoidSessionRequest, now = new Date()): Promise<Received<VoidSession>> {
  const requestHash = requestFingerprint(body);
  return receiveOnce({
    db,
    requestHash,
    find: (client) => client.voidSession.findUnique({ where: key(meta, body.id) }),
    create: async (tx) => {
      const payment = await lockPaymentForFollowUp(tx, meta.shop, body.payment_id);
      const decision = decideVoid(await readPaymentFacts(tx, payment), { test: body.test });
      return tx.voidSession.create({
        data: { ...fields(meta, body, requestHash), paymentSessionId: payment.id, ...outcomeFields(decision, now) },
      });
    },
  });
}
