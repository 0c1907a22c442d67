import type Stripe from "stripe";
import type { AccountRecord } from "./accounts";
import type { ChargeRecord, EventRecord, LineItemRecord, PaymentIntentRecord, RefundRecord, SessionRecord, WebhookEndpointRecord } from "./records";

/**
 * Records rendered in Stripe's shape (after Stripe's own examples, shared/spec/stripe/fixtures3.json).
 * Each builder is typed as the SDK's object, so tsc proves every field the SDK's types require is
 * there with a type they allow. Fields this sandbox has no notion of are Stripe's "empty" values.
 */
const emptyAddress = (): Stripe.Address => ({ city: null, country: null, line1: null, line2: null, postal_code: null, state: null });

export function renderLineItem(item: LineItemRecord): Stripe.LineItem {
  return {
    id: item.id,
    object: "item",
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: item.unitAmount * item.quantity,
    amount_tax: 0,
    amount_total: item.unitAmount * item.quantity,
    currency: item.currency,
    description: item.name,
    metadata: {},
    price: null,
    quantity: item.quantity,
  };
}

export function renderSession(s: SessionRecord): Stripe.Checkout.Session {
  return {
    id: s.id,
    object: "checkout.session",
    adaptive_pricing: { enabled: false },
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: s.allowedPaymentMethodTypes ? [...s.allowedPaymentMethodTypes] : null,
    amount_subtotal: s.amountTotal,
    amount_total: s.amountTotal,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: s.cancelUrl,
    client_reference_id: s.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: s.created,
    currency: s.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: null,
    customer_account: null,
    customer_creation: "if_required",
    customer_details: s.status === "complete" ? { address: null, business_name: null, email: s.customerEmail, individual_name: null, name: null, phone: null, tax_exempt: "none", tax_ids: [] } : null,
    customer_email: s.customerEmail,
    discounts: [],
    expires_at: s.expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: s.scope.livemode,
    locale: s.locale,
    managed_payments: null,
    metadata: { ...s.metadata },
    mode: "payment",
    origin_context: null,
    payment_intent: s.paymentIntentId,
    payment_link: null,
    payment_method_collection: "if_required",
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: [...s.paymentMethodTypes],
    payment_status: s.paymentStatus,
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: s.status,
    submit_type: null,
    subscription: null,
    success_url: s.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted_page",
    url: s.status === "open" ? s.url : null,
    wallet_options: null,
  };
}

function renderPaymentError(pi: PaymentIntentRecord): Stripe.PaymentIntent.LastPaymentError | null {
  const e = pi.lastPaymentError;
  if (!e) return null;
  return {
    type: e.type,
    code: e.code,
    ...(e.declineCode ? { decline_code: e.declineCode } : {}),
    doc_url: `https://stripe.com/docs/error-codes/${e.code.replace(/_/g, "-")}`,
    message: e.message,
    ...(e.chargeId ? { charge: e.chargeId } : {}),
    payment_method_type: e.paymentMethodType,
  };
}

export function renderPaymentIntent(pi: PaymentIntentRecord): Stripe.PaymentIntent {
  return {
    id: pi.id,
    object: "payment_intent",
    allowed_payment_method_types: null,
    amount: pi.amount,
    amount_capturable: pi.amountCapturable,
    amount_details: { tip: {} },
    amount_received: pi.amountReceived,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: pi.canceledAt,
    cancellation_reason: pi.cancellationReason,
    capture_method: pi.captureMethod,
    client_secret: `${pi.id}_secret_${pi.id.slice(3, 27)}`,
    confirmation_method: "automatic",
    created: pi.created,
    currency: pi.currency,
    customer: null,
    customer_account: null,
    description: pi.description,
    excluded_payment_method_types: null,
    last_payment_error: renderPaymentError(pi),
    latest_charge: pi.latestChargeId,
    livemode: pi.scope.livemode,
    managed_payments: null,
    metadata: { ...pi.metadata },
    next_action: pi.status === "requires_action" ? { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect" } } : null,
    on_behalf_of: null,
    payment_details: undefined,
    payment_method: pi.paymentMethodId,
    payment_method_configuration_details: null,
    payment_record: null,
    payment_method_options: pi.paymentMethodTypes.includes("card") ? { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: "automatic" } } : {},
    payment_method_types: pi.paymentMethodTypes,
    processing: null,
    receipt_email: pi.receiptEmail,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: pi.status,
    transfer_data: null,
    transfer_group: null,
  };
}

