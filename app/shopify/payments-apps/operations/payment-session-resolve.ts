import { PAYMENT_SESSION_FIELDS } from "./fragments";

/**
 * Finalizes a payment as successful (spec §7.1). `authorizationExpiresAt` is sent for
 * kind=authorization; `authentication` (3-D Secure) exactly when the card payment
 * was redirected (§1.2). `networkTransactionId` and `paymentDetails` are not sent.
 * `userErrors` has no `code`: this payload returns the generic UserError.
 */
export const PAYMENT_SESSION_RESOLVE = /* GraphQL */ `
  mutation PaymentSessionResolve($id: ID!, $authorizationExpiresAt: DateTime, $authentication: PaymentSessionThreeDSecureAuthentication) {
    paymentSessionResolve(id: $id, authorizationExpiresAt: $authorizationExpiresAt, authentication: $authentication) {
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
