import { CAPTURE_SESSION_FIELDS } from "./fragments";

/** Finalizes a capture as failed (spec §7.7). */
export const CAPTURE_SESSION_REJECT = /* GraphQL */ `
  mutation CaptureSessionReject($id: ID!, $reason: CaptureSessionRejectionReasonInput!) {
    captureSessionReject(id: $id, reason: $reason) {
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
