import { z } from "zod";
import { encryptedCardSchema } from "../../cards/encrypted-card";
import { isKnownCurrency } from "../rules/currencies";
import { InvalidAmountError, parseAmount } from "../rules/money";
import { parseIsoDateTime } from "../rules/timestamps";

/**
 * The bodies of Shopify's session requests (spec §3.2, §3.5–3.7). Required fields
 * must be present and well typed; fields we do not know are dropped, because
 * Shopify adds attributes in new API versions.
 */

const shopifyId = z.string().min(1).max(255);
const opaque = z.string().min(1).max(255);
const optionalText = z.string().max(255).nullish();
// BCP 47 tag such as "en", "fr-CA", "zh-Hant-TW".
const locale = z.string().max(35).regex(/^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/, "must be a BCP 47 language tag such as \"en\" or \"fr-CA\"");
const currency = z.string().refine(isKnownCurrency, "must be an ISO 4217 currency code such as \"USD\"");
const timestamp = z
  .string()
  .transform((text, ctx) => {
    const date = parseIsoDateTime(text);
    if (!date) {
      ctx.addIssue({ code: "custom", message: "must be an ISO 8601 date-time with a time zone, such as \"2020-07-13T00:00:00Z\"" });
      return z.NEVER;
    }
    return date;
  });
const webUrl = z.url({ protocol: /^https?$/, message: "must be an absolute http(s) URL" }).max(8192);

const address = z.object({
  given_name: optionalText,
  family_name: z.string().min(1).max(255),
  line1: z.string().min(1).max(255),
  line2: optionalText,
  city: z.string().min(1).max(255),
  postal_code: optionalText,
  province: optionalText,
  province_code: optionalText,
  country_code: z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 country code such as \"CA\""),
  phone_number: optionalText,
  company: optionalText,
});

const customer = z.object({
  email: z.string().max(320).nullish(),
  phone_number: optionalText,
  locale,
  billing_address: address,
  shipping_address: address.nullish(),
});

/** The gid of a session of this type and id: gid://shopify/{type}/{id}. */
const sessionGid = (type: string, id: string) => `gid://shopify/${type}/${id}`;

/**
 * The Shopify id a payment session's gid names, by the rule every receipt is held
 * to (sameSessionGid): what lets the admin find a payment by its gid through the
 * [shop, shopifyId] index (decision 0017). Null for anything that is not such a gid.
 */
export function paymentShopifyIdOfGid(gid: string): string | null {
  const prefix = sessionGid("PaymentSession", "");
  return gid.startsWith(prefix) && gid.length > prefix.length ? gid.slice(prefix.length) : null;
}

/** The gid must name the same session as the id. */
function sameSessionGid(type: string) {
  return (body: { id: string; gid: string }, ctx: z.RefinementCtx) => {
    const expected = sessionGid(type, body.id);
    if (body.gid !== expected) {
      ctx.addIssue({ code: "custom", path: ["gid"], message: `must be "${expected}" (the gid of this id)` });
    }
  };
}

/** Adds the exact amount in minor units, or an issue on `amount`. */
function withMoney<Body extends { amount: string; currency: string }>(body: Body, ctx: z.RefinementCtx) {
  try {
    return { ...body, money: parseAmount(body.amount, body.currency) };
  } catch (error) {
    if (!(error instanceof InvalidAmountError)) throw error;
    ctx.addIssue({ code: "custom", path: ["amount"], message: error.message });
    return z.NEVER;
  }
}

const offsitePaymentMethod = z.object({
  type: z.literal("offsite"),
  data: z.object({ cancel_url: webUrl.optional() }).optional(),
});

// The card encrypted for the app's certificate (spec §3.3); decrypted by app/cards/.
const creditCardPaymentMethod = z.object({
  type: z.literal("credit_card"),
  data: encryptedCardSchema.extend({
    // 2024-07+: the merchant typed the card (mail or telephone order).
    moto: z.boolean().nullish(),
  }),
});

const paymentMethod = z.discriminatedUnion("type", [offsitePaymentMethod, creditCardPaymentMethod], {
  error: (issue) => (issue.code === "invalid_union" ? "must be \"offsite\" or \"credit_card\"" : undefined),
});

// The buyer's browser for 3-D Secure and risk checks (spec §3.3; names unconfirmed, so all optional and loose).
const clientDetails = z
  .object({
    ip_address: z.string().max(64).nullish(),
    user_agent: z.string().max(2048).nullish(),
    accept_language: z.string().max(512).nullish(),
  })
  .nullish();

export const paymentSessionRequestSchema = z
  .object({
    id: shopifyId,
    gid: z.string(),
    group: opaque,
    session_id: opaque.nullish(),
    amount: z.string(),
    currency,
    test: z.boolean(),
    merchant_locale: locale,
    payment_method: paymentMethod,
    client_details: clientDetails,
    // Before payment_method.data.cancel_url existed, Shopify sent it at the top level.
    cancel_url: webUrl.optional(),
    proposed_at: timestamp,
    customer: customer.nullish(),
    kind: z.enum(["sale", "authorization"]),
  })
  .superRefine(sameSessionGid("PaymentSession"))
  .superRefine((body, ctx) => {
    // Offsite buyers need the way back to checkout; card buyers never leave it.
    if (body.payment_method.type === "offsite" && !body.payment_method.data?.cancel_url && !body.cancel_url) {
      ctx.addIssue({ code: "custom", path: ["payment_method", "data", "cancel_url"], message: "is required" });
    }
  })
  .transform(withMoney);

export type PaymentSessionRequest = z.output<typeof paymentSessionRequestSchema>;

function amountSessionSchema(type: "RefundSession" | "CaptureSession") {
  return z
    .object({
      id: shopifyId,
      gid: z.string(),
      payment_id: shopifyId,
      amount: z.string(),
      currency,
      test: z.boolean(),
      merchant_locale: locale,
      proposed_at: timestamp,
    })
    .superRefine(sameSessionGid(type))
    .transform(withMoney);
}

export const refundSessionRequestSchema = amountSessionSchema("RefundSession");
export type RefundSessionRequest = z.output<typeof refundSessionRequestSchema>;

export const captureSessionRequestSchema = amountSessionSchema("CaptureSession");
export type CaptureSessionRequest = z.output<typeof captureSessionRequestSchema>;

export const voidSessionRequestSchema = z
  .object({
    id: shopifyId,
    gid: z.string(),
    payment_id: shopifyId,
    test: z.boolean(),
    merchant_locale: locale,
    proposed_at: timestamp,
  })
  .superRefine(sameSessionGid("VoidSession"));
export type VoidSessionRequest = z.output<typeof voidSessionRequestSchema>;

/** The confirmation callback's body (spec §3.8); other fields are unconfirmed and dropped. */
export const confirmationCallbackSchema = z
  .object({
    id: shopifyId,
    gid: z.string(),
    confirmation_result: z.boolean(),
  })
  .superRefine(sameSessionGid("PaymentSession"));
export type ConfirmationCallback = z.output<typeof confirmationCallbackSchema>;

/**
 * What the headers of a Shopify session request tell us (spec §3.1): the receipt records them
 * with the session; the inbound edge reads them from the HTTP request.
 */
export interface SessionRequestMeta {
  /** The shop's permanent *.myshopify.com domain, from Shopify-Shop-Domain. */
  shop: string;
  /** Shopify-Request-Id: for tracing only; a retry may carry a new one. */
  requestId: string;
  /** Shopify-Api-Version: the payload version of the payments extension. */
  apiVersion: string;
}
