import { z } from "zod";
import {
  CAPTURE_SESSION_REJECTION_CODES,
  FOLLOW_UP_SESSION_STATE_CODES,
  PAYMENT_SESSION_NEXT_ACTION_ACTIONS,
  PAYMENT_SESSION_STATE_CODES,
  PAYMENT_SESSION_STATE_PENDING_REASONS,
  PAYMENT_SESSION_STATE_REJECTED_REASONS,
  REFUND_SESSION_REJECTION_CODES,
  VOID_SESSION_REJECTION_CODES,
} from "./enums";

/**
 * Shopify's answers are input like any other: each mutation payload is checked
 * against exactly what its document in ./operations selects (fragments.ts), so a
 * changed API version shows up as a clear "failed" outcome instead of an
 * `undefined` deep inside the delivery code.
 */

/**
 * A user error in one shape for every payload. The generic UserError type (payment
 * resolve/reject, paymentsAppConfigure) has no `code`, so it is not selected there
 * and reads as null. Codes stay strings: an unknown code is still a definitive
 * refusal, and must not turn into a "failed" response check.
 */
export const userErrorSchema = z
  .object({
    field: z.array(z.string()).nullable(),
    message: z.string(),
    code: z.string().nullable().optional(),
  })
  .transform(({ field, message, code }) => ({ field, message, code: code ?? null }));
export type UserError = z.output<typeof userErrorSchema>;

const paymentSessionStateCode = z.enum(PAYMENT_SESSION_STATE_CODES);

export const paymentSessionStateSchema = z.discriminatedUnion("__typename", [
  z.object({
    __typename: z.literal("PaymentSessionStateRejected"),
    code: paymentSessionStateCode,
    reason: z.enum(PAYMENT_SESSION_STATE_REJECTED_REASONS),
    merchantMessage: z.string().nullable(),
  }),
  z.object({
    __typename: z.literal("PaymentSessionStatePending"),
    code: paymentSessionStateCode,
    pendingReason: z.enum(PAYMENT_SESSION_STATE_PENDING_REASONS).nullable(),
  }),
  z.object({
    __typename: z.enum([
      "PaymentSessionStateBuyerActionRequired",
      "PaymentSessionStateConfirming",
      "PaymentSessionStateRedirecting",
      "PaymentSessionStateResolved",
    ]),
    code: paymentSessionStateCode,
  }),
]);
export type PaymentSessionState = z.output<typeof paymentSessionStateSchema>;

export const paymentSessionSchema = z.object({
  id: z.string(),
  state: paymentSessionStateSchema,
  /** Where to send the buyer after resolve, reject, pending or confirm. */
  nextAction: z
    .object({
      action: z.enum(PAYMENT_SESSION_NEXT_ACTION_ACTIONS),
      context: z.object({ redirectUrl: z.string() }),
    })
    .nullable(),
  authorizationExpiresAt: z.string().nullable(),
  pendingExpiresAt: z.string().nullable(),
});
export type PaymentSession = z.output<typeof paymentSessionSchema>;

/** Every payment session mutation answers with the same payload shape. */
export const paymentSessionPayloadSchema = z.object({
  paymentSession: paymentSessionSchema.nullable(),
  userErrors: z.array(userErrorSchema),
});
export type PaymentSessionPayload = z.output<typeof paymentSessionPayloadSchema>;

/** Refund, capture and void sessions differ only in type names and reason codes. */
function followUpSessionSchema<const Kind extends "Refund" | "Capture" | "Void", const Reason extends string>(
  kind: Kind,
  reasons: readonly [Reason, ...Reason[]],
) {
  const code = z.enum(FOLLOW_UP_SESSION_STATE_CODES);
  return z.object({
    id: z.string(),
    state: z.discriminatedUnion("__typename", [
      z.object({
        __typename: z.literal(`${kind}SessionStateRejected` as const),
        code,
        reason: z.enum(reasons),
        merchantMessage: z.string().nullable(),
      }),
      z.object({ __typename: z.literal(`${kind}SessionStateResolved` as const), code }),
    ]),
  });
}

export const refundSessionSchema = followUpSessionSchema("Refund", REFUND_SESSION_REJECTION_CODES);
export type RefundSession = z.output<typeof refundSessionSchema>;
export const refundSessionPayloadSchema = z.object({
  refundSession: refundSessionSchema.nullable(),
  userErrors: z.array(userErrorSchema),
});
export type RefundSessionPayload = z.output<typeof refundSessionPayloadSchema>;

export const captureSessionSchema = followUpSessionSchema("Capture", CAPTURE_SESSION_REJECTION_CODES);
export type CaptureSession = z.output<typeof captureSessionSchema>;
export const captureSessionPayloadSchema = z.object({
  captureSession: captureSessionSchema.nullable(),
  userErrors: z.array(userErrorSchema),
});
export type CaptureSessionPayload = z.output<typeof captureSessionPayloadSchema>;

export const voidSessionSchema = followUpSessionSchema("Void", VOID_SESSION_REJECTION_CODES);
export type VoidSession = z.output<typeof voidSessionSchema>;
export const voidSessionPayloadSchema = z.object({
  voidSession: voidSessionSchema.nullable(),
  userErrors: z.array(userErrorSchema),
});
export type VoidSessionPayload = z.output<typeof voidSessionPayloadSchema>;

export const paymentsAppConfigurePayloadSchema = z.object({
  paymentsAppConfiguration: z.object({ externalHandle: z.string().nullable(), ready: z.boolean() }).nullable(),
  userErrors: z.array(userErrorSchema),
});
export type PaymentsAppConfigurePayload = z.output<typeof paymentsAppConfigurePayloadSchema>;
