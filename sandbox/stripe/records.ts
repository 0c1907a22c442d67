import type { Scope } from "./accounts";

/**
 * What the sandbox remembers about each object. Amounts are integers in the currency's minor
 * unit (as on Stripe's wire); objects.ts renders these records in Stripe's shape.
 */
export interface LineItemRecord {
  id: string;
  name: string;
  unitAmount: number;
  quantity: number;
  currency: string;
}

export type SessionStatus = "open" | "complete" | "expired";
export type SessionPaymentStatus = "paid" | "unpaid";
export type CaptureMethod = "automatic" | "automatic_async" | "manual";

export interface SessionRecord {
  kind: "checkout.session";
  id: string;
  scope: Scope;
  created: number;
  expiresAt: number;
  currency: string;
  lineItems: LineItemRecord[];
  amountTotal: number;
  captureMethod: CaptureMethod;
  paymentIntentMetadata: Record<string, string>;
  paymentIntentDescription: string | null;
  successUrl: string | null;
  cancelUrl: string | null;
  clientReferenceId: string | null;
  metadata: Record<string, string>;
  locale: string | null;
  customerEmail: string | null;
  /** What the buyer is offered (never empty). */
  paymentMethodTypes: string[];
  /** The `allowed_payment_method_types` filter as given, or null. */
  allowedPaymentMethodTypes: string[] | null;
  status: SessionStatus;
  paymentStatus: SessionPaymentStatus;
  paymentIntentId: string | null;
  url: string;
}

export type PaymentIntentStatus =
  | "requires_payment_method"
  | "requires_confirmation"
  | "requires_action"
  | "processing"
  | "requires_capture"
  | "succeeded"
  | "canceled";

export interface PaymentErrorRecord {
  type: "card_error" | "invalid_request_error";
  code: string;
  declineCode: string | null;
  message: string;
  chargeId: string | null;
  paymentMethodType: string;
}

export interface PaymentIntentRecord {
  kind: "payment_intent";
  id: string;
  scope: Scope;
  created: number;
  amount: number;
  currency: string;
  captureMethod: CaptureMethod;
  metadata: Record<string, string>;
  description: string | null;
  status: PaymentIntentStatus;
  amountCapturable: number;
  amountReceived: number;
  latestChargeId: string | null;
  lastPaymentError: PaymentErrorRecord | null;
  canceledAt: number | null;
  cancellationReason: "abandoned" | "automatic" | "duplicate" | "expired" | "failed_invoice" | "fraudulent" | "requested_by_customer" | "void_invoice" | null;
  paymentMethodTypes: string[];
  paymentMethodId: string | null;
  /** Set while a 3-D Secure step waits on the hosted page. */
  pendingCard: CardRecord | null;
  sessionId: string | null;
  receiptEmail: string | null;
}

export interface CardRecord {
  brand: "visa" | "mastercard" | "amex";
  last4: string;
  expMonth: number;
  expYear: number;
  fingerprint: string;
  funding: "credit" | "debit";
  country: string;
  threeDSecure: boolean;
}

export interface BankDebitRecord {
  last4: string;
  country: string;
  bankCode: string;
  fingerprint: string;
}

export type ChargeStatus = "succeeded" | "pending" | "failed";

export interface ChargeRecord {
  kind: "charge";
  id: string;
  scope: Scope;
  created: number;
  amount: number;
  currency: string;
  status: ChargeStatus;
  paid: boolean;
  captured: boolean;
  amountCaptured: number;
  paymentIntentId: string;
  paymentMethodId: string;
  card: CardRecord | null;
  bankDebit: BankDebitRecord | null;
  failureCode: string | null;
  failureMessage: string | null;
  outcome: { type: "authorized" | "issuer_declined" | "blocked" | "invalid"; networkStatus: "approved_by_network" | "declined_by_network" | "not_sent_to_network"; reason: string | null; sellerMessage: string; riskLevel: string };
  /** The capture deadline of an uncaptured card charge (seconds). */
  captureBefore: number | null;
  metadata: Record<string, string>;
  description: string | null;
  receiptEmail: string | null;
  refundIds: string[];
}

export type RefundStatus = "pending" | "requires_action" | "succeeded" | "failed" | "canceled";

export interface RefundRecord {
  kind: "refund";
  id: string;
  scope: Scope;
  created: number;
  amount: number;
  currency: string;
  chargeId: string;
  paymentIntentId: string;
  status: RefundStatus;
  reason: "duplicate" | "fraudulent" | "requested_by_customer" | null;
  metadata: Record<string, string>;
  failureReason: string | null;
  /** A held refund settles to this outcome when the clock passes settleAt (seconds), if set. */
  settle: { outcome: "succeeded" | "failed"; at: number | null } | null;
}

export interface WebhookEndpointRecord {
  kind: "webhook_endpoint";
  id: string;
  scope: Scope;
  created: number;
  url: string;
  enabledEvents: string[];
  description: string | null;
  metadata: Record<string, string>;
  apiVersion: string | null;
  secret: string;
  status: "enabled" | "disabled";
}

export interface EventRecord {
  kind: "event";
  id: string;
  scope: Scope;
  created: number;
  type: string;
  apiVersion: string;
  /** A snapshot of the object as it was when the event happened. */
  object: Record<string, unknown>;
  previousAttributes: Record<string, unknown> | null;
  request: { id: string | null; idempotency_key: string | null };
  pendingWebhooks: number;
}

export type StoredRecord = SessionRecord | PaymentIntentRecord | ChargeRecord | RefundRecord | WebhookEndpointRecord | EventRecord;
