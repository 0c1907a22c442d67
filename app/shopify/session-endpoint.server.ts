import type { AppLoadContext } from "@remix-run/server-runtime";
import { getDb, type Db } from "../db.server";
import { HttpError } from "../http/http-error";
import { logger } from "../logger.server";
import type { SessionRequestMeta } from "./session-request-meta";
import { requireShopifySessionRequest } from "./session-request.server";

export type SessionKind = "payment" | "refund" | "capture" | "void";

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

/**
 * Runs one of Shopify's session endpoints: authenticates the request, hands it to
 * the kind's handler, answers JSON and writes exactly one log line with the shop,
 * kind, id, request id, outcome and duration (never the body: it holds buyer data).
 */
export async function serveSessionRequest(
  kind: SessionKind,
  request: Request,
  context: AppLoadContext,
  handle: (db: Db, meta: SessionRequestMeta) => Promise<SessionEndpointResult>,
): Promise<Response> {
  const started = performance.now();
  const shopifyRequestId = request.headers.get("shopify-request-id")?.slice(0, 255);
  const line: Record<string, unknown> = {
    kind,
    // Not validated yet (that comes next): bounded, so a hostile header cannot flood the log.
    shop: request.headers.get("shopify-shop-domain")?.slice(0, 255),
    // Without the header, the logger's generated request id (the X-Request-Id answered) stands.
    ...(shopifyRequestId ? { requestId: shopifyRequestId } : {}),
  };
  let response: Response;
  try {
    const db = getDb();
    const meta = await requireShopifySessionRequest(db, request, context);
    const result = await handle(db, meta);
    Object.assign(line, { id: result.id, outcome: result.outcome, rule: result.rule });
    response = Response.json(result.body, { status: result.status });
  } catch (error) {
    if (error instanceof HttpError) {
      Object.assign(line, { outcome: "refused", error: error.code, fields: error.problems.map((p) => p.field) });
      response = error.toResponse();
    } else {
      // Unexpected: the database is down, or a bug. Shopify will retry a 5xx.
      line.outcome = "failed";
      // Name and code only: driver messages can quote the values of the failed query.
      line.err = error instanceof Error ? { type: error.name, code: (error as { code?: unknown }).code } : typeof error;
      response = Response.json(
        { error: { code: "INTERNAL_ERROR", message: "The request could not be recorded; it is safe to retry.", problems: [] } },
        { status: 503, headers: { "Retry-After": "5" } },
      );
    }
  }
  line.status = response.status;
  line.durationMs = Math.round((performance.now() - started) * 10) / 10;
  const level = response.status >= 500 ? "error" : response.status >= 400 ? "warn" : "info";
  logger[level](line, "session request");
  return response;
}

export function methodNotAllowed(): Response {
  return Response.json(
    { error: { code: "METHOD_NOT_ALLOWED", message: "Session endpoints accept POST only.", problems: [] } },
    { status: 405, headers: { Allow: "POST" } },
  );
}
