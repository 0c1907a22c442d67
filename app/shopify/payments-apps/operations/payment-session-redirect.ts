import { PAYMENT_SESSION_FIELDS } from "./fragments";

/** Asks Shopify to send the buyer to a 3-D Secure page (spec §7.4; credit card only). */
export const PAYMENT_SESSION_REDIRECT = /* GraphQL */ `
  mutation PaymentSessionRedirect($id: ID!, $redirectUrl: URL!) {
    paymentSessionRedirect(id: $id, redirectUrl: $redirectUrl) {
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
