import type { PaymentRejectionCode } from "@prisma/client";

/**
 * Stripe's decline and error codes in Shopify's rejection reasons. The more
 * specific decline_code wins over the error code; anything unmapped is a
 * PROCESSING_ERROR. The reason is then narrowed to what the shop's API version
 * knows when it is sent (payment-rejection-codes.ts).
 */
const BY_STRIPE_CODE: Readonly<Record<string, PaymentRejectionCode>> = {
  card_declined: "CARD_DECLINED",
  generic_decline: "CARD_DECLINED",
  insufficient_funds: "INSUFFICIENT_FUNDS",
  expired_card: "EXPIRED_CARD",
  authentication_required: "AUTHENTICATION_REQUIRED",
  incorrect_cvc: "INCORRECT_CVC",
  invalid_cvc: "INVALID_CVC",
  incorrect_number: "INCORRECT_NUMBER",
  invalid_number: "INVALID_NUMBER",
  invalid_expiry_month: "INVALID_EXPIRY_DATE",
  invalid_expiry_year: "INVALID_EXPIRY_DATE",
  incorrect_zip: "INCORRECT_ZIP",
  incorrect_pin: "INCORRECT_PIN",
  fraudulent: "FRAUD_SUSPECTED",
  stolen_card: "PICK_UP_CARD",
  lost_card: "PICK_UP_CARD",
  pickup_card: "PICK_UP_CARD",
  do_not_honor: "DO_NOT_HONOR",
  call_issuer: "CALL_ISSUER",
  card_velocity_exceeded: "TRANSACTION_LIMIT_EXCEEDED",
  withdrawal_count_limit_exceeded: "TRANSACTION_LIMIT_EXCEEDED",
  try_again_later: "RETRY_DECLINED",
  currency_not_supported: "INVALID_CURRENCY",
  card_not_supported: "PAYMENT_METHOD_UNSUPPORTED",
  amount_too_small: "AMOUNT_TOO_SMALL",
  amount_too_large: "AMOUNT_TOO_LARGE",
};

export function rejectionCodeFromStripe(code: string | null | undefined, declineCode?: string | null): PaymentRejectionCode {
  return (declineCode && BY_STRIPE_CODE[declineCode]) || (code && BY_STRIPE_CODE[code]) || "PROCESSING_ERROR";
}

/** A declined charge's code and the merchant's message, from Stripe's last payment error. */
export function declineFromStripe(code: string | null | undefined, declineCode: string | null | undefined, message: string | null | undefined): { code: PaymentRejectionCode; message: string } {
  const named = [code, declineCode && declineCode !== code ? declineCode : null].filter(Boolean).join(" / ");
  return { code: rejectionCodeFromStripe(code, declineCode), message: `Stripe declined the payment${named ? ` (${named})` : ""}: ${message ?? "no message"}` };
}
