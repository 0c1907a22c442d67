import { REFUND_SESSION_FIELDS } from "./fragments";

/** Finalizes a refund as successful (spec §7.7). */
export const REFUND_SESSION_RESOLVE = /* GraphQL */ `
  mutation RefundSessionResolve($id: ID!) {
    refundSessionResolve(id: $id) {
      refundSession {
        ...RefundSessionFields
      }
      userErrors {
        field
        message
        code
      }
    }
  }
  ${REFUND_SESSION_FIELDS}
`;
