import Stripe from "stripe";
import type { Money } from "../../payments/rules/money";
import {
  ProviderSignatureError,
  type ChargeRequest,
  type ChargeResult,
  type FollowUpRequest,
  type FollowUpResult,
  type PaymentProvider,
  type ProviderNotification,
} from "../payment-provider";
import type { ProviderAccountCredentials } from "../provider-accounts";
import { createStripeClient } from "./stripe-client.server";
import { declineFromStripe, rejectionCodeFromStripe } from "./stripe-declines";

/**
 * The Stripe provider: a payment is a hosted Checkout Session on Stripe's side
 * (decision 0013). Every call goes through the official SDK, whose retries of
 * 429, 5xx and lost answers reuse the call's Idempotency-Key, and every key is
 * derived from the app's own ids, so a repeated call never charges, captures or
 * refunds twice. The provider keeps nothing itself: the Checkout Session carries
 * the app's payment id (`client_reference_id`), and every state is read back
 * from Stripe, which makes repeats and late or reordered webhooks harmless.
 */
export interface StripeProviderOptions {
  /** The local Stripe (sandbox/stripe) in development and tests; absent: Stripe's API. */
  apiBase?: string;
  timeoutMs?: number;
  maxNetworkRetries?: number;
  /** When to ask again about a charge or refund that is not decided yet. */
  recheckMs?: number;
  /** Webhook timestamp tolerance (Stripe's default, 300 s). */
  webhookToleranceSeconds?: number;
  now?: () => Date;
}

// Stripe's least lifetime of a Checkout Session (30 minutes), with a minute's margin.
const MIN_SESSION_SECONDS = 31 * 60;
// Stripe amounts are integers of at most eight digits.
const MAX_STRIPE_AMOUNT = 99_999_999n;

