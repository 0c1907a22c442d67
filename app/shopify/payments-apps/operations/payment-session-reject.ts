import { PAYMENT_SESSION_FIELDS } from "./fragments";

/**
 * Finalizes a payment as failed (spec §7.2), with `authentication` exactly when the
 * card payment was redirected for 3-D Secure. `userErrors` has no `code`: this payload
 * returns the generic UserError.
 */
export const PAYMENT_SESSION_REJECT = /* GraphQL */ `
  mutation PaymentSessionReject($id: ID!, $reason: PaymentSessionRejectionReasonInput!, $authentication: PaymentSessionThreeDSecureAuthentication) {
    paymentSessionReject(id: $id, reason: $reason, authentication: $authentication) {
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
