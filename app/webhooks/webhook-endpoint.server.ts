import { getDb } from "../db.server";
import { HttpError } from "../http/http-error";
import { logger } from "../logger.server";
import { getPiiKeyring } from "../privacy/keyring.server";
import { getShopify } from "../shopify.server";
import { processWebhook } from "./process-webhook.server";

/** Shopify's webhook bodies for these topics are small; a customer with many orders still fits. */
export const WEBHOOK_BODY_LIMIT = 256 * 1024;

const REQUIRED_HEADERS = ["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version", "X-Shopify-Webhook-Id"] as const;

/**
 * Serves Shopify's webhooks (spec §13): the HMAC of the raw body is checked by
 * the library (`authenticate.webhook`) before anything else; a missing or wrong
 * signature is a 401 and nothing is read further. Then the body is validated and
 * the topic handled once per webhook id. Writes one log line with topic, shop,
 * webhook id, outcome and status: never the body (it names the customer).
 */
export async function serveWebhook(request: Request): Promise<Response> {
  const started = performance.now();
  const line: Record<string, unknown> = {
    topic: request.headers.get("x-shopify-topic")?.slice(0, 100),
    shop: request.headers.get("x-shopify-shop-domain")?.slice(0, 255),
    webhookId: request.headers.get("x-shopify-webhook-id")?.slice(0, 255),
  };
  let response: Response;
  try {
    const webhook = await authenticateWebhook(request);
    const result = await processWebhook(getDb(), getPiiKeyring(), webhook);
    Object.assign(line, { outcome: result.outcome, counts: result.counts, exportId: result.exportId });
    response = Response.json({ ok: true, outcome: result.outcome }, { status: 200 });
  } catch (error) {
    if (error instanceof HttpError) {
      Object.assign(line, { outcome: "refused", error: error.code, fields: error.problems.map((p) => p.field) });
      response = error.toResponse();
    } else {
      // Database down or a bug: a 5xx makes Shopify retry with the same id.
      line.outcome = "failed";
      line.err = error instanceof Error ? { type: error.name, code: (error as { code?: unknown }).code } : typeof error;
      response = Response.json({ error: { code: "INTERNAL_ERROR", message: "The webhook could not be handled; it is safe to retry.", problems: [] } }, { status: 503, headers: { "Retry-After": "5" } });
    }
  }
  response.headers.set("Cache-Control", "no-store");
  line.status = response.status;
  line.durationMs = Math.round((performance.now() - started) * 10) / 10;
  logger[response.status >= 500 ? "error" : response.status >= 400 ? "warn" : "info"](line, "webhook");
  return response;
}

async function authenticateWebhook(request: Request) {
  // The library answers a missing signature with 400; for Shopify's review (and
  // for what it means) an unsigned webhook is unauthenticated: 401.
  if (!request.headers.get("x-shopify-hmac-sha256")) throw unauthorized("is required");
  let context;
  try {
    context = await getShopify().authenticate.webhook(request);
  } catch (thrown) {
    if (thrown instanceof Response) {
      if (thrown.status === 401) throw unauthorized("does not match the body signed with the app's secret");
      if (thrown.status === 405) throw new HttpError(405, "METHOD_NOT_ALLOWED", "Webhooks are POSTed.", [], { Allow: "POST" });
      const missing = REQUIRED_HEADERS.filter((name) => !request.headers.get(name));
      if (missing.length > 0) {
        throw new HttpError(400, "INVALID_HEADER", `${missing.join(", ")}: required`, missing.map((field) => ({ field, message: "is required" })));
      }
      throw new HttpError(400, "INVALID_WEBHOOK", "body: is required", [{ field: "body", message: "is required" }]);
    }
    // The signature was right but the body is not JSON (the library parses it).
    if (thrown instanceof SyntaxError) throw new HttpError(400, "MALFORMED_JSON", "body: is not valid JSON", [{ field: "body", message: "is not valid JSON" }]);
    throw thrown;
  }
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(context.shop)) {
    throw new HttpError(400, "INVALID_HEADER", "X-Shopify-Shop-Domain: must be a *.myshopify.com domain", [{ field: "X-Shopify-Shop-Domain", message: "must be a *.myshopify.com domain" }]);
  }
  return { shop: context.shop, topic: context.topic, webhookId: context.webhookId, payload: context.payload as unknown };
}

function unauthorized(message: string): HttpError {
  return new HttpError(401, "INVALID_HMAC", `X-Shopify-Hmac-Sha256: ${message}`, [{ field: "X-Shopify-Hmac-Sha256", message }]);
}
