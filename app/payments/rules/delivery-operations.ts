import type { CaptureSession, DeliveryOperation, FollowUpRejectionCode, PaymentSession, RefundSession, VoidSession } from "@prisma/client";
import { CAPTURE_SESSION_REJECTION_CODES, REFUND_SESSION_REJECTION_CODES, VOID_SESSION_REJECTION_CODES } from "../../shopify/payments-apps/enums";
import type { MutationOutcome, MutationPayload, MutationVariables, PaymentsAppsClient, PaymentsAppsMutationName } from "../../shopify/payments-apps/client.server";
import { threeDSecureAuthenticationOf } from "./card-authentication";
import { followUpRejectionCodeFor, type FollowUpKind } from "./follow-up-transitions";
import { rejectionCodeForVersion } from "./payment-rejection-codes";

/**
 * The outbox's operations, one entry each: the session it reports on, what it
 * tells Shopify, and the Payments Apps mutation with its variables, rebuilt from
 * the session's stored outcome on every attempt (the same each time, which
 * Shopify's per-session-and-name idempotency needs to make a resend harmless, §4.2).
 * Adding an operation is one entry here (and the enum value in the schema); the
 * compiler checks that its variables are the mutation's.
 */
export type SessionKind = "payment" | FollowUpKind;

/** The row each session kind's operations are built from. */
export interface SessionRows {
  payment: PaymentSession;
  refund: RefundSession;
  capture: CaptureSession;
  void: VoidSession;
}

/** The outbox column (and relation) that names each session kind's row. */
export const SESSION_COLUMN = {
  payment: "paymentSessionId",
  refund: "refundSessionId",
  capture: "captureSessionId",
  void: "voidSessionId",
} as const satisfies Record<SessionKind, string>;

/** What an operation reports about its session; with the session kind it names the operation. */
export type OutcomeEvent = "resolve" | "reject" | "pending" | "redirect" | "confirm";

export interface DeliveryOperationEntry<M extends PaymentsAppsMutationName, S extends SessionKind> {
  session: S;
  event: OutcomeEvent;
  /** The mutation it calls; also its name in the admin's technical details. */
  mutation: M;
  /** What it tells Shopify, as the end of "Shopify was told …". */
  tells: string;
  /** The mutation's variables; throws when the stored session cannot say what to send. */
  variables: (row: SessionRows[S], context: { gid: string; apiVersion: string }) => MutationVariables<M>;
}

/** One entry, typed on its own: its variables must be its mutation's. */
export const deliveryOperationEntry = <M extends PaymentsAppsMutationName, S extends SessionKind>(e: DeliveryOperationEntry<M, S>) => e;

const ENTRIES = {
  PAYMENT_RESOLVE: deliveryOperationEntry({
    session: "payment", event: "resolve", mutation: "paymentSessionResolve", tells: "the payment succeeded",
    variables: (payment, { gid }) => ({ id: gid, authorizationExpiresAt: payment.authorizationExpiresAt?.toISOString() ?? null, ...authenticationOf(payment) }),
  }),
  PAYMENT_REJECT: deliveryOperationEntry({
    session: "payment", event: "reject", mutation: "paymentSessionReject", tells: "the payment failed",
    variables: (payment, { gid, apiVersion }) => ({
      id: gid,
      reason: { code: rejectionCodeForVersion(payment.rejectionCode ?? "PROCESSING_ERROR", apiVersion), merchantMessage: payment.rejectionMessage },
      ...authenticationOf(payment),
    }),
  }),
  PAYMENT_PENDING: deliveryOperationEntry({
    session: "payment", event: "pending", mutation: "paymentSessionPending", tells: "the payment is pending",
    variables: (payment, { gid }) => ({
      id: gid,
      pendingExpiresAt: (payment.pendingExpiresAt ?? new Date()).toISOString(),
      reason: payment.pendingReason ?? "PARTNER_ACTION_REQUIRED",
    }),
  }),
  PAYMENT_REDIRECT: deliveryOperationEntry({
    session: "payment", event: "redirect", mutation: "paymentSessionRedirect", tells: "to send the buyer to 3-D Secure",
    variables: (payment, { gid }) => {
      if (!payment.threeDSecureRedirectUrl) throw new Error(`payment ${payment.id} (PAYMENT_REDIRECT): the payment has no 3-D Secure page`);
      return { id: gid, redirectUrl: payment.threeDSecureRedirectUrl };
    },
  }),
  PAYMENT_CONFIRM: deliveryOperationEntry({
    session: "payment", event: "confirm", mutation: "paymentSessionConfirm", tells: "the payment awaits its confirmation",
    variables: (_payment, { gid }) => ({ id: gid }),
  }),
  REFUND_RESOLVE: deliveryOperationEntry({
    session: "refund", event: "resolve", mutation: "refundSessionResolve", tells: "the refund went through",
    variables: (_refund, { gid }) => ({ id: gid }),
  }),
  REFUND_REJECT: deliveryOperationEntry({
    session: "refund", event: "reject", mutation: "refundSessionReject", tells: "the refund failed",
    variables: (refund, { gid }) => ({ id: gid, reason: followUpReason("refund", REFUND_SESSION_REJECTION_CODES, refund) }),
  }),
  CAPTURE_RESOLVE: deliveryOperationEntry({
    session: "capture", event: "resolve", mutation: "captureSessionResolve", tells: "the capture went through",
    variables: (_capture, { gid }) => ({ id: gid }),
  }),
  CAPTURE_REJECT: deliveryOperationEntry({
    session: "capture", event: "reject", mutation: "captureSessionReject", tells: "the capture failed",
    variables: (capture, { gid }) => ({ id: gid, reason: followUpReason("capture", CAPTURE_SESSION_REJECTION_CODES, capture) }),
  }),
  VOID_RESOLVE: deliveryOperationEntry({
    session: "void", event: "resolve", mutation: "voidSessionResolve", tells: "the authorization was voided",
    variables: (_void, { gid }) => ({ id: gid }),
  }),
  VOID_REJECT: deliveryOperationEntry({
    session: "void", event: "reject", mutation: "voidSessionReject", tells: "the void failed",
    variables: (voided, { gid }) => ({ id: gid, reason: followUpReason("void", VOID_SESSION_REJECTION_CODES, voided) }),
  }),
} satisfies { [K in DeliveryOperation]: unknown };

