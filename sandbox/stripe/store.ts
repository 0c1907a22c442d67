import { randomBytes } from "node:crypto";
import { scopeKey, type Scope } from "./accounts";
import type { TestCard } from "./cards";
import { amountTooLarge, resourceMissing, StripeApiError, unexpectedState } from "./errors";
import { newId } from "./ids";
import { formatAmount } from "./money";
import { refundedAmount, renderCharge, renderPaymentIntent, renderRefund, renderSession } from "./objects";
import type {
  BankDebitRecord,
  CardRecord,
  ChargeRecord,
  EventRecord,
  LineItemRecord,
  PaymentErrorRecord,
  PaymentIntentRecord,
  RefundRecord,
  SessionRecord,
  WebhookEndpointRecord,
} from "./records";

/**
 * The local Stripe's objects and their state machines: Checkout Sessions, PaymentIntents,
 * charges, refunds, webhook endpoints and events. Every state change happens here, through one
 * method per transition, and records the Events Stripe would send. Methods are synchronous, so
 * a request's changes and events are applied as one step.
 */
export interface StoreOptions {
  /** Milliseconds since the epoch; the sandbox's clock (advanced by POST /_sandbox/advance). */
  now: () => number;
  /** Called once per Event, after the change it reports (webhook delivery). */
  onEvent: (event: EventRecord) => void;
  /** The api_version events are rendered in. */
  apiVersion: string;
  /** Seconds an uncaptured card authorization lasts (Stripe: 7 days for online card payments). */
  authorizationSeconds?: number;
  /** Seconds until a delayed (bank debit) payment settles when the buyer picked its outcome. */
  delayedSettleSeconds?: number;
}

/** What creating a session takes: the record's own fields, less what the store assigns. */
export type SessionInput = Pick<
  SessionRecord,
  | "currency"
  | "captureMethod"
  | "paymentIntentMetadata"
  | "paymentIntentDescription"
  | "successUrl"
  | "cancelUrl"
  | "clientReferenceId"
  | "metadata"
  | "locale"
  | "customerEmail"
  | "paymentMethodTypes"
  | "allowedPaymentMethodTypes"
> & { lineItems: Omit<LineItemRecord, "id">[]; expiresAt: number | null };

export type SettleOutcome = "succeeded" | "failed";

export interface RefundHold {
  /** Where a held refund ends; without it, it stays pending until settled by hand. */
  outcome?: SettleOutcome;
  /** Seconds after creation at which it settles to `outcome` (the sandbox clock). */
  afterSeconds?: number;
}

type CancellationReason = "duplicate" | "fraudulent" | "requested_by_customer" | "abandoned";

interface RequestContext {
  id: string | null;
  idempotency_key: string | null;
}

const DAY = 24 * 60 * 60;

export class StripeStore {
  readonly sessions = new Map<string, SessionRecord>();
  readonly paymentIntents = new Map<string, PaymentIntentRecord>();
  readonly charges = new Map<string, ChargeRecord>();
  readonly refunds = new Map<string, RefundRecord>();
  readonly endpoints = new Map<string, WebhookEndpointRecord>();
  readonly events = new Map<string, EventRecord>();
  /** Delayed payments waiting to settle: PaymentIntent id → outcome and time (seconds). */
  private readonly pendingDebits = new Map<string, { outcome: SettleOutcome; at: number }>();
  private readonly refundHolds: RefundHold[] = [];
  private request: RequestContext = { id: null, idempotency_key: null };
  private readonly authorizationSeconds: number;
  private readonly delayedSettleSeconds: number;

  constructor(private readonly options: StoreOptions) {
    this.authorizationSeconds = options.authorizationSeconds ?? 7 * DAY;
    this.delayedSettleSeconds = options.delayedSettleSeconds ?? 5;
  }

  nowSeconds(): number {
    return Math.floor(this.options.now() / 1000);
  }

