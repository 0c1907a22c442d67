import type { PaymentKind, PaymentRejectionCode } from "@prisma/client";
import type { Money } from "../payments/money";

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
  /** The current state of a charge, asked again while it is pending or unknown. */
  chargeStatus(paymentId: string): Promise<ChargeResult>;
  /** The buyer came back from a 3-D Secure (or similar) challenge. */
  completeChallenge(paymentId: string, input: Record<string, string>): Promise<ChargeResult>;
  capture(request: FollowUpRequest & { amount: Money }): Promise<FollowUpResult>;
  refund(request: FollowUpRequest & { amount: Money }): Promise<FollowUpResult>;
  void(request: FollowUpRequest): Promise<FollowUpResult>;
}

export interface ChargeRequest {
  /** The app's payment session id: the provider's idempotency key. */
  paymentId: string;
  kind: PaymentKind;
  amount: Money;
  test: boolean;
  /** What the buyer chose or entered on the payment page (provider-specific fields). */
  input: Record<string, string>;
}

export type ChargeResult =
  | { status: "approved"; reference: string }
  | { status: "declined"; reference: string | null; code: PaymentRejectionCode; message: string }
  /** Not decided yet (bank transfer, review …): ask chargeStatus after `checkAfter`. */
  | { status: "pending"; reference: string; checkAfter: Date }
  /** The buyer must pass a challenge at `url` (an app page) before the charge is decided. */
  | { status: "challenge"; reference: string; url: string }
  /** No answer (timeout, network): ask chargeStatus after `checkAfter`; never charge again blindly. */
  | { status: "unknown"; checkAfter: Date };

export interface FollowUpRequest {
  /** The app's refund/capture/void session id: the provider's idempotency key. */
  operationId: string;
  paymentId: string;
  test: boolean;
}

export type FollowUpResult =
  | { status: "approved"; reference: string }
  | { status: "declined"; message: string }
  /** No answer: try the same call again later. */
  | { status: "unknown" };
