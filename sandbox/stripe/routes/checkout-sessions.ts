import { z } from "zod";
import { parameterInvalid, resourceMissing } from "../errors";
import { formatAmount, minimumChargeAmount } from "../money";
import { renderLineItem } from "../objects";
import { expandParam, integerParam, listParams, metadataParam, parseParams, stringParam, urlParam } from "../params";
import { expand, listPage, type Route, type RouteContext } from "./route";

/** Stripe Checkout's locales (the `locale` enum of POST /v1/checkout/sessions). */
const LOCALES = ["auto", "bg", "cs", "da", "de", "el", "en", "en-GB", "es", "es-419", "et", "fi", "fil", "fr", "fr-CA", "hr", "hu", "id", "it", "ja", "ko", "lt", "lv", "ms", "mt", "nb", "nl", "pl", "pt", "pt-BR", "ro", "ru", "sk", "sl", "sv", "th", "tr", "vi", "zh", "zh-HK", "zh-TW"] as const;

const lineItemSchema = z.strictObject({
  price: stringParam.optional(),
  price_data: z
    .strictObject({
      currency: z.string().regex(/^[a-zA-Z]{3}$/),
      unit_amount: integerParam,
      product_data: z.strictObject({ name: stringParam, description: stringParam.optional(), metadata: metadataParam.optional() }).optional(),
      product: stringParam.optional(),
    })
    .optional(),
  quantity: integerParam.optional(),
});

const createSchema = z.strictObject({
  // Optional in the pinned version: one-time line items make a payment session.
  mode: z.enum(["payment", "setup", "subscription"]).default("payment"),
  line_items: z.array(lineItemSchema).optional(),
  payment_intent_data: z
    .strictObject({
      capture_method: z.enum(["automatic", "automatic_async", "manual"]).optional(),
      metadata: metadataParam.optional(),
      description: stringParam.optional(),
    })
    .optional(),
  success_url: urlParam.optional(),
  cancel_url: urlParam.optional(),
  client_reference_id: z.string().max(200).optional(),
  metadata: metadataParam.optional(),
  expires_at: integerParam.optional(),
  locale: z.enum(LOCALES).optional(),
  customer_email: z.string().optional(),
  // The pinned API version filters Stripe's dynamic payment methods; older versions sent a fixed list.
  allowed_payment_method_types: z.array(z.string().regex(/^[a-z_]+$/)).optional(),
  excluded_payment_method_types: z.array(z.string().regex(/^[a-z_]+$/)).optional(),
  payment_method_types: z.array(z.enum(["card", "sepa_debit"])).optional(),
  // "hosted" is the older versions' name of "hosted_page"; the embedded modes have no page here.
  ui_mode: z.enum(["hosted_page", "hosted"]).optional(),
  expand: expandParam.optional(),
});

const MIN_EXPIRY = 30 * 60;
const MAX_EXPIRY = 24 * 60 * 60;

function create({ params, scope, store, origin }: RouteContext) {
  const input = parseParams(createSchema, params);
  if (input.mode !== "payment") throw parameterInvalid("mode", `The sandbox implements mode=payment only, not mode=${input.mode}.`);
  const items = input.line_items ?? [];
  if (items.length === 0) throw parameterInvalid("line_items", "You must specify `line_items` in `payment` mode.", "parameter_missing");
  const lineItems = items.map((item, index) => {
    const param = `line_items[${index}]`;
    if (item.price !== undefined) throw resourceMissing("price", item.price, `${param}[price]`);
    if (!item.price_data) throw parameterInvalid(param, `You must specify either \`price\` or \`price_data\` in ${param}.`, "parameter_missing");
    if (item.price_data.product !== undefined) throw resourceMissing("product", item.price_data.product, `${param}[price_data][product]`);
    if (!item.price_data.product_data) throw parameterInvalid(`${param}[price_data]`, `You must specify either \`product\` or \`product_data\` in ${param}[price_data].`, "parameter_missing");
    if (item.quantity === undefined) throw parameterInvalid(`${param}[quantity]`, `Missing required param: ${param}[quantity].`, "parameter_missing");
    if (item.quantity < 1 || item.quantity > 999_999) throw parameterInvalid(`${param}[quantity]`, "Quantity must be between 1 and 999999.", "parameter_invalid_integer");
    if (item.price_data.unit_amount < 0) throw parameterInvalid(`${param}[price_data][unit_amount]`, "This value must be greater than or equal to 0.", "parameter_invalid_integer");
    return { name: item.price_data.product_data.name, unitAmount: item.price_data.unit_amount, quantity: item.quantity, currency: item.price_data.currency.toLowerCase() };
  });
  const currency = lineItems[0]?.currency ?? "usd";
  if (lineItems.some((item) => item.currency !== currency)) throw parameterInvalid("line_items", "All line items must use the same currency.");
  const total = lineItems.reduce((sum, item) => sum + item.unitAmount * item.quantity, 0);
  const minimum = minimumChargeAmount(currency);
  if (minimum !== null && total < minimum) {
    throw parameterInvalid("line_items", `The Checkout Session's total amount due must add up to at least ${formatAmount(minimum, currency)}.`, "amount_too_small");
  }
  if (total > 99_999_999) throw parameterInvalid("line_items", "The Checkout Session's total amount due must be no more than 999,999.99.", "amount_too_large");
  const now = store.nowSeconds();
  if (input.expires_at !== undefined) {
    if (input.expires_at < now + MIN_EXPIRY) throw parameterInvalid("expires_at", "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.");
    if (input.expires_at > now + MAX_EXPIRY) throw parameterInvalid("expires_at", "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.");
  }
  if (input.customer_email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.customer_email)) {
    throw parameterInvalid("customer_email", `Invalid email address: ${input.customer_email}`, "email_invalid");
  }
  const captureMethod = input.payment_intent_data?.capture_method ?? "automatic_async";
  const paymentMethodTypes = paymentMethodsFor(input, captureMethod);
  const session = store.createSession(
    scope,
    {
      currency,
      lineItems,
      captureMethod,
      paymentIntentMetadata: input.payment_intent_data?.metadata ?? {},
      paymentIntentDescription: input.payment_intent_data?.description ?? null,
      successUrl: input.success_url ?? null,
      cancelUrl: input.cancel_url ?? null,
      clientReferenceId: input.client_reference_id ?? null,
      metadata: input.metadata ?? {},
      locale: input.locale ?? null,
      customerEmail: input.customer_email ?? null,
      paymentMethodTypes,
      allowedPaymentMethodTypes: input.allowed_payment_method_types ?? null,
      expiresAt: input.expires_at ?? null,
    },
    origin,
  );
  return render(store, scope, session.id, input.expand);
}

