import type { ThreeDSecureAuthentication } from "../../providers/payment-provider";
import type {
  CaptureSessionRejectionCode,
  PaymentSessionStatePendingReason,
  PaymentSessionStateRejectedReason,
  PaymentSessionStateRejectedSource,
  RefundSessionRejectionCode,
  VoidSessionRejectionCode,
} from "./enums";

/**
 * The variables of each operation in ./operations, typed by hand from
 * schema.graphql. `id` is always the session's GID (gid://shopify/PaymentSession/…),
 * never the bare id from Shopify's request body. A GraphQL DateTime is an ISO 8601
 * string such as "2026-05-01T12:00:00Z"; URL is an absolute URL string.
 */

export interface PaymentSessionResolveVariables {
  id: string;
  /** Send for kind=authorization: when the hold lapses. */
  authorizationExpiresAt?: string | null;
  /** 3-D Secure result: required exactly when the card payment was redirected (§1.2). */
  authentication?: ThreeDSecureAuthentication | null;
}

export interface PaymentSessionRejectionReasonInput {
  code: PaymentSessionStateRejectedReason;
  /** Shown to the merchant; localize it to the request's merchant_locale. */
  merchantMessage?: string | null;
  /** API version 2026-04 or later only; older versions refuse the whole request. */
  source?: PaymentSessionStateRejectedSource | null;
}

export interface PaymentSessionRejectVariables {
  id: string;
  reason: PaymentSessionRejectionReasonInput;
  authentication?: ThreeDSecureAuthentication | null;
}

export interface PaymentSessionPendingVariables {
  id: string;
  /** Must be in the future; Shopify recommends at most 3 days ahead. */
  pendingExpiresAt: string;
  reason: PaymentSessionStatePendingReason;
}

export interface PaymentSessionRedirectVariables {
  id: string;
  redirectUrl: string;
}

export interface PaymentSessionConfirmVariables {
  id: string;
}

/** Refund, capture and void resolve take the session's GID only. */
export interface FollowUpSessionResolveVariables {
  id: string;
}

export interface FollowUpSessionRejectVariables<Code extends string> {
  id: string;
  reason: { code: Code; merchantMessage?: string | null };
}

export type RefundSessionRejectVariables = FollowUpSessionRejectVariables<RefundSessionRejectionCode>;
export type CaptureSessionRejectVariables = FollowUpSessionRejectVariables<CaptureSessionRejectionCode>;
export type VoidSessionRejectVariables = FollowUpSessionRejectVariables<VoidSessionRejectionCode>;

export interface PaymentsAppConfigureVariables {
  /** The merchant's account at the provider, shown in Shopify admin. */
  externalHandle?: string | null;
  ready: boolean;
}
