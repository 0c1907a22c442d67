import { REFUND_SESSION_FIELDS } from "./fragments";

/** Finalizes a refund as failed (spec §7.7). */
export const REFUND_SESSION_REJECT = /* GraphQL */ `
  mutation RefundSessionReject($id: ID!, $reason: RefundSessionRejectionReasonInput!) {
    refundSessionReject(id: $id, reason: $reason) {
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