type Entries = typeof ENTRIES;
export type MutationOf<K extends DeliveryOperation> = Entries[K]["mutation"];
export type SessionOf<K extends DeliveryOperation> = Entries[K]["session"];

/**
 * The registry, seen as one mapped type: indexed by a generic operation it keeps
 * the entry's session, mutation and variables together (no union to untangle).
 */
export const DELIVERY_OPERATIONS: { readonly [K in DeliveryOperation]: DeliveryOperationEntry<MutationOf<K>, SessionOf<K>> } = ENTRIES;

/** A delivery's mutation with its variables, ready to go out through a shop's client. */
export interface PreparedMutation {
  mutation: PaymentsAppsMutationName;
  send(client: Pick<PaymentsAppsClient, "send">): Promise<MutationOutcome<MutationPayload<PaymentsAppsMutationName>>>;
}

/** Builds an operation's variables from its session's row, keeping them paired with their mutation. */
export function prepareMutation<K extends DeliveryOperation>(
  operation: K,
  row: SessionRows[SessionOf<K>],
  context: { gid: string; apiVersion: string },
): PreparedMutation {
  const { mutation, variables } = DELIVERY_OPERATIONS[operation];
  const built = variables(row, context);
  return { mutation, send: (client) => client.send(mutation, built) };
}

/** The operation that reports `event` for a session of `kind` (a follow-up's resolve → REFUND_RESOLVE, …). */
export function deliveryOperationFor(kind: SessionKind, event: OutcomeEvent): DeliveryOperation {
  const found = OPERATION_BY_EVENT.get(`${kind}:${event}`);
  if (!found) throw new Error(`no delivery operation reports "${event}" for a ${kind} session`);
  return found;
}

const OPERATION_BY_EVENT = new Map(
  (Object.keys(DELIVERY_OPERATIONS) as DeliveryOperation[]).map((operation) => [`${DELIVERY_OPERATIONS[operation].session}:${DELIVERY_OPERATIONS[operation].event}`, operation]),
);

/**
 * The stored reason, as far as the kind's reject mutation knows it: the rule is
 * followUpRejectionCodeFor's; `codes` (the schema's enum for the kind) types the answer.
 */
function followUpReason<Code extends FollowUpRejectionCode>(kind: FollowUpKind, codes: readonly Code[], row: { rejectionCode: FollowUpRejectionCode | null; rejectionMessage: string | null }): { code: Code | "PROCESSING_ERROR"; merchantMessage: string | null } {
  const asked = followUpRejectionCodeFor(kind, row.rejectionCode);
  return { code: codes.find((code) => code === asked) ?? "PROCESSING_ERROR", merchantMessage: row.rejectionMessage };
}

/** `authentication` goes with resolve and reject exactly when the card payment was redirected (spec §1.2). */
function authenticationOf(payment: PaymentSession) {
  const authentication = threeDSecureAuthenticationOf(payment);
  return authentication ? { authentication } : {};
}
