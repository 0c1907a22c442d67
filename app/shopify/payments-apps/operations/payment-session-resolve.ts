import { PAYMENT_SESSION_FIELDS } from "./fragments";

/**
 * Finalizes a payment as successful (spec §7.1). `authorizationExpiresAt` is sent for
 * kind=authorization. The 3-D Secure `authentication`, `networkTransactionId` and
 * `paymentDetails` arguments are onsite-only and not needed by an offsite app.
 * `userErrors` has no `code`: this payload returns the generic UserError.
 */
export const PAYMENT_SESSION_RESOLVE = /* GraphQL */ `
  mutation PaymentSessionResolve($id: ID!, $authorizationExpiresAt: DateTime) {
    paymentSessionResolve(id: $id, authorizationExpiresAt: $authorizationExpiresAt) {
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
