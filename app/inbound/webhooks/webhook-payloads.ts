import { z } from "zod";
import type { FieldProblem } from "../../http/http-error";

/**
 * The bodies of the webhooks this app subscribes to (spec §13), one schema per
 * topic, and which shop each body names. The signature covers the body only, not
 * the headers, so a body is accepted only under its own topic (the compliance
 * payloads are fixed: `.strict()`, so a customers/data_request body sent as
 * shop/redact has keys that shop/redact never has) and only for the shop it names
 * (which must be X-Shopify-Shop-Domain; decision 0009).
 *
 * Shopify's ids arrive as JSON numbers (and may outgrow a double one day):
 * accepted as numbers or strings and kept as strings.
 */
const shopifyId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,30}$/, "must be a numeric id")]).transform(String);
export const MYSHOPIFY_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const shopDomain = z.string().regex(MYSHOPIFY_DOMAIN, "must be a *.myshopify.com domain");

const customer = z
  .object({
    id: shopifyId.nullish(),
    email: z.string().max(320).nullish(),
    phone: z.string().max(64).nullish(),
  })
  .strict()
  .refine((value) => Boolean(value.email?.trim()) || Boolean(value.phone?.trim()) || value.id != null, {
    message: "must name the customer (id, email or phone)",
  });

export const customersDataRequestSchema = z
  .object({
    shop_id: shopifyId,
    shop_domain: shopDomain,
    orders_requested: z.array(shopifyId).max(10_000).default([]),
    customer,
    data_request: z.object({ id: shopifyId }).strict().nullish(),
  })
  .strict();

export const customersRedactSchema = z
  .object({
    shop_id: shopifyId,
    shop_domain: shopDomain,
    customer,
    orders_to_redact: z.array(shopifyId).max(10_000).default([]),
  })
  .strict();

export const shopRedactSchema = z.object({ shop_id: shopifyId, shop_domain: shopDomain }).strict();

/**
 * The shop object (its full field list is not documented for this topic, spec
 * §16.14, so other fields pass). It must name the shop: `myshopify_domain`, and
 * `domain` too where that is a myshopify domain (a custom domain names no shop).
 */
export const appUninstalledSchema = z
  .object({
    id: shopifyId.optional(),
    myshopify_domain: shopDomain.optional(),
    domain: z.string().max(255).nullish(),
  })
  .loose();

export type CustomersDataRequest = z.output<typeof customersDataRequestSchema>;
export type CustomersRedact = z.output<typeof customersRedactSchema>;

/** Each topic's schema and the body fields that name its shop (every one present must be the header's shop). */
export const WEBHOOK_TOPICS = {
  APP_UNINSTALLED: { schema: appUninstalledSchema, shopFields: ["myshopify_domain", "domain"] },
  CUSTOMERS_DATA_REQUEST: { schema: customersDataRequestSchema, shopFields: ["shop_domain"] },
  CUSTOMERS_REDACT: { schema: customersRedactSchema, shopFields: ["shop_domain"] },
  SHOP_REDACT: { schema: shopRedactSchema, shopFields: ["shop_domain"] },
} as const;

export type HandledTopic = keyof typeof WEBHOOK_TOPICS;

export const isHandledTopic = (topic: string): topic is HandledTopic => Object.hasOwn(WEBHOOK_TOPICS, topic);

/**
 * What is wrong with a parsed body's shop for a webhook sent with the header
 * `shop`: nothing (an empty list) when the body names that shop and no other.
 * Only *.myshopify.com values name a shop (a shop's `domain` may be its own).
 */
export function shopBindingProblems(topic: HandledTopic, body: Record<string, unknown>, shop: string): FieldProblem[] {
  const named = WEBHOOK_TOPICS[topic].shopFields.flatMap((field) => {
    const value = body[field];
    return typeof value === "string" && MYSHOPIFY_DOMAIN.test(value) ? [{ field, value }] : [];
  });
  if (named.length === 0) return [{ field: WEBHOOK_TOPICS[topic].shopFields[0], message: "is required: the body must name the shop it is about" }];
  return named.filter(({ value }) => value !== shop).map(({ field }) => ({ field, message: "must be the shop named in X-Shopify-Shop-Domain" }));
}
