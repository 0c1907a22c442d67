import type { Db } from "../../db.server";
import { HttpError } from "../../http/http-error";
import { logger } from "../../logger.server";
import type { PiiKeyring } from "../../privacy/pii-crypto.server";
import { processWebhook } from "./process-webhook.server";
import { verifyWebhook } from "./webhook-signature.server";

/** Shopify's webhook bodies for these topics are small; a customer with many orders still fits. */
export const WEBHOOK_BODY_LIMIT = 256 * 1024;

/**
 * Serves Shopify's webhooks (spec §13): the HMAC of the raw body is checked
 * before anything else (webhook-signature.server.ts); a missing or wrong
 * signature is a 401 and nothing is read further. Then the body must fit its
 * topic and name the header's shop, and the topic is handled once per webhook
 * id. Writes one log line with topic, shop, webhook id, outcome (and why nothing
 * was done, when so) and status: never the body (it names the customer).
 */
export interface WebhookDeps {
  db: Db;
  keyring: PiiKeyring;
  /** The app's API secret, the key of Shopify's HMAC. */
  apiSecret: string;
  /** Removes the provider webhook endpoints of the accounts an uninstall released. */
  sweepProviderAccounts: () => Promise<unknown>;
}

export async function serveWebhook(request: Request, { db, keyring, apiSecret, sweepProviderAccounts }: WebhookDeps): Promise<Response> {
  const started = performance.now();
  const line: Record<string, unknown> = {
    topic: request.headers.get("x-shopify-topic")?.slice(0, 100),
    shop: request.headers.get("x-shopify-shop-domain")?.slice(0, 255),
    webhookId: request.headers.get("x-shopify-webhook-id")?.slice(0, 255),
  };
  let response: Response;
  try {
    const webhook = await verifyWebhook(request, apiSecret);
    const result = await processWebhook(db, keyring, webhook);
    Object.assign(line, { outcome: result.outcome, reason: result.reason, counts: result.counts, exportId: result.exportId });
    response = Response.json({ ok: true, outcome: result.outcome }, { status: 200 });
    if (result.counts?.providerAccountsReleased) releaseProviderAccounts(sweepProviderAccounts);
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

/**
 * Removes the webhook endpoints of the provider accounts an uninstall released,
 * after Shopify's answer and without waiting for it: the provider may be slow or
 * unreachable (those accounts wait, marked, for the next sweep).
 */
function releaseProviderAccounts(sweep: () => Promise<unknown>) {
  void sweep()
    .then((swept) => logger.info(swept, "provider accounts released"))
    .catch((error: unknown) => logger.warn({ err: error instanceof Error ? { type: error.name } : typeof error }, "provider accounts not released yet"));
}
