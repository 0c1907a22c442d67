import { CAPTURE_SESSION_FIELDS } from "./fragments";

/** Finalizes a capture as successful (spec §7.7). */
export const CAPTURE_SESSION_RESOLVE = /* GraphQL */ `
  mutation CaptureSessionResolve($id: ID!) {
    captureSessionResolve(id: $id) {
      captureSession {
        ...CaptureSessionFields
      }
      userErrors {
        field
        message
        code
      }
    }
  }
  ${CAPTURE_SESSION_FIELDS}
`;
