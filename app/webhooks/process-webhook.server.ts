import type { z } from "zod";
import type { Db } from "../db.server";
import { fieldError, HttpError, type FieldProblem } from "../http/http-error";
import { createCustomerDataExport, redactCustomer } from "../privacy/customer-data.server";
import type { PiiKeyring } from "../privacy/pii-crypto.server";
import { deleteShopData, recordUninstall } from "../privacy/shop-data.server";
import { appUninstalledSchema, customersDataRequestSchema, customersRedactSchema, shopRedactSchema } from "./webhook-payloads";

/** A webhook whose HMAC checked out: the shop and id come from its headers. */
export interface VerifiedWebhook {
  shop: string;
  /** The library's storage form: "APP_UNINSTALLED", "CUSTOMERS_REDACT" … */
  topic: string;
  webhookId: string;
  payload: unknown;
}

export interface WebhookResult {
  outcome: "processed" | "duplicate" | "ignored";
  /** Counts for the log line (never contents). */
  counts?: Record<string, number>;
  exportId?: string;
}

const SCHEMAS = {
  APP_UNINSTALLED: appUninstalledSchema,
  CUSTOMERS_DATA_REQUEST: customersDataRequestSchema,
  CUSTOMERS_REDACT: customersRedactSchema,
  SHOP_REDACT: shopRedactSchema,
} as const;

export type HandledTopic = keyof typeof SCHEMAS;

export const isHandledTopic = (topic: string): topic is HandledTopic => Object.hasOwn(SCHEMAS, topic);

/**
 * Handles one verified webhook exactly once per (shop, webhook id). The body is
 * validated first (a 422 names the field, nothing is written). Then one
 * transaction records the id (its first statement, a write) and applies the
 * topic's effect: a duplicate finds the id taken and changes nothing, and a
 * failure rolls the id back too, so Shopify's retry does the work.
 */
export async function processWebhook(db: Db, keyring: PiiKeyring, webhook: VerifiedWebhook, now = new Date()): Promise<WebhookResult> {
  if (!isHandledTopic(webhook.topic)) return { outcome: "ignored" };
  const topic = webhook.topic;
  const payload = parsePayload(SCHEMAS[topic], webhook.payload);
  if ("shop_domain" in payload && payload.shop_domain !== webhook.shop) {
    // The HMAC covers the body only; a body signed for one shop is not accepted for another.
    throw fieldError(422, "INVALID_BODY", "shop_domain", "must be the shop named in X-Shopify-Shop-Domain");
  }

  return db.$transaction(async (tx): Promise<WebhookResult> => {
    const fresh = await tx.$executeRaw`
      INSERT INTO "ProcessedWebhook" ("shop", "webhookId", "topic", "receivedAt")
      VALUES (${webhook.shop}, ${webhook.webhookId}, ${topic}, ${now})
      ON CONFLICT ("shop", "webhookId") DO NOTHING`;
    if (fresh === 0) return { outcome: "duplicate" };

    switch (topic) {
      case "APP_UNINSTALLED": {
        const { sessionsDeleted } = await recordUninstall(tx, webhook.shop, now);
        return { outcome: "processed", counts: { sessionsDeleted } };
      }
      case "CUSTOMERS_DATA_REQUEST": {
        const request = customersDataRequestSchema.parse(webhook.payload);
        const created = await createCustomerDataExport(
          tx,
          keyring,
          webhook.shop,
          {
            webhookId: webhook.webhookId,
            dataRequestId: request.data_request?.id ?? null,
            shopifyCustomerId: request.customer.id ?? null,
            ordersRequested: request.orders_requested,
            customer: { email: request.customer.email, phone: request.customer.phone },
          },
          now,
        );
        return { outcome: "processed", counts: { payments: created.paymentCount }, exportId: created.id };
      }
      case "CUSTOMERS_REDACT": {
        const request = customersRedactSchema.parse(webhook.payload);
        const redacted = await redactCustomer(tx, keyring, webhook.shop, { email: request.customer.email, phone: request.customer.phone }, now);
        return { outcome: "processed", counts: { paymentsRedacted: redacted } };
      }
      case "SHOP_REDACT": {
        const deleted = await deleteShopData(tx, webhook.shop);
        return { outcome: "processed", counts: { ...deleted } };
      }
    }
  });
}

function parsePayload<Schema extends z.ZodType>(schema: Schema, payload: unknown): z.output<Schema> {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw fieldError(422, "INVALID_BODY", "body", "must be a JSON object");
  }
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const problems: FieldProblem[] = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join(".") || "body",
    message: issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message,
  }));
  throw new HttpError(422, "INVALID_BODY", problems.map((p) => `${p.field}: ${p.message}`).join("; "), problems);
}
