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
const MYSHOPIFY_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
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

/** A key of the compliance payloads, which the shop object never has. */
const notInShopObject = z.undefined({ error: "is not part of this topic's payload" }).optional();

/**
 * The shop object (its full field list is not documented for this topic, spec
 * §16.14, so other fields pass). It must name the shop: `myshopify_domain`, and
 * `domain` too where that is a myshopify domain (a custom domain names no shop).
 * The compliance payloads' keys are refused: they name a shop or a customer in
 * fields this topic would not read, which is what a body sent under the wrong
 * topic looks like.
 */
export const appUninstalledSchema = z
  .object({
    id: shopifyId.optional(),
    myshopify_domain: shopDomain.optional(),
    domain: z.string().max(255).nullish(),
    shop_id: notInShopObject,
    shop_domain: notInShopObject,
    customer: notInShopObject,
    orders_to_redact: notInShopObject,
    orders_requested: notInShopObject,
    data_request: notInShopObject,
  })
  .loose();

export type CustomersDataRequest = z.output<typeof customersDataRequestSchema>;
export type CustomersRedact = z.output<typeof customersRedactSchema>;

/**
 * Each topic, by the exact name Shopify gives it in X-Shopify-Topic, with its
 * schema and the body fields that name its shop (every one present must be the
 * header's shop).
 */
export const WEBHOOK_TOPICS = {
  APP_UNINSTALLED: { name: "app/uninstalled", schema: appUninstalledSchema, shopFields: ["myshopify_domain", "domain"] },
  CUSTOMERS_DATA_REQUEST: { name: "customers/data_request", schema: customersDataRequestSchema, shopFields: ["shop_domain"] },
  CUSTOMERS_REDACT: { name: "customers/redact", schema: customersRedactSchema, shopFields: ["shop_domain"] },
  SHOP_REDACT: { name: "shop/redact", schema: shopRedactSchema, shopFields: ["shop_domain"] },
} as const;

export type HandledTopic = keyof typeof WEBHOOK_TOPICS;

/**
 * The handled topic X-Shopify-Topic names, exactly (null for any other): no
 * spelling of one topic ("SHOP/REDACT", "shop.redact", "shop_redact") is another
 * way to ask for it.
 */
export function handledTopic(name: string): HandledTopic | null {
  const found = Object.entries(WEBHOOK_TOPICS).find(([, topic]) => topic.name === name);
  return found ? (found[0] as HandledTopic) : null;
}

/** A value that reads as a myshopify domain, in any case, with a trailing dot or spaces: it names a shop. */
const NAMES_A_SHOP = /\.myshopify\.com\.?\s*$/i;

/**
 * What is wrong with a parsed body's shop for a webhook sent with the header
 * `shop`: nothing (an empty list) when the body names that shop, exactly, and no
 * other. Only myshopify values name a shop (a shop's `domain` may be its own);
 * one written in another case or with a trailing dot names a shop too, and is
 * not the header's.
 */
export function shopBindingProblems(topic: HandledTopic, body: Record<string, unknown>, shop: string): FieldProblem[] {
  const named = WEBHOOK_TOPICS[topic].shopFields.flatMap((field) => {
    const value = body[field];
    return typeof value === "string" && NAMES_A_SHOP.test(value) ? [{ field, value }] : [];
  });
  if (named.length === 0) return [{ field: WEBHOOK_TOPICS[topic].shopFields[0], message: "is required: the body must name the shop it is about" }];
  return named.filter(({ value }) => value !== shop).map(({ field }) => ({ field, message: "must be the shop named in X-Shopify-Shop-Domain" }));
}
