import type { PaymentKind, PaymentRejectionCode } from "@prisma/client";
import type { Card } from "../cards/card.server";
import type { Money } from "../payments/rules/money";

/**
 * The seam where a payment service provider plugs in. The app calls it to move
 * money and never talks to Shopify from here; adding a provider touches no route
 * and no Shopify code. Every call is idempotent by the app's own session id, so
 * the app may repeat a call whose answer it lost.
 */
export interface PaymentProvider {
  readonly name: string;
  /** Sale or authorization of a payment session. */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /**
   * The current state of a charge, asked again while it is pending, unknown or
   * redirected (reconciliation). `reference` is the last one the provider gave
   * for it, when the app has one (providers that keep no record of the app's ids need it).
   */
  chargeStatus(paymentId: string, reference?: string | null): Promise<ChargeResult>;
  /** The buyer came back from a 3-D Secure (or similar) challenge. */
  completeChallenge(paymentId: string, input: Record<string, string>): Promise<ChargeResult>;
  capture(request: FollowUpRequest & { amount: Money }): Promise<FollowUpResult>;
  refund(request: FollowUpRequest & { amount: Money }): Promise<FollowUpResult>;
  void(request: FollowUpRequest): Promise<FollowUpResult>;
  /**
   * Providers that notify the app (webhooks) verify and read one notification
   * here: the signature is checked (a bad one throws ProviderSignatureError) and
   * the state of what it is about is read back from the provider, so an old or
   * repeated notification can only ever report the current state.
   */
  readNotification?(notification: { rawBody: string; headers: Headers }): Promise<ProviderNotification>;
}

/** A notification that failed its signature check (the edge answers 400). */
export class ProviderSignatureError extends Error {
  override name = "ProviderSignatureError";
}

/**
 * What a notification said, in the seam's terms: the current state of a charge
 * or of a follow-up, or nothing the app acts on (an event type it does not use,
 * or an object that is not one of the app's).
 */
export type ProviderNotification =
  | { eventId: string; type: string; about: "charge"; paymentId: string; result: ChargeResult }
  | { eventId: string; type: string; about: "follow-up"; operation: "capture" | "refund" | "void"; operationId: string; result: FollowUpResult }
  | { eventId: string; type: string; about: "nothing" };

export interface ChargeRequest {
  /** The app's payment session id: the provider's idempotency key. */
  paymentId: string;
  kind: PaymentKind;
  amount: Money;
  test: boolean;
  /** What the buyer chose or entered on the payment page (provider-specific fields). */
  input: Record<string, string>;
  /**
   * What a hosted payment page on the provider's side needs (providers that
   * answer "redirect" use it; others may ignore it).
   */
  hosted?: HostedPageContext;
}

export interface HostedPageContext {
  shop: string;
  /** An app page that reads the outcome from the provider (never from its query string). */
  returnUrl: string;
  /** An app page for a buyer who gives up on the provider's page. */
  cancelUrl: string;
  /** The buyer's locale (BCP 47), when Shopify sent one. */
  locale: string | null;
  /** Shopify's deadline for this payment: the hosted page must expire before it. */
  expiresAt: Date;
}

export type ChargeResult =
  /** `authorizationExpiresAt`: when the provider releases an authorization (absent: the app's policy decides). */
  | { status: "approved"; reference: string; authorizationExpiresAt?: Date }
  | { status: "declined"; reference: string | null; code: PaymentRejectionCode; message: string }
  /** Not decided yet (bank transfer, review …): ask chargeStatus after `checkAfter`. */
  | { status: "pending"; reference: string; checkAfter: Date }
  /** The buyer must pass a challenge at `url` (an app page) before the charge is decided. */
  | { status: "challenge"; reference: string; url: string }
  /**
   * Send the buyer to `url`, a page on the provider's side; the charge finishes
   * there and is learned from the return page, a notification or chargeStatus.
   */
  | { status: "redirect"; reference: string; url: string }
  /** No answer (timeout, network): ask chargeStatus after `checkAfter`; never charge again blindly. */
  | { status: "unknown"; checkAfter: Date };

export interface FollowUpRequest {
  /** The app's refund/capture/void session id: the provider's idempotency key. */
  operationId: string;
  paymentId: string;
  /** The provider's reference of the approved charge, when the app has one. */
  paymentReference?: string | null;
  test: boolean;
}

export type FollowUpResult =
  | { status: "approved"; reference: string }
  | { status: "declined"; message: string }
  /** Accepted, final state later (a refund the bank settles): asked again after `checkAfter`, or notified. */
  | { status: "pending"; reference: string; checkAfter: Date }
  /** No answer: try the same call again later. */
  | { status: "unknown" };

// ---------------------------------------------------------------- Cards (issue 13)
// Onsite credit card payments: Shopify sends the card encrypted, the app
// decrypts it in memory and hands it to a provider that processes cards. A
// provider without these methods cannot take card payments (they are rejected).

/**
 * The card-charging part of a provider. Kept apart from PaymentProvider's
 * required methods so that an offsite-only provider needs none of it.
 */
export interface CardPaymentProvider {
  /** Sale or authorization of a card; idempotent by paymentId like charge(). */
  chargeCard(request: CardChargeRequest): Promise<CardChargeResult>;
  /** The buyer answered the 3-D Secure challenge; the result carries its authentication data. */
  completeCardChallenge(paymentId: string, input: Record<string, string>): Promise<CardChargeResult>;
}

export interface CardChargeRequest extends Omit<ChargeRequest, "input"> {
  /** The decrypted card (app/cards/card.server.ts); the provider must not keep it. */
  card: Card;
  /** Mail or telephone order: the merchant typed the card (no 3-D Secure possible). */
  moto: boolean;
  /** The buyer's browser as Shopify saw it, for 3-D Secure and risk checks. */
  clientDetails: ClientDetails | null;
}

/** payment_method's client_details (spec §3.3; field names unconfirmed, so all optional). */
export interface ClientDetails {
  ipAddress?: string;
  userAgent?: string;
  acceptLanguage?: string;
}

/** A card charge's answer; "pending" is not allowed for cards (Shopify refuses it). */
export type CardChargeResult = Exclude<ChargeResult, { status: "pending" }> & {
  /** The 3-D Secure result, when the buyer went through a challenge (or a frictionless check). */
  authentication?: ThreeDSecureAuthentication;
};

/** Shopify's PaymentSessionThreeDSecureAuthentication input (spec §8): exactly one of the two. */
export type ThreeDSecureAuthentication =
  | {
      authenticationData: {
        authenticationFlow: "CHALLENGE" | "FRICTIONLESS" | "UNKNOWN";
        chargebackLiability: "MERCHANT" | "UNKNOWN";
        transStatus: "A" | "I" | "N" | "R" | "U" | "Y";
        version: "UNKNOWN" | "V1_0" | "V2_1" | "V2_2" | "V2_3";
        transStatusReason?: string;
        dsTransactionId?: string;
      };
    }
  | { partnerError: "PROCESSING_ERROR" };

/** Whether a provider processes cards. */
export function cardPaymentsOf(provider: PaymentProvider | null | undefined): CardPaymentProvider | null {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- it adds the card methods as optional, which the check below reads
  const candidate = provider as (PaymentProvider & Partial<CardPaymentProvider>) | null | undefined;
  return candidate?.chargeCard && candidate.completeCardChallenge ? (candidate as PaymentProvider & CardPaymentProvider) : null;
}
