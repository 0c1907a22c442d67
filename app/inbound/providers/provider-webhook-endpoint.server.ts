import { parseFields } from "../../http/fields";
import { z } from "zod";
import type { Db } from "../../db.server";
import { logger } from "../../logger.server";
import { ProviderSignatureError } from "../../providers/payment-provider";
import type { ProviderRegistry } from "../../providers/provider-registry.server";
import type { ProcessingPolicy } from "../../payments/charging/payment-charging.server";
import { receiveProviderNotification, UnknownProviderAccountError } from "../../payments/charging/provider-notifications.server";

/** Stripe's event payloads are well under this; anything larger is refused unread. */
export const PROVIDER_WEBHOOK_BODY_LIMIT = 256 * 1024;

const QuerySchema = z.object({ account: z.string().min(1).max(200) });
const ProviderNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/);

/**
 * Serves `POST /providers/{name}/webhooks?account={accountId}`: 404 for an
 * account (or provider) the app does not know, 400 for a bad signature or a
 * malformed request, 413 when too large, 200 for an event applied, repeated or
 * ignored (so the provider stops sending it), 503 only when the app itself
 * failed (the provider retries). One log line per request: provider, account,
 * event id and type, outcome; never the body, a key or a signing secret.
 */
export async function serveProviderWebhook(db: Db, providers: ProviderRegistry, policy: ProcessingPolicy, request: Request, name: string | undefined): Promise<Response> {
  const line: Record<string, unknown> = { provider: name?.slice(0, 40) };
  let response: Response;
  try {
    const providerName = ProviderNameSchema.safeParse(name);
    const query = parseFields(QuerySchema, new URL(request.url).searchParams);
    if (!providerName.success) {
      response = answer(404, "UNKNOWN_PROVIDER", "No such provider.");
    } else if (!query.success) {
      response = answer(400, "INVALID_QUERY", "account: the connected account's id is required.");
    } else {
      line.account = query.data.account;
      const declared = Number(request.headers.get("content-length") ?? "0");
      const raw = declared > PROVIDER_WEBHOOK_BODY_LIMIT ? null : await request.text();
      if (raw === null || raw.length > PROVIDER_WEBHOOK_BODY_LIMIT) {
        response = answer(413, "TOO_LARGE", `The body is larger than ${PROVIDER_WEBHOOK_BODY_LIMIT} bytes.`);
      } else {
        const receipt = await receiveProviderNotification(db, providers, policy, { providerName: providerName.data, accountId: query.data.account, rawBody: raw, headers: request.headers });
        Object.assign(line, receipt);
        response = Response.json({ ok: true, outcome: receipt.outcome }, { status: 200 });
      }
    }
  } catch (error) {
    if (error instanceof UnknownProviderAccountError) {
      response = answer(404, "UNKNOWN_ACCOUNT", "No connected account has this id.");
    } else if (error instanceof ProviderSignatureError) {
      response = answer(400, "BAD_SIGNATURE", "The signature does not verify with this account's signing secret.");
    } else {
      line.err = error instanceof Error ? { type: error.name, code: (error as { code?: unknown }).code } : typeof error;
      response = Response.json({ error: { code: "INTERNAL_ERROR", message: "The event could not be handled; it is safe to retry.", problems: [] } }, { status: 503, headers: { "Retry-After": "5" } });
    }
  }
  response.headers.set("Cache-Control", "no-store");
  line.status = response.status;
  logger[response.status >= 500 ? "error" : response.status >= 400 ? "warn" : "info"](line, "provider webhook");
  return response;
}

function answer(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message, problems: [] } }, { status });
}
