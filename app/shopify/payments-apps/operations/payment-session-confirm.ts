import { PAYMENT_SESSION_FIELDS } from "./fragments";

/**
 * Asks Shopify to confirm a payment before it is charged (spec §7.5); the answer
 * arrives later on the confirmation callback.
 */
export const PAYMENT_SESSION_CONFIRM = /* GraphQL */ `
  mutation PaymentSessionConfirm($id: ID!) {
    paymentSessionConfirm(id: $id) {
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