  /** Events made while fn runs name the API request that caused them (Stripe's event.request). */
  withRequest<T>(request: RequestContext, fn: () => T): T {
    const previous = this.request;
    this.request = request;
    try {
      return fn();
    } finally {
      this.request = previous;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Lookup and rendering
  // -------------------------------------------------------------------------------------------

  private find<T extends { scope: Scope }>(map: Map<string, T>, scope: Scope, id: string, objectName: string, param: string): T {
    const record = map.get(id);
    // Another account's (or mode's) object does not exist for this key, as on Stripe.
    if (!record || scopeKey(record.scope) !== scopeKey(scope)) throw resourceMissing(objectName, id, param);
    return record;
  }

  session(scope: Scope, id: string, param = "session") {
    return this.find(this.sessions, scope, id, "checkout.session", param);
  }
  paymentIntent(scope: Scope, id: string, param = "intent") {
    return this.find(this.paymentIntents, scope, id, "payment_intent", param);
  }
  charge(scope: Scope, id: string, param = "charge") {
    return this.find(this.charges, scope, id, "charge", param);
  }
  refund(scope: Scope, id: string, param = "refund") {
    return this.find(this.refunds, scope, id, "refund", param);
  }
  endpoint(scope: Scope, id: string, param = "webhook_endpoint") {
    return this.find(this.endpoints, scope, id, "webhook_endpoint", param);
  }
  event(scope: Scope, id: string, param = "id") {
    return this.find(this.events, scope, id, "event", param);
  }

  refundsOf(chargeId: string): RefundRecord[] {
    const charge = this.charges.get(chargeId);
    return (charge?.refundIds ?? []).map((id) => this.refunds.get(id)).filter((r): r is RefundRecord => !!r);
  }

  renderSession = (s: SessionRecord) => renderSession(s);
  renderPaymentIntent = (pi: PaymentIntentRecord) => renderPaymentIntent(pi);
  renderCharge = (c: ChargeRecord) => renderCharge(c, this.refundsOf(c.id));
  renderRefund = (r: RefundRecord) => renderRefund(r);

  /** Any object by id, rendered, for `expand[]` (null when the id is not an expandable object). */
  renderById(scope: Scope, id: string): Record<string, unknown> | null {
    const prefix = id.slice(0, id.indexOf("_"));
    switch (prefix) {
      case "cs":
        return { ...this.renderSession(this.session(scope, id)) };
      case "pi":
        return { ...this.renderPaymentIntent(this.paymentIntent(scope, id)) };
      case "ch":
        return { ...this.renderCharge(this.charge(scope, id)) };
      case "re":
        return { ...this.renderRefund(this.refund(scope, id)) };
      default:
        return null;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Events
  // -------------------------------------------------------------------------------------------

  private emit(scope: Scope, type: string, object: object, previousAttributes: Record<string, unknown> | null = null): void {
    const matching = [...this.endpoints.values()].filter((w) => scopeKey(w.scope) === scopeKey(scope) && w.status === "enabled" && endpointTakes(w, type));
    const event: EventRecord = {
      kind: "event",
      id: newId("evt"),
      scope,
      created: this.nowSeconds(),
      type,
      apiVersion: this.options.apiVersion,
      // A snapshot: later changes to the object never change what this event said.
      object: JSON.parse(JSON.stringify(object)) as Record<string, unknown>,
      previousAttributes,
      request: { ...this.request },
      pendingWebhooks: matching.length,
    };
    this.events.set(event.id, event);
    this.options.onEvent(event);
  }

  // -------------------------------------------------------------------------------------------
  // Checkout Sessions
  // -------------------------------------------------------------------------------------------

  createSession(scope: Scope, input: SessionInput, origin: string): SessionRecord {
    const id = newId("cs", scope.livemode);
    const created = this.nowSeconds();
    const lineItems = input.lineItems.map((item) => ({ ...item, id: newId("li") }));
    const session: SessionRecord = {
      kind: "checkout.session",
      id,
      scope,
      created,
      expiresAt: input.expiresAt ?? created + DAY,
      currency: input.currency,
      lineItems,
      amountTotal: lineItems.reduce((sum, item) => sum + item.unitAmount * item.quantity, 0),
      captureMethod: input.captureMethod,
      paymentIntentMetadata: input.paymentIntentMetadata,
      paymentIntentDescription: input.paymentIntentDescription,
      successUrl: input.successUrl,
      cancelUrl: input.cancelUrl,
      clientReferenceId: input.clientReferenceId,
      metadata: input.metadata,
      locale: input.locale,
      customerEmail: input.customerEmail,
      paymentMethodTypes: input.paymentMethodTypes,
      allowedPaymentMethodTypes: input.allowedPaymentMethodTypes,
      status: "open",
      paymentStatus: "unpaid",
      paymentIntentId: null,
      url: `${origin}/c/pay/${id}`,
    };
    this.sessions.set(id, session);
    return session;
  }

  /** POST /v1/checkout/sessions/:id/expire, and the clock passing expires_at. */
  expireSession(session: SessionRecord): SessionRecord {
    if (session.status !== "open") {
      throw unexpectedState(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`, "checkout_session_unexpected_state");
    }
    session.status = "expired";
    const pi = session.paymentIntentId ? this.paymentIntents.get(session.paymentIntentId) : undefined;
    if (pi && (pi.status === "requires_payment_method" || pi.status === "requires_action")) this.cancelIntent(pi, "abandoned");
    this.emit(session.scope, "checkout.session.expired", this.renderSession(session), { status: "open" });
    return session;
  }

  /** The sandbox's hosted page reaches sessions by id alone (the id is the buyer's capability). */
  sessionForPage(id: string): SessionRecord | undefined {
    this.sweep();
    return this.sessions.get(id);
  }

  /** The PaymentIntent a Checkout Session creates when the buyer first confirms (API versions since 2022-08-01). */
  private intentFor(session: SessionRecord, paymentMethodType: string): PaymentIntentRecord {
    if (session.status !== "open") throw unexpectedState("This Checkout Session is no longer open.", "checkout_session_unexpected_state");
    const existing = session.paymentIntentId ? this.paymentIntents.get(session.paymentIntentId) : undefined;
    if (existing) {
      if (existing.status !== "requires_payment_method") throw unexpectedState(`This PaymentIntent has a status of ${existing.status}.`);
      existing.paymentMethodTypes = [paymentMethodType];
      return existing;
    }
    const pi: PaymentIntentRecord = {
      kind: "payment_intent",
      id: newId("pi"),
      scope: session.scope,
      created: this.nowSeconds(),
      amount: session.amountTotal,
      currency: session.currency,
      captureMethod: session.captureMethod,
      metadata: { ...session.paymentIntentMetadata },
      description: session.paymentIntentDescription,
      status: "requires_payment_method",
      amountCapturable: 0,
      amountReceived: 0,
      latestChargeId: null,
      lastPaymentError: null,
      canceledAt: null,
      cancellationReason: null,
      paymentMethodTypes: [paymentMethodType],
      paymentMethodId: null,
      pendingCard: null,
      sessionId: session.id,
      receiptEmail: session.customerEmail,
    };
    this.paymentIntents.set(pi.id, pi);
    session.paymentIntentId = pi.id;
    this.emit(pi.scope, "payment_intent.created", this.renderPaymentIntent(pi));
    return pi;
  }

  /** The buyer paid with a card on the hosted page. */
  payWithCard(session: SessionRecord, testCard: TestCard, expiry: { month: number; year: number }): "succeeded" | "requires_action" | PaymentErrorRecord {
    const pi = this.intentFor(session, "card");
    const card: CardRecord = { ...testCard.card, expMonth: expiry.month, expYear: expiry.year };
    pi.paymentMethodId = newId("pm");
    pi.lastPaymentError = null;
    // Stripe refuses test cards on live objects, before the card network sees them.
    if (session.scope.livemode) return this.decline(pi, card, "test_mode_live_card", "Your card was declined. Your request was in live mode, but used a known test card.");
    const behaviour = testCard.behaviour;
    if (behaviour.kind === "declines") return this.decline(pi, card, behaviour.declineCode, behaviour.message);
    if (behaviour.kind === "requires_3ds") {
      pi.status = "requires_action";
      pi.pendingCard = card;
      this.emit(pi.scope, "payment_intent.requires_action", this.renderPaymentIntent(pi), { status: "requires_payment_method" });
      return "requires_action";
    }
    this.authorize(pi, card);
    return "succeeded";
  }

  /** The buyer completed or failed the 3-D Secure step. */
  finishAuthentication(session: SessionRecord, authenticated: boolean): "succeeded" | PaymentErrorRecord {
    const pi = session.paymentIntentId ? this.paymentIntents.get(session.paymentIntentId) : undefined;
    if (!pi || pi.status !== "requires_action" || !pi.pendingCard) throw unexpectedState("This payment needs no authentication.");
    const card = pi.pendingCard;
    pi.pendingCard = null;
    if (authenticated) {
      this.authorize(pi, { ...card });
      return "succeeded";
    }
    // A failed challenge makes no charge; the buyer may try again with another card.
    pi.status = "requires_payment_method";
    pi.lastPaymentError = {
      type: "card_error",
      code: "authentication_required",
      declineCode: "authentication_required",
      message: "Your card was declined. This transaction requires authentication.",
      chargeId: null,
      paymentMethodType: "card",
    };
    pi.paymentMethodId = null;
    this.emit(pi.scope, "payment_intent.payment_failed", this.renderPaymentIntent(pi), { status: "requires_action" });
    return pi.lastPaymentError;
  }

  private newCharge(pi: PaymentIntentRecord, fields: Pick<ChargeRecord, "status" | "paid" | "captured" | "amountCaptured" | "card" | "bankDebit" | "failureCode" | "failureMessage" | "outcome" | "captureBefore">): ChargeRecord {
    const charge: ChargeRecord = {
      kind: "charge",
      id: newId("ch"),
      scope: pi.scope,
      created: this.nowSeconds(),
      amount: pi.amount,
      currency: pi.currency,
      paymentIntentId: pi.id,
      paymentMethodId: pi.paymentMethodId ?? newId("pm"),
      metadata: { ...pi.metadata },
      description: pi.description,
      receiptEmail: pi.receiptEmail,
      refundIds: [],
      ...fields,
    };
    this.charges.set(charge.id, charge);
    pi.latestChargeId = charge.id;
    return charge;
  }

  private authorize(pi: PaymentIntentRecord, card: CardRecord): void {
    const manual = pi.captureMethod === "manual";
    const charge = this.newCharge(pi, {
      status: "succeeded",
      paid: true,
      captured: !manual,
      amountCaptured: manual ? 0 : pi.amount,
      card,
      bankDebit: null,
      failureCode: null,
      failureMessage: null,
      outcome: { type: "authorized", networkStatus: "approved_by_network", reason: null, sellerMessage: "Payment complete.", riskLevel: "normal" },
      captureBefore: manual ? this.nowSeconds() + this.authorizationSeconds : null,
    });
    const before = pi.status;
    this.emit(pi.scope, "charge.succeeded", this.renderCharge(charge));
    if (manual) {
      pi.status = "requires_capture";
      pi.amountCapturable = pi.amount;
      this.emit(pi.scope, "payment_intent.amount_capturable_updated", this.renderPaymentIntent(pi), { status: before, amount_capturable: 0 });
    } else {
      pi.status = "succeeded";
      pi.amountReceived = pi.amount;
      this.emit(pi.scope, "payment_intent.succeeded", this.renderPaymentIntent(pi), { status: before, amount_received: 0 });
    }
    // An authorized card counts as paid for Checkout (README: "Choices").
    this.completeSession(pi, "paid");
  }

  private decline(pi: PaymentIntentRecord, card: CardRecord, declineCode: string, message: string): PaymentErrorRecord {
    const charge = this.newCharge(pi, {
      status: "failed",
      paid: false,
      captured: false,
      amountCaptured: 0,
      card,
      bankDebit: null,
      failureCode: "card_declined",
      failureMessage: message,
      outcome: { type: "issuer_declined", networkStatus: "declined_by_network", reason: declineCode, sellerMessage: "The bank did not return any further details with this decline.", riskLevel: "normal" },
      captureBefore: null,
    });
    pi.status = "requires_payment_method";
    pi.lastPaymentError = { type: "card_error", code: "card_declined", declineCode, message, chargeId: charge.id, paymentMethodType: "card" };
    pi.paymentMethodId = null;
    this.emit(pi.scope, "charge.failed", this.renderCharge(charge));
    this.emit(pi.scope, "payment_intent.payment_failed", this.renderPaymentIntent(pi));
    return pi.lastPaymentError;
  }

  private completeSession(pi: PaymentIntentRecord, paymentStatus: "paid" | "unpaid"): void {
    const session = pi.sessionId ? this.sessions.get(pi.sessionId) : undefined;
    if (!session || session.status !== "open") return;
    session.status = "complete";
    session.paymentStatus = paymentStatus;
    this.emit(session.scope, "checkout.session.completed", this.renderSession(session));
  }

  /**
   * A delayed payment method (like SEPA Direct Debit): the session completes unpaid, the
   * PaymentIntent is processing, and it settles later: at the outcome the buyer picked after
   * delayedSettleSeconds, or when a control endpoint says.
   */
  payWithBankDebit(session: SessionRecord, outcome: SettleOutcome | null): void {
    const pi = this.intentFor(session, "sepa_debit");
    pi.paymentMethodId = newId("pm");
    pi.lastPaymentError = null;
    const bankDebit: BankDebitRecord = { last4: "3000", country: "DE", bankCode: "37040044", fingerprint: "Sd4Ebc2a0vPQ0kzH" };
    const charge = this.newCharge(pi, {
      status: "pending",
      paid: false,
      captured: true,
      amountCaptured: pi.amount,
      card: null,
      bankDebit,
      failureCode: null,
      failureMessage: null,
      outcome: { type: "authorized", networkStatus: "approved_by_network", reason: null, sellerMessage: "Payment complete.", riskLevel: "not_assessed" },
      captureBefore: null,
    });
    pi.status = "processing";
    this.emit(pi.scope, "charge.pending", this.renderCharge(charge));
    this.emit(pi.scope, "payment_intent.processing", this.renderPaymentIntent(pi), { status: "requires_payment_method" });
    this.completeSession(pi, "unpaid");
    if (outcome) this.pendingDebits.set(pi.id, { outcome, at: this.nowSeconds() + this.delayedSettleSeconds });
  }

  /** The bank answered a delayed payment. */
  settleBankDebit(pi: PaymentIntentRecord, outcome: SettleOutcome): PaymentIntentRecord {
    if (pi.status !== "processing") throw unexpectedState(`This PaymentIntent is not processing (status ${pi.status}).`);
    this.pendingDebits.delete(pi.id);
    const charge = pi.latestChargeId ? this.charges.get(pi.latestChargeId) : undefined;
    if (!charge) throw unexpectedState("This PaymentIntent has no charge to settle.");
    const session = pi.sessionId ? this.sessions.get(pi.sessionId) : undefined;
    if (outcome === "succeeded") {
      charge.status = "succeeded";
      charge.paid = true;
      pi.status = "succeeded";
      pi.amountReceived = pi.amount;
      this.emit(pi.scope, "charge.succeeded", this.renderCharge(charge));
      this.emit(pi.scope, "payment_intent.succeeded", this.renderPaymentIntent(pi), { status: "processing", amount_received: 0 });
      if (session) {
        session.paymentStatus = "paid";
        this.emit(session.scope, "checkout.session.async_payment_succeeded", this.renderSession(session));
      }
    } else {
      charge.status = "failed";
      charge.amountCaptured = 0;
      charge.failureCode = "insufficient_funds";
      charge.failureMessage = "The customer's account has insufficient funds to cover this payment.";
      charge.outcome = { type: "issuer_declined", networkStatus: "declined_by_network", reason: "insufficient_funds", sellerMessage: "The bank returned the debit.", riskLevel: "not_assessed" };
      pi.status = "requires_payment_method";
      pi.paymentMethodId = null;
      pi.lastPaymentError = { type: "card_error", code: "insufficient_funds", declineCode: null, message: charge.failureMessage, chargeId: charge.id, paymentMethodType: "sepa_debit" };
      this.emit(pi.scope, "charge.failed", this.renderCharge(charge));
      this.emit(pi.scope, "payment_intent.payment_failed", this.renderPaymentIntent(pi), { status: "processing" });
      if (session) this.emit(session.scope, "checkout.session.async_payment_failed", this.renderSession(session));
    }
    return pi;
  }

  // -------------------------------------------------------------------------------------------
  // PaymentIntents: capture and cancel
  // -------------------------------------------------------------------------------------------

  /**
   * Captures an authorization, all or part. Without multicapture (the sandbox's accounts have
   * none) one capture ends it: the PaymentIntent succeeds and the uncaptured rest is released.
   */
  capture(pi: PaymentIntentRecord, amountToCapture: number | null): PaymentIntentRecord {
    if (pi.status !== "requires_capture") {
      throw unexpectedState(`This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`);
    }
    const amount = amountToCapture ?? pi.amountCapturable;
    if (amount > pi.amountCapturable) {
      throw amountTooLarge(`The amount to capture (${formatAmount(amount, pi.currency)}) must be less than or equal to the PaymentIntent's amount_capturable (${formatAmount(pi.amountCapturable, pi.currency)}).`, "amount_to_capture");
    }
    const charge = pi.latestChargeId ? this.charges.get(pi.latestChargeId) : undefined;
    if (!charge) throw unexpectedState("This PaymentIntent has no charge to capture.");
    charge.captured = true;
    charge.amountCaptured = amount;
    charge.captureBefore = null;
    pi.status = "succeeded";
    pi.amountReceived = amount;
    pi.amountCapturable = 0;
    this.emit(pi.scope, "charge.captured", this.renderCharge(charge), { captured: false, amount_captured: 0 });
    this.emit(pi.scope, "payment_intent.succeeded", this.renderPaymentIntent(pi), { status: "requires_capture", amount_received: 0 });
    return pi;
  }

  cancel(pi: PaymentIntentRecord, reason: CancellationReason | null): PaymentIntentRecord {
    const cancelable = ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"];
    if (!cancelable.includes(pi.status)) {
      throw unexpectedState(`You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${cancelable.join(", ")}.`);
    }
    const session = pi.sessionId ? this.sessions.get(pi.sessionId) : undefined;
    if (session?.status === "open") {
      throw unexpectedState("This PaymentIntent's Checkout Session is still open: expire the Checkout Session instead (POST /v1/checkout/sessions/:id/expire).");
    }
    return this.cancelIntent(pi, reason);
  }

  private cancelIntent(pi: PaymentIntentRecord, reason: PaymentIntentRecord["cancellationReason"]): PaymentIntentRecord {
    const before = pi.status;
    pi.status = "canceled";
    pi.canceledAt = this.nowSeconds();
    pi.cancellationReason = reason;
    pi.amountCapturable = 0;
    pi.pendingCard = null;
    this.pendingDebits.delete(pi.id);
    this.emit(pi.scope, "payment_intent.canceled", this.renderPaymentIntent(pi), { status: before });
    return pi;
  }

  // -------------------------------------------------------------------------------------------
  // Refunds
  // -------------------------------------------------------------------------------------------

  /** The next refunds stay pending (and settle later, if told how), one hold per refund. */
  holdRefunds(count: number, hold: RefundHold): void {
    for (let i = 0; i < count; i++) this.refundHolds.push({ ...hold });
  }

  createRefund(scope: Scope, input: { paymentIntentId: string | null; chargeId: string | null; amount: number | null; metadata: Record<string, string>; reason: RefundRecord["reason"] }): RefundRecord {
    let charge: ChargeRecord;
    if (input.paymentIntentId) {
      const pi = this.paymentIntent(scope, input.paymentIntentId, "payment_intent");
      const latest = pi.latestChargeId ? this.charges.get(pi.latestChargeId) : undefined;
      if (!latest || pi.status !== "succeeded") {
        throw new StripeApiError(400, { type: "invalid_request_error", message: `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, param: "payment_intent" }, true);
      }
      if (input.chargeId && input.chargeId !== latest.id) {
        throw new StripeApiError(400, { type: "invalid_request_error", message: `The charge ${input.chargeId} does not belong to PaymentIntent ${pi.id}.`, param: "charge" });
      }
      charge = latest;
    } else if (input.chargeId) {
      charge = this.charge(scope, input.chargeId, "charge");
    } else {
      throw new StripeApiError(400, { type: "invalid_request_error", code: "parameter_missing", message: "One of the following params should be provided for this request: payment_intent or charge." });
    }
    if (charge.status !== "succeeded" || !charge.captured) {
      throw new StripeApiError(400, { type: "invalid_request_error", message: `Charge ${charge.id} has not been captured and cannot be refunded; cancel its PaymentIntent to release it.`, param: "charge" }, true);
    }
    const refunds = this.refundsOf(charge.id);
    const remaining = charge.amountCaptured - refundedAmount(refunds);
    if (remaining <= 0) {
      throw new StripeApiError(400, { type: "invalid_request_error", code: "charge_already_refunded", message: `Charge ${charge.id} has already been refunded.`, doc_url: "https://stripe.com/docs/error-codes/charge-already-refunded" }, true);
    }
    const amount = input.amount ?? remaining;
    if (amount > remaining) {
      throw amountTooLarge(`Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`);
    }
    const hold = this.refundHolds.shift();
    const now = this.nowSeconds();
    const refund: RefundRecord = {
      kind: "refund",
      id: newId("re"),
      scope,
      created: now,
      amount,
      currency: charge.currency,
      chargeId: charge.id,
      paymentIntentId: charge.paymentIntentId,
      status: hold ? "pending" : "succeeded",
      reason: input.reason,
      metadata: input.metadata,
      failureReason: null,
      settle: hold?.outcome ? { outcome: hold.outcome, at: hold.afterSeconds === undefined ? null : now + hold.afterSeconds } : null,
    };
    const refundedBefore = refundedAmount(refunds);
    this.refunds.set(refund.id, refund);
    charge.refundIds.push(refund.id);
    this.emit(scope, "refund.created", this.renderRefund(refund));
    this.emit(scope, "charge.refunded", this.renderCharge(charge), { amount_refunded: refundedBefore });
    return refund;
  }

  /** A pending refund reaches its end (control endpoint, or its hold's time came). */
  settleRefund(refund: RefundRecord, outcome: SettleOutcome): RefundRecord {
    if (refund.status !== "pending") throw unexpectedState(`Refund ${refund.id} is ${refund.status}, not pending.`, "refund_unexpected_state");
    refund.settle = null;
    refund.status = outcome;
    if (outcome === "failed") {
      refund.failureReason = "declined";
      this.emit(refund.scope, "refund.failed", this.renderRefund(refund), { status: "pending" });
    }
    this.emit(refund.scope, "refund.updated", this.renderRefund(refund), { status: "pending" });
    this.emit(refund.scope, "charge.refund.updated", this.renderRefund(refund), { status: "pending" });
    return refund;
  }

  // -------------------------------------------------------------------------------------------
  // Webhook endpoints and events
  // -------------------------------------------------------------------------------------------

  createEndpoint(scope: Scope, input: { url: string; enabledEvents: string[]; description: string | null; metadata: Record<string, string>; apiVersion: string | null }): WebhookEndpointRecord {
    const endpoint: WebhookEndpointRecord = {
      kind: "webhook_endpoint",
      id: newId("we"),
      scope,
      created: this.nowSeconds(),
      url: input.url,
      enabledEvents: input.enabledEvents,
      description: input.description,
      metadata: input.metadata,
      apiVersion: input.apiVersion,
      secret: `whsec_${randomBytes(24).toString("hex")}`,
      status: "enabled",
    };
    this.endpoints.set(endpoint.id, endpoint);
    return endpoint;
  }

  deleteEndpoint(endpoint: WebhookEndpointRecord): void {
    this.endpoints.delete(endpoint.id);
  }

  // -------------------------------------------------------------------------------------------
  // Time
  // -------------------------------------------------------------------------------------------

  /**
   * What the passing of time does: open sessions past expires_at expire, uncaptured
   * authorizations past capture_before are canceled, delayed payments and held refunds whose
   * time came settle. Called before every request and on a timer.
   */
  sweep(): void {
    const now = this.nowSeconds();
    for (const session of this.sessions.values()) {
      if (session.status === "open" && session.expiresAt <= now) this.withRequest({ id: null, idempotency_key: null }, () => this.expireSession(session));
    }
    for (const pi of this.paymentIntents.values()) {
      const charge = pi.latestChargeId ? this.charges.get(pi.latestChargeId) : undefined;
      if (pi.status === "requires_capture" && charge?.captureBefore !== null && charge?.captureBefore !== undefined && charge.captureBefore <= now) {
        this.withRequest({ id: null, idempotency_key: null }, () => {
          this.emit(pi.scope, "charge.expired", this.renderCharge(charge));
          this.cancelIntent(pi, "automatic");
        });
      }
    }
    for (const [piId, due] of [...this.pendingDebits]) {
      const pi = this.paymentIntents.get(piId);
      if (pi && due.at <= now) this.withRequest({ id: null, idempotency_key: null }, () => this.settleBankDebit(pi, due.outcome));
    }
    for (const refund of this.refunds.values()) {
      if (refund.status === "pending" && refund.settle?.at !== null && refund.settle?.at !== undefined && refund.settle.at <= now) {
        const outcome = refund.settle.outcome;
        this.withRequest({ id: null, idempotency_key: null }, () => this.settleRefund(refund, outcome));
      }
    }
  }
}

export function endpointTakes(endpoint: WebhookEndpointRecord, type: string): boolean {
  return endpoint.enabledEvents.includes("*") || endpoint.enabledEvents.includes(type);
}