export function createStripeProvider(account: ProviderAccountCredentials, options: StripeProviderOptions = {}): PaymentProvider {
  const stripe = createStripeClient(account.apiKey, {
    apiBase: options.apiBase,
    timeoutMs: options.timeoutMs,
    maxNetworkRetries: options.maxNetworkRetries ?? 3,
  });
  const now = options.now ?? (() => new Date());
  const later = () => new Date(now().getTime() + (options.recheckMs ?? 60_000));
  const unknown = (): ChargeResult => ({ status: "unknown", checkAfter: later() });

  /**
   * The Checkout Session of a payment, found from the provider's reference the
   * app kept (Stripe cannot list sessions by our id): the session itself, or its
   * PaymentIntent once paid. A session that is not this payment's is none.
   */
  async function sessionOf(paymentId: string, reference: string | null | undefined): Promise<Stripe.Checkout.Session | null> {
    const expand = ["payment_intent.latest_charge"];
    let session: Stripe.Checkout.Session | null = null;
    if (reference?.startsWith("cs_")) {
      session = await stripe.checkout.sessions.retrieve(reference, { expand });
    } else if (reference?.startsWith("pi_")) {
      const list = await stripe.checkout.sessions.list({ payment_intent: reference, limit: 1, expand: expand.map((path) => `data.${path}`) });
      session = list.data[0] ?? null;
    }
    return session && session.client_reference_id === paymentId ? session : null;
  }

  async function intentOf(request: FollowUpRequest): Promise<Stripe.PaymentIntent | null> {
    const session = await sessionOf(request.paymentId, request.paymentReference);
    const intent = session?.payment_intent;
    return intent && typeof intent === "object" ? intent : null;
  }

  async function charge(request: ChargeRequest): Promise<ChargeResult> {
    try {
      const hosted = request.hosted;
      if (!hosted) return { status: "declined", reference: null, code: "PROCESSING_ERROR", message: "Stripe payments need the app's return and cancel pages." };
      const amount = stripeAmount(request.amount);
      if (amount === null) return { status: "declined", reference: null, code: "AMOUNT_TOO_LARGE", message: "The amount is larger than Stripe accepts in one payment." };
      const nowSeconds = Math.floor(now().getTime() / 1000);
      const deadline = Math.floor(hosted.expiresAt.getTime() / 1000);
      if (deadline - nowSeconds < MIN_SESSION_SECONDS) {
        return { status: "declined", reference: null, code: "PROCESSING_ERROR", message: "Too little time is left before Shopify's deadline for a Stripe payment page (at least 30 minutes)." };
      }
      const created = await stripe.checkout.sessions.create(
        {
          mode: "payment",
          line_items: [{ quantity: 1, price_data: { currency: request.amount.currency.toLowerCase(), unit_amount: amount, product_data: { name: `Order at ${hosted.shop}` } } }],
          payment_intent_data: {
            // Authorizations hold the money until the merchant captures; Stripe's default captures at once.
            ...(request.kind === "AUTHORIZATION" ? { capture_method: "manual" as const } : {}),
            // payment_intent.* events name the payment by this.
            metadata: { payment_id: request.paymentId, shop: hosted.shop },
          },
          success_url: hosted.returnUrl,
          cancel_url: hosted.cancelUrl,
          client_reference_id: request.paymentId,
          metadata: { payment_id: request.paymentId, shop: hosted.shop },
          // Inside Shopify's deadline and Stripe's 24 hours. A repeated create must
          // send the same parameters for Stripe to replay the first answer (the
          // same session), so the cap is fixed per hour, not per second.
          expires_at: Math.min(deadline, Math.floor(nowSeconds / 3600) * 3600 + 23 * 3600),
          ...(hosted.locale ? { locale: stripeLocale(hosted.locale) } : {}),
        },
        { idempotencyKey: `charge-${request.paymentId}` },
      );
      return chargeStateOf(await stripe.checkout.sessions.retrieve(created.id, { expand: ["payment_intent.latest_charge"] }));
    } catch (error) {
      return chargeError(error);
    }
  }

  /** A Stripe error on a charge: refusals decline it, silence asks again later. */
  function chargeError(error: unknown): ChargeResult {
    if (error instanceof Stripe.errors.StripeIdempotencyError) {
      // Another request is creating this payment's session (409), or the first
      // was made in another hour (400): never a second session; the stored
      // reference or the next try of the same call finds the first.
      return unknown();
    }
    if (error instanceof Stripe.errors.StripeAuthenticationError || error instanceof Stripe.errors.StripePermissionError) {
      return { status: "declined", reference: null, code: "MERCHANT_ACCOUNT_ERROR", message: "Stripe refused the shop's API key: reconnect Stripe in the app's Settings." };
    }
    if (error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripeCardError) {
      return { status: "declined", reference: null, code: rejectionCodeFromStripe(error.code, error.decline_code), message: `Stripe refused the payment: ${error.message}` };
    }
    // 429 and 5xx after the SDK's retries, timeouts, lost connections: the
    // session may exist; chargeStatus finds it by the payment id.
    return unknown();
  }

  async function chargeStatus(paymentId: string, reference?: string | null): Promise<ChargeResult> {
    try {
      const session = await sessionOf(paymentId, reference);
      return session ? chargeStateOf(session) : unknown();
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) return unknown();
      return chargeError(error);
    }
  }

  function chargeStateOf(session: Stripe.Checkout.Session): ChargeResult {
    const intent = typeof session.payment_intent === "object" ? session.payment_intent : null;
    if (session.status === "open") {
      // The buyer is (or may come back) on Stripe's page; a declined card may be tried again there.
      return { status: "redirect", reference: session.id, url: session.url ?? "" };
    }
    if (session.status === "expired") {
      const failure = intent?.last_payment_error;
      return failure
        ? { status: "declined", reference: intent.id, ...declineFromStripe(failure.code, failure.decline_code, failure.message) }
        : { status: "declined", reference: session.id, code: "CANCELLED_PAYMENT", message: "The buyer left Stripe's payment page without paying before it expired." };
    }
    if (!intent) return session.payment_status === "paid" ? { status: "approved", reference: session.id } : { status: "unknown", checkAfter: later() };
    switch (intent.status) {
      case "requires_capture":
        return { status: "approved", reference: intent.id, ...authorizationDeadline(intent) };
      case "succeeded":
        return { status: "approved", reference: intent.id };
      case "processing":
        // A delayed method (bank debit): decided by checkout.session.async_payment_succeeded/_failed.
        return { status: "pending", reference: intent.id, checkAfter: later() };
      case "canceled":
        return { status: "declined", reference: intent.id, code: "CANCELLED_PAYMENT", message: `Stripe canceled the payment (${intent.cancellation_reason ?? "no reason given"}).` };
      default: {
        const failure = intent.last_payment_error;
        return failure
          ? { status: "declined", reference: intent.id, ...declineFromStripe(failure.code, failure.decline_code, failure.message) }
          : { status: "unknown", checkAfter: later() };
      }
    }
  }

  /** When Stripe releases an authorization: the charge's capture_before. */
  function authorizationDeadline(intent: Stripe.PaymentIntent): { authorizationExpiresAt?: Date } {
    const latest = intent.latest_charge;
    const captureBefore = latest && typeof latest === "object" ? latest.payment_method_details?.card?.capture_before : undefined;
    return captureBefore ? { authorizationExpiresAt: new Date(captureBefore * 1000) } : {};
  }

  async function followUp(run: () => Promise<FollowUpResult>): Promise<FollowUpResult> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripeCardError) {
        return { status: "declined", message: `Stripe refused: ${error.message}` };
      }
      if (error instanceof Stripe.errors.StripeAuthenticationError || error instanceof Stripe.errors.StripePermissionError) {
        return { status: "declined", message: "Stripe refused the shop's API key: reconnect Stripe in the app's Settings." };
      }
      return { status: "unknown" };
    }
  }

  function refundState(refund: Stripe.Refund): FollowUpResult {
    if (refund.status === "succeeded") return { status: "approved", reference: refund.id };
    if (refund.status === "failed" || refund.status === "canceled") {
      return { status: "declined", message: `Stripe could not refund (${refund.failure_reason ?? refund.status}).` };
    }
    return { status: "pending", reference: refund.id, checkAfter: later() };
  }

  async function refundOf(paymentIntent: string, operationId: string): Promise<Stripe.Refund | null> {
    for await (const refund of stripe.refunds.list({ payment_intent: paymentIntent, limit: 100 })) {
      if (refund.metadata?.operation_id === operationId) return refund;
    }
    return null;
  }

  const provider: PaymentProvider = {
    name: "stripe",
    charge,
    chargeStatus,
    // Stripe's hosted page runs 3-D Secure itself: the return page asks the session.
    completeChallenge: (paymentId, input) => chargeStatus(paymentId, input.reference),

    capture: (request) =>
      followUp(async () => {
        const intent = await intentOf(request);
        if (!intent) return { status: "declined", message: "Stripe has no authorized payment for this session." };
        // Without multicapture one capture ends the PaymentIntent and Stripe
        // releases the rest of the authorization to the buyer; a later capture
        // is refused. A repeat of the same capture (or of one whose answer was
        // lost) is replayed by Stripe from its Idempotency-Key.
        const amount = stripeAmount(request.amount);
        if (amount === null) return { status: "declined", message: "The amount is larger than Stripe accepts." };
        const captured = await stripe.paymentIntents.capture(
          intent.id,
          { amount_to_capture: amount },
          { idempotencyKey: `capture-${request.operationId}` },
        );
        return captured.status === "succeeded"
          ? { status: "approved", reference: captured.id }
          : { status: "declined", message: `Stripe left the payment ${captured.status}.` };
      }),

    void: (request) =>
      followUp(async () => {
        const intent = await intentOf(request);
        if (!intent) return { status: "declined", message: "Stripe has no authorized payment for this session." };
        if (intent.status === "canceled") return { status: "approved", reference: intent.id };
        const canceled = await stripe.paymentIntents.cancel(intent.id, { cancellation_reason: "requested_by_customer" }, { idempotencyKey: `void-${request.operationId}` });
        return canceled.status === "canceled" ? { status: "approved", reference: canceled.id } : { status: "declined", message: `Stripe left the payment ${canceled.status}.` };
      }),

    refund: (request) =>
      followUp(async () => {
        const intent = await intentOf(request);
        if (!intent) return { status: "declined", message: "Stripe has no captured payment for this session." };
        // The refund made for this operation, if any, answers with its current state.
        const existing = await refundOf(intent.id, request.operationId);
        if (existing) return refundState(existing);
        const amount = stripeAmount(request.amount);
        if (amount === null) return { status: "declined", message: "The amount is larger than Stripe accepts." };
        const refund = await stripe.refunds.create(
          { payment_intent: intent.id, amount, metadata: { operation_id: request.operationId, payment_id: request.paymentId } },
          { idempotencyKey: `refund-${request.operationId}` },
        );
        return refundState(refund);
      }),

    async readNotification({ rawBody, headers }): Promise<ProviderNotification> {
      const secret = account.webhookSigningSecret;
      const signature = headers.get("stripe-signature");
      if (!secret || !signature) throw new ProviderSignatureError("No Stripe-Signature, or no signing secret for this account.");
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature, secret, options.webhookToleranceSeconds ?? 300);
      } catch (error) {
        throw new ProviderSignatureError(error instanceof Error ? error.message : "Bad Stripe-Signature.");
      }
      const base = { eventId: event.id, type: event.type };
      // Stripe delivers events late, twice and out of order: each names its
      // object, whose CURRENT state is read back, never the event's snapshot.
      switch (event.type) {
        case "checkout.session.completed":
        case "checkout.session.async_payment_succeeded":
        case "checkout.session.async_payment_failed":
        case "checkout.session.expired": {
          const paymentId = event.data.object.client_reference_id;
          if (!paymentId) return { ...base, about: "nothing" };
          return { ...base, about: "charge", paymentId, result: await chargeStatus(paymentId, event.data.object.id) };
        }
        case "payment_intent.amount_capturable_updated":
        case "payment_intent.succeeded":
        case "payment_intent.payment_failed":
        case "payment_intent.canceled": {
          const paymentId = event.data.object.metadata?.payment_id;
          if (!paymentId) return { ...base, about: "nothing" };
          return { ...base, about: "charge", paymentId, result: await chargeStatus(paymentId, event.data.object.id) };
        }
        case "refund.updated":
        case "refund.failed":
        case "charge.refund.updated": {
          const operationId = event.data.object.metadata?.operation_id;
          if (!operationId) return { ...base, about: "nothing" };
          const current = await stripe.refunds.retrieve(event.data.object.id);
          return { ...base, about: "follow-up", operation: "refund", operationId, result: refundState(current) };
        }
        default:
          return { ...base, about: "nothing" };
      }
    },
  };
  return provider;
}

/** Our Money in Stripe's integer minor units; null beyond what Stripe accepts. */
export function stripeAmount(money: Money): number | null {
  if (money.minor < 0n || money.minor > MAX_STRIPE_AMOUNT) return null;
  return Number(money.minor);
}

// The locales Stripe's Checkout page speaks; others fall back to Stripe's choice ("auto").
const STRIPE_LOCALES = new Set(["bg", "cs", "da", "de", "el", "en", "en-GB", "es", "es-419", "et", "fi", "fil", "fr", "fr-CA", "hr", "hu", "id", "it", "ja", "ko", "lt", "lv", "ms", "mt", "nb", "nl", "pl", "pt", "pt-BR", "ro", "ru", "sk", "sl", "sv", "th", "tr", "vi", "zh", "zh-HK", "zh-TW"]);

export function stripeLocale(locale: string): Stripe.Checkout.SessionCreateParams.Locale {
  if (STRIPE_LOCALES.has(locale)) return locale;
  const language = locale.split("-")[0] ?? "";
  return (STRIPE_LOCALES.has(language) ? language : "auto");
}
