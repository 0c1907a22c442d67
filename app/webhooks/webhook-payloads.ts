import { z } from "zod";

/**
 * The bodies of the webhooks this app subscribes to (spec §13). Shopify's ids
 * arrive as JSON numbers (and may outgrow a double one day): accepted as numbers
 * or strings and kept as strings. Unknown fields are ignored.
 */
const shopifyId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,30}$/, "must be a numeric id")]).transform(String);
const shopDomain = z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "must be a *.myshopify.com domain");

const customer = z
  .object({
    id: shopifyId.nullish(),
    email: z.string().max(320).nullish(),
    phone: z.string().max(64).nullish(),
  })
  .refine((value) => Boolean(value.email?.trim()) || Boolean(value.phone?.trim()) || value.id != null, {
    message: "must name the customer (id, email or phone)",
  });

export const customersDataRequestSchema = z.object({
  shop_id: shopifyId,
  shop_domain: shopDomain,
  orders_requested: z.array(shopifyId).max(10_000).default([]),
  customer,
  data_request: z.object({ id: shopifyId }).nullish(),
});

export const customersRedactSchema = z.object({
  shop_id: shopifyId,
  shop_domain: shopDomain,
  customer,
  orders_to_redact: z.array(shopifyId).max(10_000).default([]),
});

export const shopRedactSchema = z.object({
  shop_id: shopifyId,
  shop_domain: shopDomain,
});

// The shop object; its exact fields are unconfirmed (spec §16.14): only the
// X-Shopify-Shop-Domain header (authenticated with the HMAC check) is used.
export const appUninstalledSchema = z.object({}).loose();

export type CustomersDataRequest = z.output<typeof customersDataRequestSchema>;
export type CustomersRedact = z.output<typeof customersRedactSchema>;
