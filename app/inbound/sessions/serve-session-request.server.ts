import type { Db } from "../../db.server";
import { jsonAnswer, type JsonAnswer } from "../../http/http-error";
import { logger } from "../../logger.server";
import type { BuyerLinkConfig } from "../../payments/rules/buyer-link-token.server";
import type { PaymentReceiptStore } from "../../payments/receipt/payment-receipt-store.server";
import type { PiiKeyring } from "../../privacy/pii-crypto.server";
import { httpErrorOf } from "./session-error-answers";
import type { SessionRequestMeta } from "../../payments/receipt/session-request-schemas";
import type { SessionHttpRequest } from "./session-request-meta";
import { requireShopifySessionRequest } from "./shopify-session-headers.server";
import type { CardPaymentServices } from "../../payments/charging/card-payments.server";

export type SessionKind = "payment" | "refund" | "capture" | "void" | "confirmation";

export type { SessionHttpRequest } from "./session-request-meta";

export interface SessionEndpointResult {
  status: number;
  body: Record<string, unknown>;
  /** What happened, for the request log: created, replayed, rejected_by_rule … */
  outcome: string;
  /** The Shopify session id, once the body was read. */
  id: string;
  /** The rule that refused a well-formed request, if one did. */
  rule?: string;
}

/** What the session handlers work with, handed down by the server that wires them (app/server/main.ts). */
export interface SessionDeps {
  db: Db;
  /**
   * The driver-level writer of payment receipts (docs/decisions/0008-inbound-hot-path.md),
   * opened at first use: a database that cannot be opened must not keep the server from
   * starting and answering /healthz and /readyz.
   */
  receiptStore: () => PaymentReceiptStore;
  /** The customer-data keys payment receipts are encrypted with. */
  piiKeyring: PiiKeyring;
  buyerLinks: BuyerLinkConfig;
  /** What charging an onsite card needs (the card keys, the providers, the policies); built at first use. */
  cardPayments: () => CardPaymentServices;
}

export type SessionHandler = (deps: SessionDeps, meta: SessionRequestMeta, request: SessionHttpRequest) => Promise<SessionEndpointResult>;

/**
 * Runs one of Shopify's session endpoints: authenticates the request, hands it to
 * the kind's handler, answers JSON and writes exactly one log line with the shop,
 * kind, id, request id, outcome and duration (never the body: it holds buyer data).
 */
export async function serveSessionRequest(kind: SessionKind, request: SessionHttpRequest, handle: SessionHandler, deps: SessionDeps): Promise<JsonAnswer> {
  const started = performance.now();
  const shopifyRequestId = request.header("shopify-request-id")?.slice(0, 255);
  const line: Record<string, unknown> = {
    kind,
    // Not validated yet (that comes next): bounded, so a hostile header cannot flood the log.
    shop: request.header("shopify-shop-domain")?.slice(0, 255),
    // Without the header, the logger's generated request id (the X-Request-Id answered) stands.
    ...(shopifyRequestId ? { requestId: shopifyRequestId } : {}),
  };
  let answer: JsonAnswer;
  try {
    const meta = await requireShopifySessionRequest(deps.db, request);
    const result = await handle(deps, meta, request);
    Object.assign(line, { id: result.id, outcome: result.outcome, rule: result.rule });
    answer = jsonAnswer(result.status, result.body);
  } catch (error) {
    const refusal = httpErrorOf(error);
    if (refusal) {
      Object.assign(line, { outcome: "refused", error: refusal.code, fields: refusal.problems.map((p) => p.field) });
      answer = refusal.toJsonAnswer();
    } else {
      // Unexpected: the database is down, or a bug. Shopify will retry a 5xx.
      line.outcome = "failed";
      // Name and code only: driver messages can quote the values of the failed query.
      line.err = error instanceof Error ? { type: error.name, code: (error as { code?: unknown }).code } : typeof error;
      answer = jsonAnswer(503, { error: { code: "INTERNAL_ERROR", message: "The request could not be recorded; it is safe to retry.", problems: [] } }, { "Retry-After": "5" });
    }
  }
  line.status = answer.status;
  line.durationMs = Math.round((performance.now() - started) * 10) / 10;
  const level = answer.status >= 500 ? "error" : answer.status >= 400 ? "warn" : "info";
  logger[level](line, "session request");
  return answer;
}

export const METHOD_NOT_ALLOWED: JsonAnswer = jsonAnswer(
  405,
  { error: { code: "METHOD_NOT_ALLOWED", message: "Session endpoints accept POST only.", problems: [] } },
  { Allow: "POST" },
);