function renderPaymentMethodDetails(c: ChargeRecord): Stripe.Charge.PaymentMethodDetails {
  if (c.bankDebit) {
    return {
      type: "sepa_debit",
      sepa_debit: { bank_code: c.bankDebit.bankCode, branch_code: "", country: c.bankDebit.country, fingerprint: c.bankDebit.fingerprint, last4: c.bankDebit.last4, mandate: null },
    };
  }
  const card = c.card;
  if (!card) throw new Error(`Charge ${c.id} has no payment method`);
  return {
    type: "card",
    card: {
      amount_authorized: c.status === "failed" ? null : c.amount,
      authorization_code: c.status === "failed" ? null : "123456",
      brand: card.brand,
      capture_before: c.captureBefore ?? undefined,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
      country: card.country,
      electronic_commerce_indicator: card.threeDSecure ? "05" : "07",
      exp_month: card.expMonth,
      exp_year: card.expYear,
      extended_authorization: { status: "disabled" },
      fingerprint: card.fingerprint,
      funding: card.funding,
      incremental_authorization: { status: "unavailable" },
      installments: null,
      last4: card.last4,
      mandate: null,
      multicapture: { status: "unavailable" },
      network: card.brand,
      network_token: { used: false },
      network_transaction_id: c.status === "failed" ? null : "104102978678771",
      overcapture: { maximum_amount_capturable: c.amount, status: "unavailable" },
      regulated_status: "unregulated",
      transaction_link_id: null,
      three_d_secure: card.threeDSecure
        ? { authentication_flow: "challenge", electronic_commerce_indicator: "05", exemption_indicator: null, result: "authenticated", result_reason: null, transaction_id: null, version: "2.2.0" }
        : null,
      wallet: null,
    },
  };
}

export function renderCharge(c: ChargeRecord, refunds: readonly RefundRecord[]): Stripe.Charge {
  const amountRefunded = refundedAmount(refunds);
  return {
    id: c.id,
    object: "charge",
    amount: c.amount,
    amount_captured: c.amountCaptured,
    amount_refunded: amountRefunded,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: { address: emptyAddress(), email: c.receiptEmail, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: "SANDBOX MERCHANT",
    captured: c.captured,
    created: c.created,
    currency: c.currency,
    customer: null,
    description: c.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: c.failureCode,
    failure_message: c.failureMessage,
    fraud_details: {},
    livemode: c.scope.livemode,
    metadata: { ...c.metadata },
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: c.outcome.networkStatus,
      reason: c.outcome.reason,
      risk_level: c.outcome.riskLevel,
      seller_message: c.outcome.sellerMessage,
      type: c.outcome.type,
    },
    paid: c.paid,
    payment_intent: c.paymentIntentId,
    payment_method: c.paymentMethodId,
    payment_method_details: renderPaymentMethodDetails(c),
    receipt_email: c.receiptEmail,
    receipt_number: null,
    receipt_url: null,
    refunded: c.captured && c.amountCaptured > 0 && amountRefunded >= c.amountCaptured,
    refunds: { object: "list", data: refunds.map(renderRefund), has_more: false, url: `/v1/charges/${c.id}/refunds` },
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: c.status,
    transfer_data: null,
    transfer_group: null,
  };
}

/** What a charge's refunds take back: pending ones count until they fail, as on Stripe. */
export function refundedAmount(refunds: readonly RefundRecord[]): number {
  return refunds.filter((r) => r.status === "pending" || r.status === "succeeded" || r.status === "requires_action").reduce((sum, r) => sum + r.amount, 0);
}

