import { VOID_SESSION_FIELDS } from "./fragments";

/** Finalizes a void as failed (spec §7.7). */
export const VOID_SESSION_REJECT = /* GraphQL */ `
  mutation VoidSessionReject($id: ID!, $reason: VoidSessionRejectionReasonInput!) {
    voidSessionReject(id: $id, reason: $reason) {
      voidSession {
        ...VoidSessionFields
      }
      userErrors {
        field
        message
        code
      }
    }
  }
  ${VOID_SESSION_FIELDS}
`;
