import { createHmac, timingSafeEqual, type KeyObject } from "node:crypto";
import { secretKey } from "../../crypto/secret-key";
import { hasDuplicateKey } from "../../http/duplicate-json-keys";
import { fieldError, HttpError } from "../../http/http-error";

/**
 * Proof that a webhook comes from Shopify (spec §13), checked here rather than by
 * the library's `authenticate.webhook`: the library hands the shop header to its
 * offline-session lookup, which throws (a 5xx, "safe to retry") for a shop outside
 * *.myshopify.com even when the signature is right, and it loads and may refresh
 * the shop's token, which no webhook here needs. The rules, in order:
 *
 * 1. only POST (405); 2. X-Shopify-Hmac-Sha256 present (401) and equal, in
 * constant time, to the HMAC-SHA256 of the raw body bytes with the app's secret
 * (401); 3. then the headers Shopify always sends (400 naming the header), the
 * shop a *.myshopify.com domain (400), the topic as Shopify writes topics
 * (lowercase; 400), X-Shopify-Triggered-At a time not in the future (400);
 * 4. the body JSON with each key once per object (400). Nothing is read from the
 * body before step 2.
 */
export interface SignedWebhook {
  shop: string;
  /** The library's storage form: "APP_UNINSTALLED", "CUSTOMERS_REDACT" … */
  topic: string;
  /** The topic as Shopify names it ("app/uninstalled"), for logs and errors. */
  topicName: string;
  webhookId: string;
  apiVersion: string;
  /** When Shopify triggered the event; retries keep it. */
  triggeredAt: Date;
  payload: unknown;
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
// X-Shopify-Triggered-At too: without it a replayed body could not be told from a
// new event (an app/uninstalled replayed after a reinstall; decision 0009).
const REQUIRED_HEADERS = ["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version", "X-Shopify-Webhook-Id", "X-Shopify-Triggered-At"] as const;
/** Shopify's topics are lowercase ("app/uninstalled", "customers/data_request"); nothing else is one. */
const TOPIC_NAME = /^[a-z][a-z0-9_]*(?:[/.][a-z0-9_]+)*$/;
/** How far ahead of this server's clock a trigger time may be (clock skew), not more. */
export const TRIGGER_TIME_SKEW_MS = 5 * 60_000;
/** Base64 of a SHA-256 digest: 32 bytes, 44 characters with one "=". */
const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;
/** Shopify's timestamps are ISO 8601 with a zone; anything else is not a trigger time. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export async function verifyWebhook(request: Request, apiSecret: string, now = new Date()): Promise<SignedWebhook> {
  if (request.method !== "POST") throw new HttpError(405, "METHOD_NOT_ALLOWED", "Webhooks are POSTed.", [], { Allow: "POST" });
  const signature = request.headers.get("x-shopify-hmac-sha256");
  if (!signature) throw unauthorized("is required");
  const raw = Buffer.from(await request.arrayBuffer());
  if (!signatureMatches(raw, signature, apiSecret)) throw unauthorized("does not match the body signed with the app's secret");

  const missing = REQUIRED_HEADERS.filter((name) => !request.headers.get(name));
  if (missing.length > 0) {
    throw new HttpError(400, "INVALID_HEADER", `${missing.join(", ")}: required`, missing.map((field) => ({ field, message: "is required" })));
  }
  const header = (name: (typeof REQUIRED_HEADERS)[number]) => request.headers.get(name) ?? "";
  const shop = header("X-Shopify-Shop-Domain");
  if (!SHOP_DOMAIN.test(shop)) throw fieldError(400, "INVALID_HEADER", "X-Shopify-Shop-Domain", "must be a *.myshopify.com domain");
  const topicName = header("X-Shopify-Topic");
  if (topicName.length > 100) throw fieldError(400, "INVALID_HEADER", "X-Shopify-Topic", "must be at most 100 characters");
  if (!TOPIC_NAME.test(topicName)) throw fieldError(400, "INVALID_HEADER", "X-Shopify-Topic", "must be a topic as Shopify names it, in lowercase (app/uninstalled)");
  const webhookId = header("X-Shopify-Webhook-Id");
  if (webhookId.length > 255) throw fieldError(400, "INVALID_HEADER", "X-Shopify-Webhook-Id", "must be at most 255 characters");
  const triggeredAt = parseTriggeredAt(header("X-Shopify-Triggered-At"), now);

  if (raw.length === 0) throw fieldError(400, "INVALID_WEBHOOK", "body", "is required");
  let payload: unknown;
  const text = raw.toString("utf8");
  try {
    payload = JSON.parse(text);
  } catch {
    throw fieldError(400, "MALFORMED_JSON", "body", "is not valid JSON");
  }
  // JSON.parse keeps the last of two equal keys, other readers the first: a body
  // whose meaning depends on the reader is refused, not guessed at.
  if (hasDuplicateKey(text)) throw fieldError(400, "MALFORMED_JSON", "body", "has a key twice in one object");
  return { shop, topic: topicForStorage(topicName), topicName, webhookId, apiVersion: header("X-Shopify-API-Version"), triggeredAt, payload };
}

// The app's secret as a KeyObject, made once (app/crypto/secret-key.ts says why). An app
// has one secret (tests a few); the cap only guards against a caller that makes them up.
const signingKeys = new Map<string, KeyObject>();
function signingKey(apiSecret: string): KeyObject {
  let key = signingKeys.get(apiSecret);
  if (!key) {
    key = secretKey(apiSecret);
    if (signingKeys.size < 16) signingKeys.set(apiSecret, key);
  }
  return key;
}

/** Constant time in the signature's content: both sides are 32-byte digests before they are compared. */
export function signatureMatches(raw: Buffer, signature: string, apiSecret: string): boolean {
  if (!BASE64_SHA256.test(signature)) return false;
  const expected = createHmac("sha256", signingKey(apiSecret)).update(raw).digest();
  const given = Buffer.from(signature, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function parseTriggeredAt(value: string, now: Date): Date {
  const at = ISO_INSTANT.test(value) ? new Date(value) : null;
  if (!at || Number.isNaN(at.getTime())) throw fieldError(400, "INVALID_HEADER", "X-Shopify-Triggered-At", "must be an ISO 8601 time with a zone");
  // An event is triggered before it is sent: a time ahead of ours is not Shopify's
  // (it would make a replayed body look newer than the shop's installation).
  if (at.getTime() > now.getTime() + TRIGGER_TIME_SKEW_MS) throw fieldError(400, "INVALID_HEADER", "X-Shopify-Triggered-At", "must not be in the future");
  return at;
}

/** As the library stores topics: "customers/data_request" → "CUSTOMERS_DATA_REQUEST". */
const topicForStorage = (topic: string) => topic.toUpperCase().replace(/[/.]/g, "_");

function unauthorized(message: string): HttpError {
  return new HttpError(401, "INVALID_HMAC", `X-Shopify-Hmac-Sha256: ${message}`, [{ field: "X-Shopify-Hmac-Sha256", message }]);
}
