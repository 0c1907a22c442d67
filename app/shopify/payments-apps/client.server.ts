import { ClientError, GraphQLClient, type Variables } from "graphql-request";
import { CAPTURE_SESSION_REJECT } from "./operations/capture-session-reject";
import { CAPTURE_SESSION_RESOLVE } from "./operations/capture-session-resolve";
import { PAYMENT_SESSION_CONFIRM } from "./operations/payment-session-confirm";
import { PAYMENT_SESSION_PENDING } from "./operations/payment-session-pending";
import { PAYMENT_SESSION_REDIRECT } from "./operations/payment-session-redirect";
import { PAYMENT_SESSION_REJECT } from "./operations/payment-session-reject";
import { PAYMENT_SESSION_RESOLVE } from "./operations/payment-session-resolve";
import { PAYMENTS_APP_CONFIGURE } from "./operations/payments-app-configure";
import { REFUND_SESSION_REJECT } from "./operations/refund-session-reject";
import { REFUND_SESSION_RESOLVE } from "./operations/refund-session-resolve";
import { VOID_SESSION_REJECT } from "./operations/void-session-reject";
import { VOID_SESSION_RESOLVE } from "./operations/void-session-resolve";
import {
  classifyGraphqlResponse,
  classifyTransportError,
  type GraphqlHttpResponse,
  type MutationOutcome,
  type PayloadShape,
} from "./outcome";
import {
  captureSessionPayloadSchema,
  paymentSessionPayloadSchema,
  paymentsAppConfigurePayloadSchema,
  refundSessionPayloadSchema,
  voidSessionPayloadSchema,
  type CaptureSessionPayload,
  type PaymentSessionPayload,
  type PaymentsAppConfigurePayload,
  type RefundSessionPayload,
  type UserError,
  type VoidSessionPayload,
} from "./payloads";
import type {
  CaptureSessionRejectVariables,
  FollowUpSessionResolveVariables,
  PaymentSessionConfirmVariables,
  PaymentSessionPendingVariables,
  PaymentSessionRedirectVariables,
  PaymentSessionRejectVariables,
  PaymentSessionResolveVariables,
  PaymentsAppConfigureVariables,
  RefundSessionRejectVariables,
  VoidSessionRejectVariables,
} from "./variables";

/**
 * The app's only way to report outcomes to Shopify: the Payments Apps GraphQL API
 * (spec §6–7), one typed method per mutation. Every method resolves to a
 * MutationOutcome and never rejects for anything Shopify or the network does;
 * deciding when to retry belongs to outcome delivery, which persists its attempts.
 */

// One import for callers: the outcome, payload and variables types the methods use.
export type { MutationOutcome, QueryCost } from "./outcome";
export type {
  CaptureSessionPayload,
  PaymentSessionPayload,
  PaymentsAppConfigurePayload,
  RefundSessionPayload,
  UserError,
  VoidSessionPayload,
} from "./payloads";
export type {
  CaptureSessionRejectVariables,
  FollowUpSessionResolveVariables,
  PaymentSessionConfirmVariables,
  PaymentSessionPendingVariables,
  PaymentSessionRedirectVariables,
  PaymentSessionRejectVariables,
  PaymentSessionResolveVariables,
  PaymentsAppConfigureVariables,
  RefundSessionRejectVariables,
  VoidSessionRejectVariables,
} from "./variables";

