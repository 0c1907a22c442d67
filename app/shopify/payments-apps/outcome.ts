import { z } from "zod";
import type { UserError } from "./payloads";

/**
 * What a mutation call came to, in the terms outcome delivery acts on: done, refused
 * for good, try again later, or stop for this shop. Everything here is pure, so each
 * rule can be tested without a server; client.server.ts feeds it what came back.
 */

/** Shopify's calculated query cost (`extensions.cost`), advisory only. */
export interface QueryCost {
  requestedQueryCost: number;
  /** Null when the request was throttled and never ran. */
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

export interface MutationSuccess<P> {
  kind: "success";
  payload: P;
  cost: QueryCost | null;
}

/** Shopify refused the mutation on its merits (userErrors). Definitive: never retry. */
export interface MutationUserErrors<P> {
  kind: "user-errors";
  userErrors: UserError[];
  payload: P | null;
}

/**
 * Shopify could not be reached or could not answer now: network error, timeout, 5xx,
 * 429, GraphQL THROTTLED or INTERNAL_SERVER_ERROR. Safe to retry with the same
 * arguments, because mutations are idempotent per session and name (spec §4.2).
 */
export interface MutationRetryable {
  kind: "retryable";
  reason: string;
  status: number | null;
  /** Shopify's own hint (Retry-After, or the throttle bucket's refill time), if any. */
  retryAfterMs: number | null;
  cost: QueryCost | null;
}

/** The token was refused (401/403, GraphQL ACCESS_DENIED): stop calling for this shop. */
export interface MutationAuthFailure {
  kind: "auth-failure";
  status: number;
  message: string;
}

/** Definitive failure that is not the mutation's business rules; retrying will not help. */
export interface MutationFailed {
  kind: "failed";
  reason: string;
  status: number | null;
}

export type MutationOutcome<P> =
  | MutationSuccess<P>
  | MutationUserErrors<P>
  | MutationRetryable
  | MutationAuthFailure
  | MutationFailed;

/** What came back over HTTP, as the client read it. */
export interface GraphqlHttpResponse {
  status: number;
  /** The Retry-After header as sent, or null. */
  retryAfter: string | null;
  /** The body parsed as a JSON object (`{ data, errors, extensions }`), or null when it was not one. */
  body: Readonly<Record<string, unknown>> | null;
}

/** The mutation a response answers: its root field and the payload its document selects. */
export interface PayloadShape<P extends { userErrors: UserError[] }> {
  field: string;
  payloadSchema: z.ZodType<P, unknown>;
}

// Server text copied into a reason is cut short: reasons end up in logs and in the
// database, and a response body can hold customer data.
const MAX_SERVER_TEXT = 300;

const queryCostSchema = z.object({
  requestedQueryCost: z.number(),
  actualQueryCost: z.number().nullable().optional(),
  throttleStatus: z.object({
    maximumAvailable: z.number(),
    currentlyAvailable: z.number(),
    restoreRate: z.number(),
  }),
});

const graphqlErrorSchema = z.object({
  message: z.string().optional(),
  extensions: z.object({ code: z.string().optional(), requestId: z.string().optional() }).optional(),
});

/**
 * Reads `extensions.cost`. It only informs waits and metrics, so a missing or odd
 * cost is null rather than a reason to fail an answered mutation.
 */
export function readQueryCost(extensions: unknown): QueryCost | null {
  const parsed = z.object({ cost: queryCostSchema }).safeParse(extensions);
  if (!parsed.success) return null;
  const { requestedQueryCost, actualQueryCost, throttleStatus } = parsed.data.cost;
  return { requestedQueryCost, actualQueryCost: actualQueryCost ?? null, throttleStatus };
}

/**
 * How long until the leaky bucket holds enough points for this request again:
 * (requested − available) ÷ restoreRate seconds, never less than a second so that a
 * bucket on the edge is not hammered.
 */
export function throttleWaitMs(cost: QueryCost | null): number | null {
  if (!cost || !(cost.throttleStatus.restoreRate > 0)) return null;
  const missing = cost.requestedQueryCost - cost.throttleStatus.currentlyAvailable;
  return Math.max(1000, Math.ceil((missing / cost.throttleStatus.restoreRate) * 1000));
}

/** Retry-After as milliseconds: delta-seconds (Shopify sends "2.0") or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // HTTP dates open with the day's name; Date.parse alone would read "-5" as a year.
  if (!/^[A-Za-z]{3}/.test(text)) return null;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Shopify's error text from a body, short: `errors` may be a string, an object or a GraphQL list. */
function errorText(body: GraphqlHttpResponse["body"]): string | null {
  const errors = body?.["errors"];
  let text: string | null = null;
  if (typeof errors === "string") {
    text = errors;
  } else if (Array.isArray(errors)) {
    const messages = errors.map((error) => graphqlErrorSchema.safeParse(error).data?.message).filter(Boolean);
    text = messages.length > 0 ? messages.join("; ") : null;
  } else if (errors && typeof errors === "object") {
    text = Object.entries(errors)
      .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
      .join("; ");
  }
  if (!text) return null;
  return text.length > MAX_SERVER_TEXT ? `${text.slice(0, MAX_SERVER_TEXT)}…` : text;
}

function withText(reason: string, body: GraphqlHttpResponse["body"]): string {
  const text = errorText(body);
  return text ? `${reason} (Shopify said: ${text})` : reason;
}

/** Turns one HTTP answer to a mutation into its outcome. Never throws. */
export function classifyGraphqlResponse<P extends { userErrors: UserError[] }>(
  response: GraphqlHttpResponse,
  shape: PayloadShape<P>,
): MutationOutcome<P> {
  const { status, body } = response;
  const cost = readQueryCost(body?.["extensions"]);
  const byStatus = classifyHttpStatus(response, cost);
  if (byStatus) return byStatus;
  if (body === null) {
    // Decision: a 2xx that is not JSON is retryable. Shopify's GraphQL endpoint only
    // answers JSON, so such a body comes from something in between (a proxy's or
    // maintenance page) and is transient. Whether the mutation ran is unknown, and
    // retrying with the same arguments is safe (idempotent per session and name) and
    // the only way to learn the outcome; "failed" would strand the session. A body
    // that IS JSON but of the wrong shape is "failed" below: that is a contract
    // mismatch that repeats on every retry.
    return {
      kind: "retryable",
      status,
      reason: `Shopify answered HTTP ${status} with a body that is not a JSON object`,
      retryAfterMs: null,
      cost: null,
    };
  }

  const errors = body["errors"];
  if (errors !== undefined && errors !== null && !(Array.isArray(errors) && errors.length === 0)) {
    return classifyGraphqlErrors(errors, status, cost, body);
  }

  return classifyPayload(status, body, shape, cost);
}

/** An answer that is not a 2xx, by its status alone (and Shopify's words, where it sent some); null for a 2xx. */
function classifyHttpStatus(response: GraphqlHttpResponse, cost: QueryCost | null): MutationOutcome<never> | null {
  const { status, body } = response;
  if (status === 401 || status === 403) {
    return {
      kind: "auth-failure",
      status,
      message: withText(
        status === 401
          ? "Shopify refused the access token (HTTP 401): the app must be installed again or re-authorized for this shop"
          : "Shopify refused access (HTTP 403): the token lacks a required scope or the shop is forbidden; check the app's scopes and the shop's status",
        body,
      ),
    };
  }
  if (status === 402 || status === 423) {
    const what = status === 402 ? "frozen (HTTP 402: unpaid Shopify bill)" : "locked (HTTP 423)";
    return {
      kind: "failed",
      status,
      reason: `the shop is ${what}: Shopify accepts no calls for it until the merchant sorts this out; retry much later or alert an operator`,
    };
  }
  if (status === 429) {
    return {
      kind: "retryable",
      status,
      reason: "Shopify rate-limited the request (HTTP 429)",
      retryAfterMs: parseRetryAfter(response.retryAfter) ?? throttleWaitMs(cost),
      cost,
    };
  }
  // 408 is the server giving up on a slow request: as transient as a 5xx.
  if (status >= 500 || status === 408) {
    return {
      kind: "retryable",
      status,
      reason: `Shopify could not answer (HTTP ${status})`,
      retryAfterMs: parseRetryAfter(response.retryAfter),
      cost,
    };
  }
  if (status >= 300 && status < 400) {
    // Redirects are not followed: fetch would carry X-Shopify-Access-Token to
    // whatever host the Location names.
    return {
      kind: "failed",
      status,
      reason: `Shopify answered with a redirect (HTTP ${status}), which is not followed so the token never leaves the shop's host; check the shop domain and the origin`,
    };
  }
  if (status < 200 || status >= 300) {
    const hint =
      status === 404
        ? "; check the shop domain and the API version"
        : status === 400
          ? "; the request itself is malformed"
          : "";
    return { kind: "failed", status, reason: withText(`Shopify refused the request (HTTP ${status})${hint}`, body) };
  }

  return null;
}

/** A 2xx without top-level errors: the mutation's payload, checked against the shape this app expects. */
function classifyPayload<P extends { userErrors: UserError[] }>(
  status: number,
  body: NonNullable<GraphqlHttpResponse["body"]>,
  shape: PayloadShape<P>,
  cost: QueryCost | null,
): MutationOutcome<P> {
  const data = body["data"];
  const field = data && typeof data === "object" ? (data as Record<string, unknown>)[shape.field] : undefined;
  const parsed = shape.payloadSchema.safeParse(field);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${[shape.field, ...issue.path.map(String)].join(".")}: ${issue.message}`)
      .join("; ");
    return {
      kind: "failed",
      status,
      reason: `Shopify's answer does not match the ${shape.field} payload this app expects (${issues}); check the pinned API version`,
    };
  }
  const payload = parsed.data;
  if (payload.userErrors.length > 0) {
    return { kind: "user-errors", userErrors: payload.userErrors, payload };
  }
  return { kind: "success", payload, cost };
}

