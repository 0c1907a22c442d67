import { VOID_SESSION_FIELDS } from "./fragments";

/** Finalizes a void as successful (spec §7.7). */
export const VOID_SESSION_RESOLVE = /* GraphQL */ `
  mutation VoidSessionResolve($id: ID!) {
    voidSessionResolve(id: $id) {
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
