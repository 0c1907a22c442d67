/**
 * The Payments Apps API enums this app sends or reads, as string-literal unions.
 * Each list is copied by hand from schema.graphql (API version 2026-04) and kept as
 * a runtime array too, so that responses can be checked against it and
 * operations.test.ts can prove the copy matches the schema value for value.
 */

export const PAYMENT_SESSION_STATE_CODES = [
  "BUYER_ACTION_REQUIRED",
  "CONFIRMING",
  "PENDING",
  "REDIRECTING",
  "REJECTED",
  "RESOLVED",
] as const;
export type PaymentSessionStateCode = (typeof PAYMENT_SESSION_STATE_CODES)[number];

export const PAYMENT_SESSION_STATE_PENDING_REASONS = [
  "BUYER_ACTION_REQUIRED",
  "MERCHANT_ACTION_REQUIRED",
  "NETWORK_ACTION_REQUIRED",
  "PARTNER_ACTION_REQUIRED",
] as const;
export type PaymentSessionStatePendingReason = (typeof PAYMENT_SESSION_STATE_PENDING_REASONS)[number];

/**
 * Why a payment was rejected. Most values exist only from 2026-04; on an older
 * pinned version use PROCESSING_ERROR (spec §8). RISKY is deprecated in 2026-04 but
 * still accepted, so it stays in the list.
 */
export const PAYMENT_SESSION_STATE_REJECTED_REASONS = [
  "AMOUNT_TOO_LARGE",
  "AMOUNT_TOO_SMALL",
  "AUTHENTICATION_FAILED",
  "AUTHENTICATION_REQUIRED",
  "CALL_ISSUER",
  "CANCELLED_PAYMENT",
  "CARD_DECLINED",
  "CARD_TESTING",
  "CONFIRMATION_REJECTED",
  "DO_NOT_HONOR",
  "EXPIRED_CARD",
  "FRAUD_SUSPECTED",
  "HIGH_RISK_FRAUD_SUSPECTED",
  "INCORRECT_ADDRESS",
  "INCORRECT_CVC",
  "INCORRECT_NUMBER",
  "INCORRECT_PIN",
  "INCORRECT_ZIP",
  "INSTRUMENT_DECLINED",
  "INSUFFICIENT_FUNDS",
  "INVALID_AMOUNT",
  "INVALID_CURRENCY",
  "INVALID_CVC",
  "INVALID_EXPIRY_DATE",
  "INVALID_NUMBER",
  "INVALID_PAYMENT_METHOD",
  "INVALID_PURCHASE_TYPE",
  "INVALID_REQUEST",
  "MERCHANT_ACCOUNT_ERROR",
  "MERCHANT_RULE",
  "PAYMENT_METHOD_UNSUPPORTED",
  "PICK_UP_CARD",
  "PROCESSING_ERROR",
  "RETRY_DECLINED",
  "TRANSACTION_LIMIT_EXCEEDED",
  "RISKY",
] as const;
export type PaymentSessionStateRejectedReason = (typeof PAYMENT_SESSION_STATE_REJECTED_REASONS)[number];

/** Who declined a payment. Sending it needs API version 2026-04 or later. */
export const PAYMENT_SESSION_STATE_REJECTED_SOURCES = ["NETWORK", "PROVIDER"] as const;
export type PaymentSessionStateRejectedSource = (typeof PAYMENT_SESSION_STATE_REJECTED_SOURCES)[number];

export const PAYMENT_SESSION_NEXT_ACTION_ACTIONS = ["REDIRECT"] as const;
export type PaymentSessionNextActionAction = (typeof PAYMENT_SESSION_NEXT_ACTION_ACTIONS)[number];

/** Refund, capture and void sessions share these two state codes. */
export const FOLLOW_UP_SESSION_STATE_CODES = ["REJECTED", "RESOLVED"] as const;
export type FollowUpSessionStateCode = (typeof FOLLOW_UP_SESSION_STATE_CODES)[number];

export const REFUND_SESSION_REJECTION_CODES = ["PROCESSING_ERROR"] as const;
export type RefundSessionRejectionCode = (typeof REFUND_SESSION_REJECTION_CODES)[number];

export const CAPTURE_SESSION_REJECTION_CODES = ["AUTHORIZATION_EXPIRED", "PROCESSING_ERROR"] as const;
export type CaptureSessionRejectionCode = (typeof CAPTURE_SESSION_REJECTION_CODES)[number];

export const VOID_SESSION_REJECTION_CODES = ["PROCESSING_ERROR"] as const;
export type VoidSessionRejectionCode = (typeof VOID_SESSION_REJECTION_CODES)[number];

/**
 * Which schema enum each list copies. The follow-up lists stand for two enums each
 * (the state's reason and the input's code have the same values under two names).
 */
export const ENUMS_BY_SCHEMA_NAME: Readonly<Record<string, readonly string[]>> = {
  PaymentSessionStateCode: PAYMENT_SESSION_STATE_CODES,
  PaymentSessionStatePendingReason: PAYMENT_SESSION_STATE_PENDING_REASONS,
  PaymentSessionStateRejectedReason: PAYMENT_SESSION_STATE_REJECTED_REASONS,
  PaymentSessionStateRejectedSource: PAYMENT_SESSION_STATE_REJECTED_SOURCES,
  PaymentSessionNextActionAction: PAYMENT_SESSION_NEXT_ACTION_ACTIONS,
  RefundSessionStateCode: FOLLOW_UP_SESSION_STATE_CODES,
  CaptureSessionStateCode: FOLLOW_UP_SESSION_STATE_CODES,
  VoidSessionStateCode: FOLLOW_UP_SESSION_STATE_CODES,
  RefundSessionStateRejectedReason: REFUND_SESSION_REJECTION_CODES,
  RefundSessionStatusReasonRejectionCode: REFUND_SESSION_REJECTION_CODES,
  CaptureSessionStateRejectedReason: CAPTURE_SESSION_REJECTION_CODES,
  CaptureSessionStatusReasonRejectionCode: CAPTURE_SESSION_REJECTION_CODES,
  VoidSessionStateRejectedReason: VOID_SESSION_REJECTION_CODES,
  VoidSessionStatusReasonRejectionCode: VOID_SESSION_REJECTION_CODES,
};
