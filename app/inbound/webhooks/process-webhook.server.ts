import type { z } from "zod";
import type { Db } from "../../db.server";
import { fieldProblems, HttpError, type FieldProblem } from "../../http/http-error";
import { createCustomerDataExport, redactCustomer } from "../../privacy/customer-data.server";
import type { PiiKeyring } from "../../privacy/pii-crypto.server";
import { eraseUninstalledShop, recordUninstall, type KeptReason } from "../../privacy/shop-data.server";
import { markProviderAccountsForRemoval } from "../../providers/accounts/provider-account-store.server";
import { handledTopic, shopBindingProblems, WEBHOOK_TOPICS, type HandledTopic } from "./webhook-payloads";
import type { SignedWebhook } from "./webhook-signature.server";

export interface WebhookResult {
  /**
   * processed: the topic's effect is done; duplicate: this webhook id was handled
   * before; acknowledged: valid, and deliberately nothing done (`reason`);
   * ignored: a topic this app does not handle.
   */
  outcome: "processed" | "duplicate" | "acknowledged" | "ignored";
  reason?: KeptReason;
  /** Counts for the log line (never contents). */
  counts?: Record<string, number>;
  exportId?: string;
}

/**
 * Handles one signed webhook exactly once per (shop, webhook id). First the body
 * must fit its topic's schema and name the header's shop (422 naming the field;
 * nothing is written). Then one transaction records the id (its first statement,
 * a write) and applies the topic's effect: a duplicate finds the id taken and
 * changes nothing, and a failure rolls the id back too, so Shopify's retry does
 * the work.
 */
export async function processWebhook(db: Db, keyring: PiiKeyring, webhook: SignedWebhook, now = new Date()): Promise<WebhookResult> {
  const topic = handledTopic(webhook.topicName);
  if (!topic) return { outcome: "ignored" };
  const payload = parseBody(topic, webhook);

  return db.$transaction(async (tx): Promise<WebhookResult> => {
    const fresh = await tx.$executeRaw`
      INSERT INTO "ProcessedWebhook" ("shop", "webhookId", "topic", "receivedAt")
      VALUES (${webhook.shop}, ${webhook.webhookId}, ${topic}, ${now})
      ON CONFLICT ("shop", "webhookId") DO NOTHING`;
    if (fresh === 0) return { outcome: "duplicate" };

    switch (topic) {
      case "APP_UNINSTALLED": {
        const result = await recordUninstall(tx, webhook.shop, webhook.triggeredAt, now);
        if (result.outcome !== "processed") return result;
        // Provider accounts stop being used now; their webhook endpoints are removed
        // at the provider after the answer (sweepRemovals), never holding up Shopify's 200.
        const accounts = await markProviderAccountsForRemoval(tx, webhook.shop, now);
        return { outcome: "processed", counts: { sessionsDeleted: result.sessionsDeleted, providerAccountsReleased: accounts.count } };
      }
      case "CUSTOMERS_DATA_REQUEST": {
        const request = WEBHOOK_TOPICS.CUSTOMERS_DATA_REQUEST.schema.parse(payload);
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
            triggeredAt: webhook.triggeredAt,
          },
          now,
        );
        return { outcome: "processed", counts: { payments: created.paymentCount }, exportId: created.id };
      }
      case "CUSTOMERS_REDACT": {
        const request = WEBHOOK_TOPICS.CUSTOMERS_REDACT.schema.parse(payload);
        const customer = { email: request.customer.email, phone: request.customer.phone };
        const redacted = await redactCustomer(tx, keyring, webhook.shop, { webhookId: webhook.webhookId, customer, triggeredAt: webhook.triggeredAt }, now);
        return { outcome: "processed", counts: { paymentsRedacted: redacted } };
      }
      case "SHOP_REDACT": {
        const result = await eraseUninstalledShop(tx, webhook.shop, webhook.triggeredAt);
        if (result.outcome !== "processed") return result;
        const { outcome, ...counts } = result;
        return { outcome, counts };
      }
    }
  });
}

/** The body as its topic's schema reads it, bound to the header's shop; else a 422 naming each field. */
function parseBody(topic: HandledTopic, webhook: SignedWebhook): unknown {
  const payload = webhook.payload;
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw invalidBody(webhook, [{ field: "body", message: "must be a JSON object" }]);
  }
  const schema: z.ZodType = WEBHOOK_TOPICS[topic].schema;
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw invalidBody(webhook, fieldProblems(parsed.error).map(unrecognizedKeysByName(parsed.error)).flat());
  const binding = shopBindingProblems(topic, parsed.data as Record<string, unknown>, webhook.shop);
  if (binding.length > 0) throw invalidBody(webhook, binding);
  return parsed.data;
}

/** zod reports unknown keys of a strict object as one issue at the object: named key by key instead. */
function unrecognizedKeysByName(error: z.ZodError) {
  return (problem: FieldProblem, index: number): FieldProblem[] => {
    const issue = error.issues[index];
    if (issue?.code !== "unrecognized_keys") return [problem];
    const prefix = issue.path.map(String).join(".");
    return issue.keys.map((key) => ({ field: prefix ? `${prefix}.${key}` : key, message: "is not part of this topic's payload" }));
  };
}

function invalidBody(webhook: SignedWebhook, problems: FieldProblem[]): HttpError {
  const message = `The body does not fit a ${webhook.topicName} webhook for ${webhook.shop}: ${problems.map((p) => `${p.field}: ${p.message}`).join("; ")}`;
  return new HttpError(422, "INVALID_BODY", message, problems);
}
