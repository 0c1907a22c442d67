/**
 * What every mutation reads back about the session it changed, written once so that
 * the documents and the payload schemas in ../payloads.ts cannot drift apart per
 * operation. Not operations themselves: each document below appends the fragment
 * it spreads.
 *
 * `source` on a rejected payment state is left out on purpose: it exists only from
 * API version 2026-04, and selecting it would make every payment mutation fail
 * validation on an older pinned version.
 */

export const PAYMENT_SESSION_FIELDS = /* GraphQL */ `
  fragment PaymentSessionFields on PaymentSession {
    id
    state {
      __typename
      ... on PaymentSessionState {
        code
      }
      ... on PaymentSessionStateRejected {
        reason
        merchantMessage
      }
      ... on PaymentSessionStatePending {
        # Aliased: "reason" on the rejected state has another type, and GraphQL
        # refuses one response key with two shapes.
        pendingReason: reason
      }
    }
    nextAction {
      action
      context {
        ... on PaymentSessionActionsRedirect {
          redirectUrl
        }
      }
    }
    authorizationExpiresAt
    pendingExpiresAt
  }
`;

export const REFUND_SESSION_FIELDS = /* GraphQL */ `
  fragment RefundSessionFields on RefundSession {
    id
    state {
      __typename
      ... on RefundSessionState {
        code
      }
      ... on RefundSessionStateRejected {
        reason
        merchantMessage
      }
    }
  }
`;

export const CAPTURE_SESSION_FIELDS = /* GraphQL */ `
  fragment CaptureSessionFields on CaptureSession {
    id
    state {
      __typename
      ... on CaptureSessionState {
        code
      }
      ... on CaptureSessionStateRejected {
        reason
        merchantMessage
      }
    }
  }
`;

export const VOID_SESSION_FIELDS = /* GraphQL */ `
  fragment VoidSessionFields on VoidSession {
    id
    state {
      __typename
      ... on VoidSessionState {
        code
      }
      ... on VoidSessionStateRejected {
        reason
        merchantMessage
      }
    }
  }
`;