/**
 * What the buyer is offered. The sandbox's "dynamic" methods are card and a SEPA-like debit
 * (which has no manual capture); allowed_/excluded_payment_method_types filter them, a legacy
 * payment_method_types list names them outright.
 */
function paymentMethodsFor(input: z.output<typeof createSchema>, captureMethod: string): string[] {
  if (input.payment_method_types && (input.allowed_payment_method_types || input.excluded_payment_method_types)) {
    throw parameterInvalid("payment_method_types", "You cannot combine `payment_method_types` with `allowed_payment_method_types` or `excluded_payment_method_types`.", "parameters_exclusive");
  }
  if (input.payment_method_types) {
    if (captureMethod === "manual" && input.payment_method_types.includes("sepa_debit")) {
      throw parameterInvalid("payment_method_types", "The payment method type `sepa_debit` does not support capture_method=manual.");
    }
    return [...new Set(input.payment_method_types)];
  }
  const dynamic = captureMethod === "manual" ? ["card"] : ["card", "sepa_debit"];
  const allowed = input.allowed_payment_method_types;
  const excluded = input.excluded_payment_method_types ?? [];
  const offered = dynamic.filter((type) => (!allowed || allowed.includes(type)) && !excluded.includes(type));
  if (offered.length === 0) {
    throw parameterInvalid(allowed ? "allowed_payment_method_types" : "excluded_payment_method_types", `No payment method this Checkout Session can offer is left (available here: ${dynamic.join(", ")}).`);
  }
  return offered;
}

function render(store: RouteContext["store"], scope: RouteContext["scope"], id: string, paths: readonly string[] | undefined) {
  const session = store.session(scope, id);
  const object: Record<string, unknown> = { ...store.renderSession(session) };
  // line_items is includable only by expansion, as on Stripe.
  const rest = (paths ?? []).filter((p) => p !== "line_items");
  if (rest.length !== (paths ?? []).length) object.line_items = lineItemsList(session.id, session.lineItems.map(renderLineItem));
  return expand(store, scope, object, rest);
}

const lineItemsList = (id: string, data: unknown[]) => ({ object: "list", data, has_more: false, url: `/v1/checkout/sessions/${id}/line_items` });

const retrieveSchema = z.strictObject({ expand: expandParam.optional() });

export const checkoutSessionRoutes: Route[] = [
  { method: "POST", pattern: /^\/v1\/checkout\/sessions$/, handle: create },
  {
    method: "GET",
    pattern: /^\/v1\/checkout\/sessions\/(?<id>[^/]+)$/,
    handle: ({ params, path, scope, store }) => render(store, scope, path.id ?? "", parseParams(retrieveSchema, params).expand),
  },
  {
    method: "GET",
    pattern: /^\/v1\/checkout\/sessions\/(?<id>[^/]+)\/line_items$/,
    handle: ({ params, path, scope, store }) => {
      const input = parseParams(z.strictObject(listParams), params);
      const session = store.session(scope, path.id ?? "");
      return listPage(`/v1/checkout/sessions/${session.id}/line_items`, [...session.lineItems].reverse(), renderLineItem, input);
    },
  },
  {
    method: "POST",
    pattern: /^\/v1\/checkout\/sessions\/(?<id>[^/]+)\/expire$/,
    handle: ({ params, path, scope, store }) => {
      const input = parseParams(retrieveSchema, params);
      store.expireSession(store.session(scope, path.id ?? ""));
      return render(store, scope, path.id ?? "", input.expand);
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/checkout\/sessions$/,
    handle: ({ params, scope, store }) => {
      const input = parseParams(z.strictObject({ ...listParams, payment_intent: stringParam.optional(), status: z.enum(["open", "complete", "expired"]).optional(), client_reference_id: stringParam.optional() }), params);
      const records = [...store.sessions.values()].filter(
        (s) =>
          s.scope.account === scope.account &&
          s.scope.livemode === scope.livemode &&
          (input.payment_intent === undefined || s.paymentIntentId === input.payment_intent) &&
          (input.status === undefined || s.status === input.status) &&
          (input.client_reference_id === undefined || s.clientReferenceId === input.client_reference_id),
      );
      return expand(store, scope, { ...listPage("/v1/checkout/sessions", records, store.renderSession, input) }, input.expand);
    },
  },
];
