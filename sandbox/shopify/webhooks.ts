import { createHash, createHmac, randomUUID } from "node:crypto";
import { sandboxShopName } from "./admin-api";

/**
 * Shopify's webhooks, sent locally the way Shopify sends them (spec §13): an
 * HTTPS POST (HTTP here) of a JSON body, signed with the app's secret
 * (X-Shopify-Hmac-Sha256 = base64 HMAC-SHA256 of the raw body), with the topic,
 * shop, API version, a webhook id that stays the same across retries, and the
 * trigger time; retried with the same body and id while the app answers
 * non-2xx or not at all (Shopify: 8 times over 4 hours; here a few quick ones).
 */
export const WEBHOOK_TOPICS = ["app/uninstalled", "customers/data_request", "customers/redact", "shop/redact"] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

export const isWebhookTopic = (topic: string): topic is WebhookTopic => (WEBHOOK_TOPICS as readonly string[]).includes(topic);

export interface WebhookSenderOptions {
  /** The app's origin; webhooks go to {appUrl}/webhooks (shopify.app.toml). */
  appUrl: string;
  apiSecret: string;
  shop: string;
  apiVersion?: string;
  /** Attempts per webhook: default 3. */
  attempts?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
}

export interface WebhookCustomer {
  email?: string | null;
  phone?: string | null;
}

export interface SendWebhookOptions {
  /** "wrong" signs with another secret, "missing" leaves the header out (Shopify never does either). */
  signature?: "valid" | "wrong" | "missing";
  /** Reuse an id to replay a delivery (Shopify's retries keep theirs). */
  webhookId?: string;
  /** Replace the body Shopify would send. */
  body?: unknown;
  /** X-Shopify-Triggered-At (default: now); an old one replays an old event. */
  triggeredAt?: string;
}

export interface SentWebhook {
  topic: WebhookTopic;
  webhookId: string;
  signature: "valid" | "wrong" | "missing";
  status: number;
  attempts: number;
  response: unknown;
  at: string;
  /** The X-Shopify-Triggered-At it carried. */
  triggeredAt: string;
  /** The raw body signed (to replay it as it was). */
  body: string;
}

/** A stable numeric id for a string, as Shopify's shop and customer ids are numbers. */
const numericId = (text: string) => Number.parseInt(createHash("sha256").update(text).digest("hex").slice(0, 10), 16);

export function signWebhookBody(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export function createWebhookSender(options: WebhookSenderOptions) {
  const apiVersion = options.apiVersion ?? "2026-04";
  const attempts = options.attempts ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const sent: SentWebhook[] = [];
  const shopId = numericId(options.shop);

  /** The body Shopify sends for a topic (spec §13). */
  function bodyFor(topic: WebhookTopic, customer: WebhookCustomer = {}): Record<string, unknown> {
    const shopFields = { shop_id: shopId, shop_domain: options.shop };
    const who = { id: numericId(customer.email ?? customer.phone ?? "customer"), email: customer.email ?? null, phone: customer.phone ?? null };
    switch (topic) {
      case "app/uninstalled":
        return { id: shopId, name: sandboxShopName(options.shop), domain: options.shop, myshopify_domain: options.shop };
      case "customers/data_request":
        return { ...shopFields, orders_requested: [], customer: who, data_request: { id: numericId(randomUUID()) } };
      case "customers/redact":
        return { ...shopFields, customer: who, orders_to_redact: [] };
      case "shop/redact":
        return shopFields;
    }
  }

  async function postOnce(topic: WebhookTopic, raw: string, webhookId: string, signature: SendWebhookOptions["signature"], triggeredAt: string) {
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": options.shop,
      "X-Shopify-API-Version": apiVersion,
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Triggered-At": triggeredAt,
      "X-Shopify-Event-Id": randomUUID(),
    };
    if (signature !== "missing") headers["X-Shopify-Hmac-Sha256"] = signWebhookBody(raw, signature === "wrong" ? `${options.apiSecret}-not` : options.apiSecret);
    const response = await fetch(`${options.appUrl}/webhooks`, { method: "POST", headers, body: raw, signal: AbortSignal.timeout(options.timeoutMs ?? 5_000) });
    const text = await response.text();
    let json: unknown = text;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: kept as text
    }
    return { status: response.status, response: json };
  }

  return {
    sent: sent as readonly SentWebhook[],
    bodyFor,

    /** Sends one webhook, retrying like Shopify on non-2xx answers and network errors. */
    async send(topic: WebhookTopic, customer: WebhookCustomer = {}, sendOptions: SendWebhookOptions = {}): Promise<SentWebhook> {
      const webhookId = sendOptions.webhookId ?? randomUUID();
      const signature = sendOptions.signature ?? "valid";
      const raw = JSON.stringify(sendOptions.body ?? bodyFor(topic, customer));
      // Shopify's retries keep the event's trigger time, as they keep its id.
      const triggeredAt = sendOptions.triggeredAt ?? new Date().toISOString();
      let last = { status: 0, response: null as unknown };
      let attempt = 0;
      while (attempt < attempts) {
        attempt++;
        try {
          last = await postOnce(topic, raw, webhookId, signature, triggeredAt);
          if (last.status >= 200 && last.status < 300) break;
        } catch (error) {
          last = { status: 0, response: error instanceof Error ? error.message : String(error) };
        }
        if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, retryDelayMs * attempt));
      }
      const record: SentWebhook = { topic, webhookId, signature, status: last.status, attempts: attempt, response: last.response, at: new Date().toISOString(), triggeredAt, body: raw };
      sent.push(record);
      return record;
    },
  };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;