export function renderRefund(r: RefundRecord): Stripe.Refund {
  return {
    id: r.id,
    object: "refund",
    amount: r.amount,
    balance_transaction: null,
    charge: r.chargeId,
    created: r.created,
    currency: r.currency,
    customer: null,
    customer_account: null,
    description: undefined,
    destination_details: { type: "card", card: { reference_status: r.status === "succeeded" ? "available" : "pending", reference_type: "acquirer_reference_number", type: "refund" } },
    ...(r.failureReason ? { failure_reason: r.failureReason } : {}),
    metadata: { ...r.metadata },
    payment_intent: r.paymentIntentId,
    payment_method: null,
    reason: r.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: r.status,
    transfer_reversal: null,
  };
}

export function renderWebhookEndpoint(w: WebhookEndpointRecord, withSecret: boolean): Stripe.WebhookEndpoint {
  return {
    id: w.id,
    object: "webhook_endpoint",
    api_version: w.apiVersion,
    application: null,
    created: w.created,
    description: w.description,
    enabled_events: [...w.enabledEvents],
    livemode: w.scope.livemode,
    metadata: { ...w.metadata },
    // Stripe shows the signing secret only in the answer to the create call.
    ...(withSecret ? { secret: w.secret } : {}),
    status: w.status,
    url: w.url,
  };
}

export function renderDeletedWebhookEndpoint(id: string): Stripe.DeletedWebhookEndpoint {
  return { id, object: "webhook_endpoint", deleted: true };
}

export function renderEvent(e: EventRecord): Stripe.Event {
  const event = {
    id: e.id,
    object: "event",
    api_version: e.apiVersion,
    context: undefined,
    created: e.created,
    data: { object: e.object, ...(e.previousAttributes ? { previous_attributes: e.previousAttributes } : {}) },
    livemode: e.scope.livemode,
    pending_webhooks: e.pendingWebhooks,
    request: { ...e.request },
    type: e.type,
  };
  // Stripe.Event is a union over event types; the type field and data.object agree by construction in store.ts.
  return event as unknown as Stripe.Event;
}

export function renderAccount(a: AccountRecord): Stripe.Account {
  return {
    id: a.id,
    object: "account",
    business_profile: {
      annual_revenue: null,
      estimated_worker_count: null,
      mcc: "5734",
      minority_owned_business_designation: null,
      name: a.businessName,
      product_description: null,
      specified_commercial_transactions_act_url: null,
      support_address: null,
      support_email: a.email,
      support_phone: null,
      support_url: null,
      url: null,
    },
    business_type: "company",
    capabilities: { card_payments: "active", transfers: "active", sepa_debit_payments: "active" },
    charges_enabled: true,
    controller: { type: "account" },
    country: a.country,
    created: a.created,
    default_currency: a.defaultCurrency,
    details_submitted: true,
    email: a.email,
    external_accounts: { object: "list", data: [], has_more: false, url: `/v1/accounts/${a.id}/external_accounts` },
    future_requirements: { alternatives: [], current_deadline: null, currently_due: [], disabled_reason: null, errors: [], eventually_due: [], past_due: [], pending_verification: [] },
    metadata: {},
    payouts_enabled: true,
    requirements: { alternatives: [], current_deadline: null, currently_due: [], disabled_reason: null, errors: [], eventually_due: [], past_due: [], pending_verification: [] },
    settings: {
      bacs_debit_payments: { display_name: null, service_user_number: null },
      branding: { icon: null, logo: null, primary_color: null, secondary_color: null },
      card_issuing: { tos_acceptance: { date: null, ip: null } },
      card_payments: { decline_on: { avs_failure: false, cvc_failure: true }, statement_descriptor_prefix: null, statement_descriptor_prefix_kana: null, statement_descriptor_prefix_kanji: null },
      dashboard: { display_name: a.businessName, timezone: "Etc/UTC" },
      invoices: { default_account_tax_ids: null, hosted_payment_method_save: null },
      payments: { statement_descriptor: "SANDBOX MERCHANT", statement_descriptor_kana: null, statement_descriptor_kanji: null, statement_descriptor_prefix_kana: null, statement_descriptor_prefix_kanji: null },
      payouts: { debit_negative_balances: true, schedule: { delay_days: 2, interval: "daily" }, statement_descriptor: null },
      sepa_debit_payments: {},
    },
    tos_acceptance: { date: a.created, ip: "127.0.0.1", user_agent: null },
    type: "standard",
  };
}
