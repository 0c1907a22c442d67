import type { CaptureSession, RefundSession, SessionKind, VoidSession } from "@prisma/client";
import type { Db, Tx } from "../../db.server";
import type { SessionRequestMeta } from "./session-request-schemas";
import { decideCapture } from "../rules/capture-transitions";
import { enqueueRuleRejection, type FollowUpKind } from "../outcomes/apply-follow-up-outcome.server";
import { receiveOnce, type Received } from "./idempotency.server";
import type { FollowUpDecision, PaymentFacts } from "../rules/payment-facts";
import { lockPaymentForFollowUp, readPaymentFacts } from "../rules/payment-ledger.server";
import { decideRefund } from "../rules/refund-transitions";
import { requestFingerprint } from "./request-fingerprint";
import type { CaptureSessionRequest, RefundSessionRequest, VoidSessionRequest } from "./session-request-schemas";
import { decideVoid } from "../rules/void-transitions";

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

/** What differs between refund, capture and void; everything else is the one flow below. */
interface FollowUpReceipt<Body extends FollowUpBody, Row extends FollowUpSessionRow, Columns extends object> {
  kind: FollowUpKind;
  sessionKind: SessionKind;
  /** The fields of the body its fingerprint covers (the parsed money is derived from amount and currency). */
  fingerprinted: (body: Body) => object;
  decide: (facts: PaymentFacts, body: Body, now: Date) => FollowUpDecision;
  /** The kind's own columns (amounts), beside the shared ones. */
  columns: (body: Body) => Columns;
  find: (client: Db | Tx, where: ReturnType<typeof key>) => Promise<Row | null>;
  create: (tx: Tx, data: FollowUpData & Columns) => Promise<Row>;
}

type FollowUpBody = { id: string; gid: string; test: boolean; merchant_locale: string; proposed_at: Date; payment_id: string };
type FollowUpSessionRow = { id: string; shop: string; gid: string; status: string; requestHash: string };
type FollowUpData = ReturnType<typeof fields> & ReturnType<typeof outcomeFields> & { paymentSessionId: string };

/**
 * The one receive flow of refund, capture and void: recorded once (idempotency.server.ts);
 * the payment is locked, the kind's rules decide, the session is created RECEIVED or
 * REJECTED, and a rejection is queued for Shopify in the same transaction.
 */
function receiveFollowUp<Body extends FollowUpBody, Row extends FollowUpSessionRow, Columns extends object>(
  receipt: FollowUpReceipt<Body, Row, Columns>,
  db: Db,
  meta: SessionRequestMeta,
  body: Body,
  now: Date,
): Promise<Received<Row>> {
  const requestHash = requestFingerprint(receipt.fingerprinted(body));
  return receiveOnce({
    db,
    requestHash,
    find: (client) => receipt.find(client, key(meta, body.id)),
    repeat: repeatOf(meta, receipt.sessionKind, body.id),
    create: async (tx) => {
      const payment = await lockPaymentForFollowUp(tx, meta.shop, body.payment_id);
      const decision = receipt.decide(await readPaymentFacts(tx, payment), body, now);
      const data = { ...fields(meta, body, requestHash), paymentSessionId: payment.id, ...receipt.columns(body), ...outcomeFields(decision, now) };
      return recordRuleRejection(tx, receipt.kind, now, await receipt.create(tx, data));
    },
  });
}

// A refund's and a capture's request are one shape today; both names say which receipts these serve.
/* eslint-disable @typescript-eslint/no-duplicate-type-constituents */
type AmountColumns = { amountMinor: bigint; amount: string; currency: string };
const amountColumns = (body: RefundSessionRequest | CaptureSessionRequest): AmountColumns => ({ amountMinor: body.money.minor, amount: body.amount, currency: body.currency });
const withoutMoney = ({ money: _money, ...fingerprinted }: RefundSessionRequest | CaptureSessionRequest) => fingerprinted;
/* eslint-enable @typescript-eslint/no-duplicate-type-constituents */

const REFUND: FollowUpReceipt<RefundSessionRequest, RefundSession, AmountColumns> = {
  kind: "refund",
  sessionKind: "REFUND",
  fingerprinted: withoutMoney,
  decide: (facts, body) => decideRefund(facts, { money: body.money, test: body.test }),
  columns: amountColumns,
  find: (client, where) => client.refundSession.findUnique({ where }),
  create: (tx, data) => tx.refundSession.create({ data }),
};

const CAPTURE: FollowUpReceipt<CaptureSessionRequest, CaptureSession, AmountColumns> = {
  kind: "capture",
  sessionKind: "CAPTURE",
  fingerprinted: withoutMoney,
  decide: (facts, body, now) => decideCapture(facts, { money: body.money, test: body.test }, now),
  columns: amountColumns,
  find: (client, where) => client.captureSession.findUnique({ where }),
  create: (tx, data) => tx.captureSession.create({ data }),
};

const VOID: FollowUpReceipt<VoidSessionRequest, VoidSession, object> = {
  kind: "void",
  sessionKind: "VOID",
  fingerprinted: (body) => body,
  decide: (facts, body) => decideVoid(facts, { test: body.test }),
  columns: () => ({}),
  find: (client, where) => client.voidSession.findUnique({ where }),
  create: (tx, data) => tx.voidSession.create({ data }),
};

export function receiveRefundSession(db: Db, meta: SessionRequestMeta, body: RefundSessionRequest, now = new Date()): Promise<Received<RefundSession>> {
  return receiveFollowUp(REFUND, db, meta, body, now);
}

export function receiveCaptureSession(db: Db, meta: SessionRequestMeta, body: CaptureSessionRequest, now = new Date()): Promise<Received<CaptureSession>> {
  return receiveFollowUp(CAPTURE, db, meta, body, now);
}

export function receiveVoidSession(db: Db, meta: SessionRequestMeta, body: VoidSessionRequest, now = new Date()): Promise<Received<VoidSession>> {
  return receiveFollowUp(VOID, db, meta, body, now);
}