export interface PaymentsAppsClientOptions {
  /** The shop's permanent *.myshopify.com domain. */
  shop: string;
  /** The shop's offline access token. Never appears in any outcome. */
  accessToken: string;
  /** A pinned version such as "2026-04" (or "unstable"). */
  apiVersion: string;
  /** Replaces https://{shop} (scheme and host) to talk to a local sandbox, e.g. "http://127.0.0.1:4000". */
  origin?: string;
  /** Per call, covering connect, response and body. Default 10 000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Every mutation the client sends, by name: its variables and the payload its selection reads. */
export interface PaymentsAppsMutations {
  paymentSessionResolve: { variables: PaymentSessionResolveVariables; payload: PaymentSessionPayload };
  paymentSessionReject: { variables: PaymentSessionRejectVariables; payload: PaymentSessionPayload };
  paymentSessionPending: { variables: PaymentSessionPendingVariables; payload: PaymentSessionPayload };
  paymentSessionRedirect: { variables: PaymentSessionRedirectVariables; payload: PaymentSessionPayload };
  paymentSessionConfirm: { variables: PaymentSessionConfirmVariables; payload: PaymentSessionPayload };
  refundSessionResolve: { variables: FollowUpSessionResolveVariables; payload: RefundSessionPayload };
  refundSessionReject: { variables: RefundSessionRejectVariables; payload: RefundSessionPayload };
  captureSessionResolve: { variables: FollowUpSessionResolveVariables; payload: CaptureSessionPayload };
  captureSessionReject: { variables: CaptureSessionRejectVariables; payload: CaptureSessionPayload };
  voidSessionResolve: { variables: FollowUpSessionResolveVariables; payload: VoidSessionPayload };
  voidSessionReject: { variables: VoidSessionRejectVariables; payload: VoidSessionPayload };
  paymentsAppConfigure: { variables: PaymentsAppConfigureVariables; payload: PaymentsAppConfigurePayload };
}

export type PaymentsAppsMutationName = keyof PaymentsAppsMutations;
export type MutationVariables<M extends PaymentsAppsMutationName> = PaymentsAppsMutations[M]["variables"];
export type MutationPayload<M extends PaymentsAppsMutationName> = PaymentsAppsMutations[M]["payload"];

/**
 * One method per mutation, and `send` for callers that pick the mutation by name
 * (outcome delivery: the operation's registry names it); both are typed by the map above.
 */
export type PaymentsAppsClient = {
  /** The GraphQL URL calls go to (holds no secret, fine to log). */
  readonly endpoint: string;
  send<M extends PaymentsAppsMutationName>(mutation: M, variables: MutationVariables<M>): Promise<MutationOutcome<MutationPayload<M>>>;
} & { [M in PaymentsAppsMutationName]: (variables: MutationVariables<M>) => Promise<MutationOutcome<MutationPayload<M>>> };

/** A client built from options that cannot work: a bug or a bad configuration, not a Shopify failure. */
export class PaymentsAppsClientConfigError extends Error {
  override name = "PaymentsAppsClientConfigError";
}

export const DEFAULT_TIMEOUT_MS = 10_000;

// Same rule as the Shopify-Shop-Domain check: the host the token is sent to must be
// a shop's permanent domain, never something a caller pieced together.
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,62}\.myshopify\.com$/;
const API_VERSION = /^(\d{4}-\d{2}|unstable)$/;
// A token that fetch could not put in a header would surface as a network error and
// be retried for hours; refuse it up front instead.
const HEADER_SAFE_TOKEN = /^[\x21-\x7e]+$/;

/** A document, its operation's name, the root field it runs, and the payload schema its selection matches. */
interface Operation<P extends { userErrors: UserError[] }> extends PayloadShape<P> {
  document: string;
  name: string;
}

const operation = <P extends { userErrors: UserError[] }>(document: string, shape: PayloadShape<P>): Operation<P> => {
  const name = /\bmutation\s+(\w+)/.exec(document)?.[1];
  if (!name) throw new PaymentsAppsClientConfigError("every operation document must be a named mutation");
  return { document, name, ...shape };
};

