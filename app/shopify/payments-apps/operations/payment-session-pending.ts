import { PAYMENT_SESSION_FIELDS } from "./fragments";

/**
 * Marks a payment as waiting for an outcome (spec §7.3); it must later be resolved or
 * rejected. Refused for credit card payments.
 */
export const PAYMENT_SESSION_PENDING = /* GraphQL */ `
  mutation PaymentSessionPending(
    $id: ID!
    $pendingExpiresAt: DateTime!
    $reason: PaymentSessionStatePendingReason!
  ) {
    paymentSessionPending(id: $id, pendingExpiresAt: $pendingExpiresAt, reason: $reason) {
      paymentSession {
        ...PaymentSessionFields
      }
      userErrors {
        field
        message
        code
      }
    }
  }
  ${PAYMENT_SESSION_FIELDS}
`;
