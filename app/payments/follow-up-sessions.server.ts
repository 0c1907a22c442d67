import type { CaptureSession, RefundSession, SessionKind, VoidSession } from "@prisma/client";
import type { Db, Tx } from "../db.server";
import type { SessionRequestMeta } from "../inbound/sessions/session-request-meta";
import { decideCapture } from "./capture-transitions";
import { enqueueRuleRejection, type FollowUpKind } from "./follow-up-outcomes.server";
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

// Receipt and the rules' decision share one instant, so that a rejection at
// receipt can never appear to come before the receipt itself.
function outcomeFields(decision: FollowUpDecision, now: Date) {
  if (decision.outcome === "accept") return { status: "RECEIVED" as const, receivedAt: now };
  return {
    status: "REJECTED" as const,
    receivedAt: now,
    rejectedAt: now,
    rejectionCode: decision.code,
    rejectionMessage: decision.message,
    ruleViolation: decision.rule,
  };
}

/** A follow-up refused by a rule at receipt is reported to Shopify like any rejection. */
async function recordRuleRejection<Row extends { id: string; shop: string; gid: string; status: string }>(tx: Tx, kind: FollowUpKind, now: Date, row: Row): Promise<Row> {
  if (row.status === "REJECTED") await enqueueRuleRejection(tx, kind, row, now);
  return row;
}

function repeatOf(meta: SessionRequestMeta, kind: SessionKind, shopifyId: string) {
  return { shop: meta.shop, kind, shopifyId, shopifyRequestId: meta.requestId };
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
    repeat: repeatOf(meta, "REFUND", body.id),
    create: async (tx) => {
      const payment = await lockPaymentForFollowUp(tx, meta.shop, body.payment_id);
      const decision = decideRefund(await readPaymentFacts(tx, payment), { money, test: body.test });
      return recordRuleRejection(tx, "refund", now, await tx.refundSession.create({
        data: {
          ...fields(meta, body, requestHash),
          paymentSessionId: payment.id,
          amountMinor: money.minor,
          amount: body.amount,
          currency: body.currency,
          ...outcomeFields(decision, now),
        },
      }));
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
    repeat: repeatOf(meta, "CAPTURE", body.id),
    create: async (tx) => {
      const payment = await lockPaymentForFollowUp(tx, meta.shop, body.payment_id);
      const decision = decideCapture(await readPaymentFacts(tx, payment), { money, test: body.test }, now);
      return recordRuleRejection(tx, "capture", now, await tx.captureSession.create({
        data: {
          ...fields(meta, body, requestHash),
          paymentSessionId: payment.id,
          amountMinor: money.minor,
          amount: body.amount,
          currency: body.currency,
          ...outcomeFields(decision, now),
        },
      }));
    },
  });
}

export function receiveVoidSession(db: Db, meta: SessionRequestMeta, body: VoidSessionRequest, now = new Date()): Promise<Received<VoidSession>> {
  const requestHash = requestFingerprint(body);
  return receiveOnce({
    db,
    requestHash,
    find: (client) => client.voidSession.findUnique({ where: key(meta, body.id) }),
    repeat: repeatOf(meta, "VOID", body.id),
    create: async (tx) => {
      const payment = await lockPaymentForFollowUp(tx, meta.shop, body.payment_id);
      const decision = decideVoid(await readPaymentFacts(tx, payment), { test: body.test });
      return recordRuleRejection(tx, "void", now, await tx.voidSession.create({
        data: { ...fields(meta, body, requestHash), paymentSessionId: payment.id, ...outcomeFields(decision, now) },
      }));
    },
  });
}
