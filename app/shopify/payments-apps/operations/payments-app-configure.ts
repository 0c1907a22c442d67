/**
 * Tells Shopify whether the provider can take this merchant's payments (spec §7.8);
 * `ready: true` lets the merchant activate the app. `userErrors` has no `code`: this
 * payload returns the generic UserError.
 */
export const PAYMENTS_APP_CONFIGURE = /* GraphQL */ `
  mutation PaymentsAppConfigure($externalHandle: String, $ready: Boolean!) {
    paymentsAppConfigure(externalHandle: $externalHandle, ready: $ready) {
      paymentsAppConfiguration {
        externalHandle
        ready
      }
      userErrors {
        field
        message
      }
    }
  }
`;