export function createPaymentsAppsClient(options: PaymentsAppsClientOptions): PaymentsAppsClient {
  const { shop, accessToken, apiVersion, origin, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  const fetchImpl = options.fetch ?? globalThis.fetch;

  if (!HEADER_SAFE_TOKEN.test(accessToken)) {
    throw new PaymentsAppsClientConfigError("accessToken must be the shop's non-empty access token (printable characters, no spaces)");
  }
  if (!API_VERSION.test(apiVersion)) {
    throw new PaymentsAppsClientConfigError(`apiVersion "${apiVersion}" is not a version like "2026-04" or "unstable"`);
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new PaymentsAppsClientConfigError(`timeoutMs must be a positive whole number of milliseconds, got ${timeoutMs}`);
  }
  const endpoint = `${origin === undefined ? shopOrigin(shop) : sandboxOrigin(origin)}/payments_apps/api/${apiVersion}/graphql.json`;

  async function mutate<P extends { userErrors: UserError[] }>(op: Operation<P>, variables: Variables): Promise<MutationOutcome<P>> {
    const recorder = recordingFetch(fetchImpl);
    // A fresh GraphQLClient per call: its fetch records this call's HTTP answer.
    const client = new GraphQLClient(endpoint, {
      headers: { "X-Shopify-Access-Token": accessToken },
      fetch: recorder.fetch,
      // Keep data, errors and extensions together on a 200 so that the classifier sees all three.
      errorPolicy: "all",
      redirect: "manual",
      // Each document holds one named operation, named once below; sparing
      // graphql-request from parsing the document on every call to find that name
      // is most of the client's own CPU cost per call (bench/delivery-drain.ts).
      excludeOperationName: true,
      requestMiddleware: (request) =>
        typeof request.body === "string" && request.body.startsWith("{")
          ? { ...request, body: `{"operationName":${JSON.stringify(op.name)},${request.body.slice(1)}` }
          : request,
    });
    let outcome: MutationOutcome<P>;
    try {
      const result = await client.rawRequest<unknown>({ query: op.document, variables, signal: AbortSignal.timeout(timeoutMs) });
      outcome = classifyGraphqlResponse(
        {
          status: result.status,
          retryAfter: result.headers.get("retry-after"),
          body: { data: result.data, errors: result.errors, extensions: result.extensions },
        },
        op,
      );
    } catch (error) {
      if (error instanceof TransportError) {
        outcome = classifyTransportError(error.cause, timeoutMs);
      } else if (error instanceof ClientError) {
        // Non-2xx: graphql-request keeps the status, headers and raw body.
        const { response } = error;
        outcome = classifyGraphqlResponse(
          { status: response.status, retryAfter: response.headers.get("retry-after"), body: clientErrorBody(response) },
          op,
        );
      } else if (recorder.answer) {
        // A 2xx whose body graphql-request could not read as a GraphQL result.
        outcome = classifyGraphqlResponse(
          { status: recorder.answer.status, retryAfter: recorder.answer.headers.get("retry-after"), body: null },
          op,
        );
      } else {
        throw error;
      }
    }
    return redactOutcome(outcome, accessToken);
  }

  const paymentSession = (document: string, field: string) =>
    operation(document, { field, payloadSchema: paymentSessionPayloadSchema });

  const ops: { [M in PaymentsAppsMutationName]: Operation<MutationPayload<M>> } = {
    paymentSessionResolve: paymentSession(PAYMENT_SESSION_RESOLVE, "paymentSessionResolve"),
    paymentSessionReject: paymentSession(PAYMENT_SESSION_REJECT, "paymentSessionReject"),
    paymentSessionPending: paymentSession(PAYMENT_SESSION_PENDING, "paymentSessionPending"),
    paymentSessionRedirect: paymentSession(PAYMENT_SESSION_REDIRECT, "paymentSessionRedirect"),
    paymentSessionConfirm: paymentSession(PAYMENT_SESSION_CONFIRM, "paymentSessionConfirm"),
    refundSessionResolve: operation(REFUND_SESSION_RESOLVE, { field: "refundSessionResolve", payloadSchema: refundSessionPayloadSchema }),
    refundSessionReject: operation(REFUND_SESSION_REJECT, { field: "refundSessionReject", payloadSchema: refundSessionPayloadSchema }),
    captureSessionResolve: operation(CAPTURE_SESSION_RESOLVE, { field: "captureSessionResolve", payloadSchema: captureSessionPayloadSchema }),
    captureSessionReject: operation(CAPTURE_SESSION_REJECT, { field: "captureSessionReject", payloadSchema: captureSessionPayloadSchema }),
    voidSessionResolve: operation(VOID_SESSION_RESOLVE, { field: "voidSessionResolve", payloadSchema: voidSessionPayloadSchema }),
    voidSessionReject: operation(VOID_SESSION_REJECT, { field: "voidSessionReject", payloadSchema: voidSessionPayloadSchema }),
    paymentsAppConfigure: operation(PAYMENTS_APP_CONFIGURE, {
      field: "paymentsAppConfigure",
      payloadSchema: paymentsAppConfigurePayloadSchema,
    }),
  };

  const send = <M extends PaymentsAppsMutationName>(mutation: M, variables: MutationVariables<M>) => mutate(ops[mutation], variables);

  return {
    endpoint,
    send,
    paymentSessionResolve: (variables) => mutate(ops.paymentSessionResolve, variables),
    paymentSessionReject: (variables) => mutate(ops.paymentSessionReject, variables),
    paymentSessionPending: (variables) => mutate(ops.paymentSessionPending, variables),
    paymentSessionRedirect: (variables) => mutate(ops.paymentSessionRedirect, variables),
    paymentSessionConfirm: (variables) => mutate(ops.paymentSessionConfirm, variables),
    refundSessionResolve: (variables) => mutate(ops.refundSessionResolve, variables),
    refundSessionReject: (variables) => mutate(ops.refundSessionReject, variables),
    captureSessionResolve: (variables) => mutate(ops.captureSessionResolve, variables),
    captureSessionReject: (variables) => mutate(ops.captureSessionReject, variables),
    voidSessionResolve: (variables) => mutate(ops.voidSessionResolve, variables),
    voidSessionReject: (variables) => mutate(ops.voidSessionReject, variables),
    paymentsAppConfigure: (variables) => mutate(ops.paymentsAppConfigure, variables),
  };
}

function shopOrigin(shop: string): string {
  if (!SHOP_DOMAIN.test(shop)) {
    throw new PaymentsAppsClientConfigError(`shop "${shop}" is not a shop's *.myshopify.com domain`);
  }
  return `https://${shop}`;
}

function sandboxOrigin(origin: string): string {
  const url = URL.canParse(origin) ? new URL(origin) : null;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.pathname !== "/" || url.search || url.hash || url.username) {
    throw new PaymentsAppsClientConfigError(`origin "${origin}" must be a bare http(s) origin such as "http://127.0.0.1:4000"`);
  }
  return url.origin;
}

