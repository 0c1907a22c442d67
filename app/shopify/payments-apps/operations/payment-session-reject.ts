import { PAYMENT_SESSION_FIELDS } from "./fragments";

/**
 * Finalizes a payment as failed (spec §7.2). `userErrors` has no `code`: this payload
 * returns the generic UserError.
 */
export const PAYMENT_SESSION_REJECT = /* GraphQL */ `
  mutation PaymentSessionReject($id: ID!, $reason: PaymentSessionRejectionReasonInput!) {
    paymentSessionReject(id: $id, reason: $reason) {
      paymentSession {
        ...PaymentSessionFields
      }
      userErrors {
        field
        message
      }
    }
  }
  ${PAYMENT_SESSION_FIELDS}
`;