/**
 * Top-level GraphQL errors (HTTP 200). Access wins over everything (no call will
 * work); any other definitive error beats a transient one, since retrying would
 * meet it again; only a response made entirely of THROTTLED/INTERNAL_SERVER_ERROR
 * is retryable.
 */
function classifyGraphqlErrors(
  errors: unknown,
  status: number,
  cost: QueryCost | null,
  body: GraphqlHttpResponse["body"],
): MutationOutcome<never> {
  const list = (Array.isArray(errors) ? errors : [errors]).map((error) => graphqlErrorSchema.safeParse(error).data ?? {});
  const codes = list.map((error) => error.extensions?.code ?? null);
  const text = errorText(body);

  if (codes.includes("ACCESS_DENIED")) {
    return {
      kind: "auth-failure",
      status,
      message: withText(
        "Shopify denied access (GraphQL ACCESS_DENIED): check that the shop granted write_payment_sessions and write_payment_gateways",
        body,
      ),
    };
  }
  if (codes.includes("SHOP_INACTIVE")) {
    return { kind: "failed", status, reason: "the shop is inactive (GraphQL SHOP_INACTIVE): retry much later or alert an operator" };
  }
  if (codes.includes("MAX_COST_EXCEEDED")) {
    return {
      kind: "failed",
      status,
      reason: "the operation costs more than Shopify allows in one request (GraphQL MAX_COST_EXCEEDED): its document must select less",
    };
  }
  if (codes.length > 0 && codes.every((code) => code === "THROTTLED" || code === "INTERNAL_SERVER_ERROR")) {
    if (codes.includes("THROTTLED")) {
      return {
        kind: "retryable",
        status,
        reason: "Shopify throttled the request (GraphQL THROTTLED): the shop's query-cost bucket is empty",
        retryAfterMs: throttleWaitMs(cost),
        cost,
      };
    }
    const requestId = list.find((error) => error.extensions?.requestId)?.extensions?.requestId;
    return {
      kind: "retryable",
      status,
      reason: `Shopify reported an internal error (GraphQL INTERNAL_SERVER_ERROR${requestId ? `, request id ${requestId}` : ""})`,
      retryAfterMs: null,
      cost,
    };
  }
  // Anything else (a query Shopify does not accept, an unknown code) repeats on every
  // retry: usually an API version that does not have a selected field or argument.
  const known = codes.filter((code) => code !== null);
  return {
    kind: "failed",
    status,
    reason: `Shopify refused the operation${known.length > 0 ? ` (GraphQL ${known.join(", ")})` : ""}${text ? `: ${text}` : ""}`,
  };
}

/**
 * A call that got no HTTP answer: a timeout, a refused or reset connection, a DNS
 * failure. Whether Shopify applied the mutation is unknown, so it is retried.
 */
export function classifyTransportError(error: unknown, timeoutMs: number): MutationRetryable {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError") {
    return { kind: "retryable", status: null, retryAfterMs: null, cost: null, reason: `no answer from Shopify within ${timeoutMs} ms` };
  }
  // fetch only says "fetch failed"; undici puts the system error in `cause`
  // (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET for a reset…), which is what an operator needs.
  const cause = error instanceof Error ? error.cause : undefined;
  const detail =
    cause instanceof Error
      ? "code" in cause && typeof cause.code === "string"
        ? `${cause.code} (${cause.message})`
        : cause.message
      : error instanceof Error
        ? error.message
        : String(error);
  return { kind: "retryable", status: null, retryAfterMs: null, cost: null, reason: `could not reach Shopify: ${detail}` };
}