/** A failure before any HTTP answer was read: the connection, the timeout, the body stream. */
class TransportError extends Error {
  override name = "TransportError";
}

/**
 * Wraps fetch so that transport failures are told apart from answers graphql-request
 * cannot parse: the body is read here, inside the timeout, and a failure while
 * connecting or reading becomes a TransportError. graphql-request then parses a
 * complete, already-received response.
 */
function recordingFetch(fetchImpl: typeof fetch) {
  const recorder = {
    answer: null as { status: number; headers: Headers } | null,
    fetch: (async (input, init) => {
      let response: Response;
      let text: string;
      try {
        response = await fetchImpl(input, init);
        text = await response.text();
      } catch (error) {
        throw new TransportError("no HTTP answer", { cause: error });
      }
      recorder.answer = { status: response.status, headers: response.headers };
      const nullBody = [101, 103, 204, 205, 304].includes(response.status);
      return new Response(nullBody ? null : text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }) as typeof fetch,
  };
  return recorder;
}

/**
 * The body of a non-2xx answer: graphql-request's parse when it found a GraphQL
 * result, else the raw JSON (Shopify's REST-style `{"errors": "…"}` bodies), else null.
 */
function clientErrorBody(response: ClientError["response"]): GraphqlHttpResponse["body"] {
  if (response.data !== undefined || response.errors !== undefined || response.extensions !== undefined) {
    return { data: response.data, errors: response.errors, extensions: response.extensions };
  }
  try {
    const json: unknown = JSON.parse(response.body);
    return json && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Defence in depth: Shopify's text is copied into reasons and messages, and a broken
 * proxy or sandbox could echo the request headers back. The token must never reach
 * a log or a database row through an outcome.
 */
function redactOutcome<P extends { userErrors: UserError[] }>(outcome: MutationOutcome<P>, secret: string): MutationOutcome<P> {
  const scrub = (text: string) => text.split(secret).join("[redacted]");
  const scrubErrors = (errors: UserError[]) => errors.map((error) => ({ ...error, message: scrub(error.message) }));
  switch (outcome.kind) {
    case "success":
      return outcome;
    case "user-errors":
      return {
        ...outcome,
        userErrors: scrubErrors(outcome.userErrors),
        payload: outcome.payload && { ...outcome.payload, userErrors: scrubErrors(outcome.payload.userErrors) },
      };
    case "auth-failure":
      return { ...outcome, message: scrub(outcome.message) };
    case "retryable":
    case "failed":
      return { ...outcome, reason: scrub(outcome.reason) };
  }
}
