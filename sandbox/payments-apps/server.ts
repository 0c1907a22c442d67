/**
 * A local stand-in for Shopify's Payments Apps GraphQL endpoint
 * (`POST /payments_apps/api/{version}/graphql.json`, spec §6–§9), with a call log and fault
 * injection for testing how the app reports outcomes.
 *
 * The shop is identified by its access token (the sandbox listens on one host for all shops).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  execute,
  getNamedType,
  getOperationAST,
  isCompositeType,
  Kind,
  parse,
  TypeInfo,
  validate,
  visit,
  OperationTypeNode,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { buildPaymentsAppsSchema, loadPaymentsAppsSchemaSource } from "./schema";
import {
  isApiVersion,
  isPaymentRejectionReasonAvailable,
  PaymentsAppsState,
  type CallScope,
  type FollowUpKind,
  type FollowUpRejectionReason,
  type FollowUpSessionRecord,
  type MutationResult,
  type PaymentDetailsInput,
  type PaymentKind,
  type PaymentMethod,
  type PaymentRejectionReason,
  type PaymentSessionRecord,
  type PaymentsAppConfiguration,
  type PendingReason,
  type RejectionSource,
  type SessionKind,
  type SessionRecord,
  type StateOptions,
  type ThreeDSecureAuthenticationInput,
  type UserError,
} from "./state";

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface Faults {
  /** Share of matching requests answered HTTP 503 (0..1). */
  errorRate?: number;
  /** Delay before a matching request is handled. */
  latencyMs?: number;
  /** `true` throttles every matching request, a number is a share (0..1): HTTP 200 with THROTTLED. */
  throttle?: boolean | number;
  /** Share of matching requests answered HTTP 200 with an INTERNAL_SERVER_ERROR error. */
  internalErrorRate?: number;
  /** Share of matching requests never answered; the connection stays open until the client gives up or stop(). */
  timeoutRate?: number;
  /** Share of matching requests whose socket is destroyed without an answer. */
  resetRate?: number;
  /** The next N matching requests are answered HTTP 503 (before any rate is drawn). */
  failNext?: number;
  /** Adds `Retry-After: N` to injected 503 answers (Shopify does not always send one). */
  retryAfterSeconds?: number;
  /** Apply faults only to requests containing one of these mutation fields (queries never match). */
  only?: string | readonly string[];
  /**
   * Execute the mutation, then fail the answer (503, INTERNAL_SERVER_ERROR, timeout, reset): the
   * change happened but the client cannot know. Without it a faulted request changes nothing.
   * THROTTLED is always "not executed".
   */
  applyThenFail?: boolean;
  /** Reseeds the fault random generator. */
  seed?: number;
}

export type FaultKind = "http-503" | "internal-error" | "throttled" | "timeout" | "reset";

export type CallOutcome =
  | "ok"
  | "user-errors"
  | "invalid"
  | "unauthorized"
  | "not-found"
  /** The real leaky bucket ran out (not an injected fault). */
  | "throttled"
  /** The client went away during injected latency; nothing was executed. */
  | "client-closed"
  | `fault:${FaultKind}`;

export interface Call {
  readonly at: Date;
  readonly requestId: string;
  /** The shop owning the access token; null when the token is missing or unknown. */
  readonly shop: string | null;
  readonly version: string;
  readonly operationName: string | null;
  /** Root mutation field names in document order (empty for queries). */
  readonly mutations: readonly string[];
  readonly variables: Readonly<Record<string, unknown>> | null;
  /** null when no answer was sent (timeout, reset, client gone). */
  readonly httpStatus: number | null;
  readonly outcome: CallOutcome;
  /** Whether the operation ran (state may have changed). */
  readonly executed: boolean;
}

export interface ShopOptions {
  /** Extension flag `supports_3ds`, the default for this shop's credit card sessions. */
  supports3ds?: boolean;
  /** Extension set up for paymentSessionConfirm, the default for this shop's sessions. */
  confirmationSupported?: boolean;
}

export interface RegisterSandboxSessionInput {
  gid: string;
  shop: string;
  kind: SessionKind;
  paymentKind?: PaymentKind;
  paymentMethod?: PaymentMethod;
  supports3ds?: boolean;
  confirmationSupported?: boolean;
}

export interface RateLimit {
  maximumAvailable: number;
  /** Points restored per second. */
  restoreRate: number;
}

export interface PaymentsAppsSandboxOptions extends Omit<StateOptions, "now"> {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Origin of the checkout pages in nextAction URLs; default: the sandbox's own url. */
  checkoutOrigin?: string;
  /** Seed of the fault random generator (default 1), so fault tests are deterministic. */
  seed?: number;
  /** Per-shop leaky bucket; UNCONFIRMED for this API (spec §6), default 1000 points, 50/s. */
  rateLimit?: RateLimit;
  /** Clock for session rules and the bucket; default the system clock. */
  now?: () => Date;
  /** SDL to serve instead of the vendored schema. */
  schemaSource?: string;
  /**
   * Development convenience: a mutation for a gid nobody registered registers it
   * first (kind from the gid's type; a payment resolved with authorizationExpiresAt
   * counts as an authorization), as if Shopify's checkout had opened it. Off by
   * default: tests register what Shopify opened.
   */
  autoRegisterSessions?: boolean;
  /**
   * Development convenience: GET /_sandbox/calls lists the call log, POST
   * /_sandbox/faults sets faults (JSON body), DELETE /_sandbox/faults clears them.
   */
  controlRoutes?: boolean;
}

export interface SessionsView {
  get(gid: string): SessionRecord | undefined;
  list(shop?: string): readonly SessionRecord[];
}

export interface PaymentsAppsSandbox {
  /** Origin, e.g. http://127.0.0.1:53124. */
  readonly url: string;
  registerShop(shop: string, accessToken: string, options?: ShopOptions): void;
  registerSession(input: RegisterSandboxSessionInput): SessionRecord;
  /** Shopify moved this (registered) buyer on: its paymentSessionRedirect is refused with BUYER_ALREADY_REDIRECTED_BY_SHOPIFY. */
  closeRedirectWindow(gid: string): void;
  /** Every request, in arrival order of their answers (live, read-only). */
  readonly calls: readonly Call[];
  clearCalls(): void;
  readonly sessions: SessionsView;
  configuration(shop: string): PaymentsAppConfiguration | undefined;
  setFaults(faults: Faults): void;
  clearFaults(): void;
  /** Where nextAction sends buyers from now on (the sandbox's checkout pages, once they run). */
  setCheckoutOrigin(origin: string): void;
  /**
   * What Shopify does after a successful paymentSessionConfirm: decide, then POST
   * the result to the app's confirmation_callback_url (spec §3.8). The simulator
   * does the POST over mTLS (sandbox/shopify/simulator.ts); null stops it.
   */
  onConfirmation(handler: ((session: { gid: string; shop: string }) => void) | null): void;
  /** Closes the server and every open connection, including hanging ones. */
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

const ENDPOINT = /^\/payments_apps\/api\/([^/]+)\/graphql\.json$/;
const CHECKOUT_PAGE = /^\/checkouts\/([^/]+)\/(thank_you|payment|pending|confirming)$/;
const MAX_BODY_BYTES = 1024 * 1024;
const MUTATION_COST = 10;

const UNAUTHORIZED_BODY = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };
const BAD_REQUEST_BODY = { errors: { query: "Required parameter missing or invalid" } };

const PUBLIC_API_VERSIONS = [
  { handle: "2025-07", displayName: "2025-07", supported: true },
  { handle: "2025-10", displayName: "2025-10", supported: true },
  { handle: "2026-01", displayName: "2026-01", supported: true },
  { handle: "2026-04", displayName: "2026-04 (Latest)", supported: true },
  { handle: "2026-07", displayName: "2026-07 (Release candidate)", supported: false },
  { handle: "unstable", displayName: "unstable", supported: false },
];

// ---------------------------------------------------------------------------------------------
// Small pieces
// ---------------------------------------------------------------------------------------------

/** mulberry32: tiny, seedable, good enough to pick which requests fail. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class LeakyBucket {
  private available: number;
  private updatedAt: number;

  constructor(
    private readonly limit: RateLimit,
    nowMs: number,
  ) {
    this.available = limit.maximumAvailable;
    this.updatedAt = nowMs;
  }

  currentlyAvailable(nowMs: number): number {
    const elapsedSeconds = Math.max(0, nowMs - this.updatedAt) / 1000;
    this.available = Math.min(this.limit.maximumAvailable, this.available + elapsedSeconds * this.limit.restoreRate);
    this.updatedAt = nowMs;
    return this.available;
  }

  take(cost: number, nowMs: number): void {
    this.available = this.currentlyAvailable(nowMs) - cost;
  }
}

interface Cost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

function collectRootFields(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!selection.name.value.startsWith("__")) names.push(selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      names.push(...collectRootFields(selection.selectionSet, fragments, seen));
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment && !seen.has(fragment.name.value)) {
        seen.add(fragment.name.value);
        names.push(...collectRootFields(fragment.selectionSet, fragments, seen));
      }
    }
  }
  return names;
}

/** Shopify's calculated cost, simplified: 10 per mutation field; for queries 1 per object field. */
function requestedQueryCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, rootFields: readonly string[]): number {
  if (operation.operation === OperationTypeNode.MUTATION) return MUTATION_COST * rootFields.length;
  const typeInfo = new TypeInfo(schema);
  let cost = 0;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const type = typeInfo.getType();
        if (type && isCompositeType(getNamedType(type))) cost += 1;
      },
    }),
  );
  return Math.max(cost, 1);
}

function checkRate(name: string, value: number | undefined): void {
  if (value !== undefined && !(value >= 0 && value <= 1)) throw new RangeError(`Faults.${name} must be between 0 and 1; got ${value}`);
}

function readBody(req: IncomingMessage): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? "too-large" : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

interface GraphQLRequest {
  query: string;
  variables: Record<string, unknown> | null;
  operationName: string | null;
}

function parseGraphQLRequest(body: Buffer, contentType: string | undefined): GraphQLRequest | null {
  if (contentType?.toLowerCase().startsWith("application/graphql")) {
    const query = body.toString("utf8");
    return query.trim() === "" ? null : { query, variables: null, operationName: null };
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    return null;
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return null;
  const { query, variables, operationName } = json as Record<string, unknown>;
  if (typeof query !== "string" || query.trim() === "") return null;
  if (variables !== undefined && variables !== null && (typeof variables !== "object" || Array.isArray(variables))) return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") return null;
  return {
    query,
    variables: (variables as Record<string, unknown> | null | undefined) ?? null,
    operationName: operationName ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// GraphQL resolvers: state results → Shopify's payload shapes
// ---------------------------------------------------------------------------------------------

const PAYMENT_STATE_TYPENAMES = {
  RESOLVED: "PaymentSessionStateResolved",
  REJECTED: "PaymentSessionStateRejected",
  PENDING: "PaymentSessionStatePending",
  REDIRECTING: "PaymentSessionStateRedirecting",
  CONFIRMING: "PaymentSessionStateConfirming",
  BUYER_ACTION_REQUIRED: "PaymentSessionStateBuyerActionRequired",
} as const;

interface Presenter {
  payment(session: PaymentSessionRecord): Record<string, unknown>;
  followUp(session: FollowUpSessionRecord): Record<string, unknown>;
}

function createPresenter(checkoutOrigin: string, version: string): Presenter {
  const redirect = (path: string) => ({
    action: "REDIRECT",
    context: { __typename: "PaymentSessionActionsRedirect", redirectUrl: `${checkoutOrigin}${path}` },
  });
  return {
    payment(session) {
      const state = session.state;
      if (state === null) throw new Error(`Cannot present the open payment session ${session.gid}`);
      const checkout = `/checkouts/${encodeURIComponent(session.id)}`;
      let presentedState: Record<string, unknown> = { __typename: PAYMENT_STATE_TYPENAMES[state.code], code: state.code };
      let nextAction: Record<string, unknown> | null = null;
      switch (state.code) {
        case "RESOLVED":
          nextAction = redirect(`${checkout}/thank_you`);
          break;
        case "REJECTED": {
          // A session rejected through a newer version still serializes on an older one.
          const reason = isPaymentRejectionReasonAvailable(state.reason, version) ? state.reason : "PROCESSING_ERROR";
          presentedState = { ...presentedState, reason, merchantMessage: state.merchantMessage, source: state.source };
          nextAction = redirect(`${checkout}/payment?error=${encodeURIComponent(state.reason)}`);
          break;
        }
        case "PENDING":
          presentedState = { ...presentedState, reason: state.reason };
          nextAction = redirect(`${checkout}/pending`);
          break;
        case "CONFIRMING":
          nextAction = redirect(`${checkout}/confirming`);
          break;
        case "REDIRECTING":
        case "BUYER_ACTION_REQUIRED":
          break;
      }
      return {
        id: session.gid,
        state: presentedState,
        nextAction,
        authorizationExpiresAt: session.authorizationExpiresAt,
        pendingExpiresAt: session.pendingExpiresAt,
      };
    },
    followUp(session) {
      const state = session.state;
      if (state === null) throw new Error(`Cannot present the open ${session.kind} session ${session.gid}`);
      const prefix = `${session.kind.charAt(0).toUpperCase()}${session.kind.slice(1)}SessionState`;
      return {
        id: session.gid,
        state:
          state.code === "RESOLVED"
            ? { __typename: `${prefix}Resolved`, code: "RESOLVED" }
            : { __typename: `${prefix}Rejected`, code: "REJECTED", reason: state.reason, merchantMessage: state.merchantMessage },
      };
    },
  };
}

function payload<S, C extends string | null>(
  sessionField: string,
  result: MutationResult<S, C>,
  present: (session: S) => Record<string, unknown>,
): Record<string, unknown> {
  return result.ok
    ? { [sessionField]: present(result.session), userErrors: [] }
    : { [sessionField]: null, userErrors: [presentUserError(result.error)] };
}

function presentUserError(error: UserError): Record<string, unknown> {
  return { code: error.code, field: error.field, message: error.message };
}

type ConfirmationHandler = (session: { gid: string; shop: string }) => void;

function createRootValue(state: PaymentsAppsState, scope: CallScope, present: Presenter, confirmationHandler: ConfirmationHandler | null = null): Record<string, unknown> {
  const paymentPayload = <C extends string | null>(result: MutationResult<PaymentSessionRecord, C>) =>
    payload("paymentSession", result, (session) => present.payment(session));
  const followUp = (kind: FollowUpKind) => ({
    resolve: (args: { id: string }) => payload(`${kind}Session`, state.followUpSessionResolve(kind, scope, args), (s) => present.followUp(s)),
    reject: (args: { id: string; reason: { code: FollowUpRejectionReason; merchantMessage?: string | null } }) =>
      payload(`${kind}Session`, state.followUpSessionReject(kind, scope, args), (s) => present.followUp(s)),
  });
  const refund = followUp("refund");
  const capture = followUp("capture");
  const voidSession = followUp("void");
  const verificationNotFound = () => ({
    verificationSession: null,
    userErrors: [{ code: "VERIFICATION_SESSION_NOT_FOUND", field: ["id"], message: "Verification session not found." }],
  });

  // graphql-js validated and coerced the arguments against the schema, so their shapes hold.
  return {
    publicApiVersions: () => PUBLIC_API_VERSIONS,
    paymentsAppConfigure: (args: { externalHandle?: string | null; ready: boolean }) => {
      const configuration = state.paymentsAppConfigure(scope, args);
      return { paymentsAppConfiguration: { externalHandle: configuration.externalHandle, ready: configuration.ready }, userErrors: [] };
    },
    paymentSessionResolve: (
      args: {
        id: string;
        authorizationExpiresAt?: string | null;
        authentication?: ThreeDSecureAuthenticationInput | null;
        networkTransactionId?: string | null;
        paymentDetails?: PaymentDetailsInput | null;
      },
    ) => paymentPayload(state.paymentSessionResolve(scope, args)),
    paymentSessionReject: (
      args: {
        id: string;
        reason: { code: PaymentRejectionReason; merchantMessage?: string | null; source?: RejectionSource | null };
        authentication?: ThreeDSecureAuthenticationInput | null;
        paymentDetails?: PaymentDetailsInput | null;
      },
    ) => paymentPayload(state.paymentSessionReject(scope, args)),
    paymentSessionPending: (args: { id: string; pendingExpiresAt: string; reason: PendingReason }) =>
      paymentPayload(state.paymentSessionPending(scope, args)),
    paymentSessionRedirect: (args: { id: string; redirectUrl: string }) => paymentPayload(state.paymentSessionRedirect(scope, args)),
    paymentSessionConfirm: (args: { id: string }) => {
      const result = state.paymentSessionConfirm(scope, args);
      // Shopify decides after answering, then posts to the confirmation callback (spec §3.8).
      if (result.ok && !result.repeated && confirmationHandler) {
        const handler = confirmationHandler;
        const { gid, shop } = result.session;
        setImmediate(() => handler({ gid, shop }));
      }
      return paymentPayload(result);
    },
    paymentSessionModal: (args: { id: string; action: unknown; expiresAt?: string | null }) =>
      paymentPayload(state.paymentSessionModal(scope, args)),
    refundSessionResolve: refund.resolve,
    refundSessionReject: refund.reject,
    captureSessionResolve: capture.resolve,
    captureSessionReject: capture.reject,
    voidSessionResolve: voidSession.resolve,
    voidSessionReject: voidSession.reject,
    verificationSessionRedirect: verificationNotFound,
    verificationSessionReject: verificationNotFound,
    verificationSessionResolve: verificationNotFound,
  };
}

function hasUserErrors(data: Record<string, unknown> | null | undefined): boolean {
  if (!data) return false;
  return Object.values(data).some((value) => {
    if (typeof value !== "object" || value === null || !("userErrors" in value)) return false;
    const userErrors = (value).userErrors;
    return Array.isArray(userErrors) && userErrors.length > 0;
  });
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

export async function startPaymentsAppsSandbox(options: PaymentsAppsSandboxOptions = {}): Promise<PaymentsAppsSandbox> {
  const host = options.host ?? "127.0.0.1";
  const now = options.now ?? (() => new Date());
  const rateLimit: RateLimit = options.rateLimit ?? { maximumAvailable: 1000, restoreRate: 50 };
  const schemaSource = options.schemaSource ?? loadPaymentsAppsSchemaSource();
  const state = new PaymentsAppsState({
    now,
    pendingLimitMs: options.pendingLimitMs,
    modalLimitMs: options.modalLimitMs,
    redirectWindowMs: options.redirectWindowMs,
    followUpRejectWithDifferentReason: options.followUpRejectWithDifferentReason,
  });

  const shops = new Map<string, { accessToken: string; options: ShopOptions }>();
  const shopsByToken = new Map<string, string>();
  const buckets = new Map<string, LeakyBucket>();
  const calls: Call[] = [];
  let faults: Faults = {};
  let checkoutOrigin = options.checkoutOrigin;
  let confirmationHandler: ConfirmationHandler | null = null;
  let random = seededRandom(options.seed ?? 1);
  let stopped = false;
  const waits = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (stopped) return resolve();
      const wait = {
        timer: setTimeout(() => {
          waits.delete(wait);
          resolve();
        }, ms),
        resolve,
      };
      waits.add(wait);
    });
  }

  function bucketFor(shop: string): LeakyBucket {
    let bucket = buckets.get(shop);
    if (!bucket) {
      bucket = new LeakyBucket(rateLimit, now().getTime());
      buckets.set(shop, bucket);
    }
    return bucket;
  }

  function cost(requested: number, actual: number | null, currentlyAvailable: number): Cost {
    return {
      requestedQueryCost: requested,
      actualQueryCost: actual,
      throttleStatus: {
        maximumAvailable: rateLimit.maximumAvailable,
        currentlyAvailable: Math.max(0, Math.floor(currentlyAvailable)),
        restoreRate: rateLimit.restoreRate,
      },
    };
  }

  /** Decides the injected fault for a request; consumes failNext and draws from the seeded generator. */
  function decideFault(mutations: readonly string[]): { matches: boolean; kind: FaultKind | null } {
    const only = faults.only === undefined ? null : typeof faults.only === "string" ? [faults.only] : faults.only;
    const matches = only === null || mutations.some((name) => only.includes(name));
    if (!matches) return { matches, kind: null };
    if (faults.failNext !== undefined && faults.failNext > 0) {
      faults = { ...faults, failNext: faults.failNext - 1 };
      return { matches, kind: "http-503" };
    }
    const throttleRate = faults.throttle === true ? 1 : faults.throttle === false ? undefined : faults.throttle;
    // Draw for every configured rate, in a fixed order, so one setting does not shift another's sequence.
    const draws: [FaultKind, number | undefined][] = [
      ["timeout", faults.timeoutRate],
      ["reset", faults.resetRate],
      ["http-503", faults.errorRate],
      ["internal-error", faults.internalErrorRate],
      ["throttled", throttleRate],
    ];
    let kind: FaultKind | null = null;
    for (const [candidate, rate] of draws) {
      if (rate === undefined) continue;
      const hit = random() < rate;
      if (hit && kind === null) kind = candidate;
    }
    return { matches, kind };
  }

  function send(res: ServerResponse, status: number, body: unknown, version?: string, headers: Record<string, string> = {}): void {
    if (res.destroyed || res.writableEnded) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(text),
      ...(version ? { "X-Shopify-API-Version": version } : {}),
      ...headers,
    });
    res.end(text);
  }

  const checkedDocuments = new Map<string, { document: DocumentNode } | { errors: readonly GraphQLError[] }>();
  function checkDocument(version: string, schema: GraphQLSchema, query: string): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
    const key = `${version}\n${query}`;
    let checked = checkedDocuments.get(key);
    if (!checked) {
      try {
        const document = parse(query);
        const errors = validate(schema, document);
        checked = errors.length > 0 ? { errors } : { document };
      } catch (error) {
        checked = { errors: [error as GraphQLError] };
      }
      // Bounded: a client sending endless distinct documents does not grow memory.
      if (checkedDocuments.size >= 500) checkedDocuments.clear();
      checkedDocuments.set(key, checked);
    }
    return checked;
  }

  function autoRegister(shop: string, mutations: readonly string[], variables: Readonly<Record<string, unknown>> | null): void {
    const gid = variables?.id;
    if (typeof gid !== "string" || state.getSession(gid)) return;
    const type = /^gid:\/\/shopify\/(Payment|Refund|Capture|Void)Session\/[^/]+$/.exec(gid)?.[1];
    if (!type) return;
    const kind = type.toLowerCase() as SessionKind;
    const authorization = mutations.includes("paymentSessionResolve") && typeof variables?.authorizationExpiresAt === "string";
    state.registerSession({ gid, shop, kind, ...(kind === "payment" ? { paymentKind: authorization ? "authorization" : "sale" } : {}) });
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const body = await readBody(req);
    if (path === "/_sandbox/calls" && req.method === "GET") {
      send(res, 200, { calls });
      return;
    }
    if (path === "/_sandbox/faults" && req.method === "DELETE") {
      faults = {};
      send(res, 200, { faults });
      return;
    }
    if (path === "/_sandbox/faults" && req.method === "POST" && body !== "too-large") {
      try {
        sandbox.setFaults(JSON.parse(body.toString("utf8") || "{}") as Faults);
        send(res, 200, { faults });
      } catch (error) {
        send(res, 400, { errors: `body must be a JSON object of valid faults (${error instanceof Error ? error.message : "invalid"})` });
      }
      return;
    }
    send(res, 404, { errors: "Not Found" });
  }

  /**
   * One request to the Admin API's Payments Apps endpoint, in the order Shopify judges it:
   * admitted (endpoint, token, body), its document checked, injected faults and the leaky bucket,
   * then executed. Each step answers and logs when it ends the request.
   */
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://sandbox.invalid").pathname;
    if (serveCheckoutPage(req, res, path)) return;
    if (options.controlRoutes && path.startsWith("/_sandbox/")) {
      await handleControl(req, res, path);
      return;
    }
    const exchange = openExchange(req, res, path);
    const admitted = await admit(exchange);
    if (!admitted) return;
    const judged = judge(exchange, admitted);
    if (!judged) return;
    await run(exchange, judged);
  }

  /** A stand-in for Shopify's checkout pages that nextAction points the buyer to. */
  function serveCheckoutPage(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const checkoutPage = CHECKOUT_PAGE.exec(path);
    if (!checkoutPage || req.method !== "GET") return false;
    const html = `<!doctype html><title>Sandbox checkout</title><h1>Checkout ${checkoutPage[2]}</h1><p>Payment ${checkoutPage[1]}</p>`;
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(html);
    return true;
  }

  /** The request's identity for the call log, and whether its client went away before the answer. */
  function openExchange(req: IncomingMessage, res: ServerResponse, path: string): Exchange {
    const at = now();
    const requestId = randomUUID();
    res.setHeader("X-Request-Id", requestId);
    let clientClosed = false;
    res.on("close", () => {
      if (!res.writableFinished) clientClosed = true;
    });
    const endpoint = ENDPOINT.exec(path);
    const version = endpoint?.[1] ?? "";
    return {
      req,
      res,
      requestId,
      version,
      isEndpoint: endpoint !== null,
      clientClosed: () => clientClosed,
      log: (entry) => calls.push({ at, requestId, version, ...entry }),
      send: (status, body, headers) => send(res, status, body, version || undefined, headers),
    };
  }

  /** The endpoint, the access token and the body: 404, 401, 413 or 400 before any GraphQL. */
  async function admit(exchange: Exchange): Promise<{ shop: string; request: GraphQLRequest } | null> {
    const { req, version } = exchange;
    const blank = { shop: null, operationName: null, mutations: [], variables: null } as const;
    if (!exchange.isEndpoint || !isApiVersion(version) || req.method !== "POST") {
      req.resume();
      exchange.log({ ...blank, httpStatus: 404, outcome: "not-found", executed: false });
      send(exchange.res, 404, { errors: "Not Found" });
      return null;
    }
    const body = await readBody(req);
    const token = req.headers["x-shopify-access-token"];
    const shop = typeof token === "string" ? shopsByToken.get(token) : undefined;
    if (shop === undefined) {
      exchange.log({ ...blank, httpStatus: 401, outcome: "unauthorized", executed: false });
      send(exchange.res, 401, UNAUTHORIZED_BODY);
      return null;
    }
    if (body === "too-large") {
      exchange.log({ ...blank, shop, httpStatus: 413, outcome: "invalid", executed: false });
      send(exchange.res, 413, { errors: "Request Entity Too Large" });
      return null;
    }
    const request = parseGraphQLRequest(body, req.headers["content-type"]);
    if (request === null) {
      exchange.log({ ...blank, shop, httpStatus: 400, outcome: "invalid", executed: false });
      send(exchange.res, 400, BAD_REQUEST_BODY);
      return null;
    }
    return { shop, request };
  }

  /** The document against the version's schema (checked once per document), its mutations and cost. */
  function judge(exchange: Exchange, { shop, request }: { shop: string; request: GraphQLRequest }): JudgedCall | null {
    const schema = buildPaymentsAppsSchema(exchange.version, schemaSource);
    const bucket = bucketFor(shop);
    const base = { shop, operationName: request.operationName, variables: request.variables };
    // Parsing and validating dominate the cost of a request; an app sends the same
    // few documents over and over, so each (version, document) is checked once.
    const checked = checkDocument(exchange.version, schema, request.query);
    if ("errors" in checked) {
      answerInvalid(exchange, bucket, { ...base, mutations: [] }, checked.errors);
      return null;
    }
    const document = checked.document;
    const operation = getOperationAST(document, request.operationName);
    const fragments = new Map(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
    );
    const rootFields = operation ? collectRootFields(operation.selectionSet, fragments) : [];
    const mutations = operation?.operation === OperationTypeNode.MUTATION ? rootFields : [];
    const operationName = request.operationName ?? operation?.name?.value ?? null;
    const requested = operation ? requestedQueryCost(schema, document, operation, rootFields) : 0;
    return { shop, request, schema, document, bucket, requested, entry: { ...base, operationName, mutations } };
  }

  function answerInvalid(exchange: Exchange, bucket: LeakyBucket, entry: CallEntry, errors: readonly GraphQLError[]): void {
    exchange.log({ ...entry, httpStatus: 200, outcome: "invalid", executed: false });
    exchange.send(200, { errors, extensions: { cost: cost(0, 0, bucket.currentlyAvailable(now().getTime())) } });
  }

  /** Injected faults (before execution, or after it with applyThenFail), the real bucket, execution. */
  async function run(exchange: Exchange, call: JudgedCall): Promise<void> {
    const { entry, requested, bucket } = call;
    if (options.autoRegisterSessions) autoRegister(call.shop, entry.mutations, call.request.variables);
    const fault = decideFault(entry.mutations);
    // The settings this request was judged by, even if a test changes them while it waits.
    const active = faults;
    if (fault.matches && active.latencyMs) {
      await sleep(active.latencyMs);
      if (stopped) return;
      if (exchange.clientClosed() && !active.applyThenFail) {
        exchange.log({ ...entry, httpStatus: null, outcome: "client-closed", executed: false });
        return;
      }
    }
    const applyThenFail = active.applyThenFail === true && fault.kind !== "throttled";
    if (fault.kind !== null && !applyThenFail) {
      answerFault(exchange, call, active, fault.kind, false);
      return;
    }
    if (refusedByBucket(exchange, call)) return;

    const scope: CallScope = { shop: call.shop, version: exchange.version };
    const result = (await execute({
      schema: call.schema,
      document: call.document,
      rootValue: createRootValue(state, scope, createPresenter(checkoutOrigin ?? sandboxUrl, exchange.version), confirmationHandler),
      contextValue: scope,
      variableValues: call.request.variables,
      operationName: call.request.operationName,
    }));
    if (result.data === undefined || result.data === null) {
      answerInvalid(exchange, bucket, entry, result.errors ?? []);
      return;
    }
    bucket.take(requested, now().getTime());
    if (fault.kind !== null) {
      answerFault(exchange, call, active, fault.kind, true);
      return;
    }
    if (exchange.clientClosed()) {
      exchange.log({ ...entry, httpStatus: null, outcome: "client-closed", executed: true });
      return;
    }
    exchange.log({ ...entry, httpStatus: 200, outcome: hasUserErrors(result.data) ? "user-errors" : "ok", executed: true });
    exchange.send(200, {
      data: result.data,
      ...(result.errors ? { errors: result.errors } : {}),
      extensions: { cost: cost(requested, requested, bucket.currentlyAvailable(now().getTime())) },
    });
  }

  /** The leaky bucket, as Shopify keeps it: a query over the single-query maximum, or over what is left. */
  function refusedByBucket(exchange: Exchange, { entry, requested, bucket }: JudgedCall): boolean {
    if (requested > rateLimit.maximumAvailable) {
      exchange.log({ ...entry, httpStatus: 200, outcome: "invalid", executed: false });
      exchange.send(200, maxCostExceededBody(requested, rateLimit.maximumAvailable, cost(requested, null, bucket.currentlyAvailable(now().getTime()))));
      return true;
    }
    const available = bucket.currentlyAvailable(now().getTime());
    if (requested > available) {
      exchange.log({ ...entry, httpStatus: 200, outcome: "throttled", executed: false });
      exchange.send(200, throttledBody(cost(requested, null, available)));
      return true;
    }
    return false;
  }

  function answerFault(exchange: Exchange, { entry, requested, bucket }: JudgedCall, active: Faults, kind: FaultKind, executed: boolean): void {
    switch (kind) {
      case "http-503":
        exchange.log({ ...entry, httpStatus: 503, outcome: "fault:http-503", executed });
        exchange.send(503, { errors: "Service Unavailable" }, active.retryAfterSeconds === undefined ? {} : { "Retry-After": String(active.retryAfterSeconds) });
        return;
      case "internal-error":
        exchange.log({ ...entry, httpStatus: 200, outcome: "fault:internal-error", executed });
        exchange.send(200, internalErrorBody(exchange.requestId, cost(requested, null, bucket.currentlyAvailable(now().getTime()))));
        return;
      case "throttled":
        // Reports the bucket as empty without draining it, so later requests are unaffected.
        exchange.log({ ...entry, httpStatus: 200, outcome: "fault:throttled", executed });
        exchange.send(200, throttledBody(cost(requested, null, 0)));
        return;
      case "timeout":
        // Never answered: the socket stays open until the client gives up or stop() closes it.
        exchange.log({ ...entry, httpStatus: null, outcome: "fault:timeout", executed });
        return;
      case "reset":
        exchange.log({ ...entry, httpStatus: null, outcome: "fault:reset", executed });
        exchange.req.socket.destroy();
        return;
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A sandbox bug, not a simulated fault: answer 500 so the test sees it.
      send(res, 500, { errors: `Sandbox error: ${error instanceof Error ? error.message : String(error)}` });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const sandboxUrl = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;

  const sandbox: PaymentsAppsSandbox = {
    url: sandboxUrl,
    setCheckoutOrigin(origin) {
      checkoutOrigin = origin;
    },
    onConfirmation(handler) {
      confirmationHandler = handler;
    },
    registerShop(shop, accessToken, shopOptions = {}) {
      if (shop.trim() === "" || accessToken.trim() === "") throw new Error("registerShop needs a shop domain and an access token");
      const owner = shopsByToken.get(accessToken);
      if (owner !== undefined && owner !== shop) throw new Error(`The access token is already registered for ${owner}`);
      const previous = shops.get(shop);
      if (previous) shopsByToken.delete(previous.accessToken);
      shops.set(shop, { accessToken, options: shopOptions });
      shopsByToken.set(accessToken, shop);
    },
    registerSession(input) {
      const registered = shops.get(input.shop);
      if (!registered) throw new Error(`Register the shop ${input.shop} (registerShop) before its sessions`);
      return state.registerSession({
        ...input,
        supports3ds: input.supports3ds ?? registered.options.supports3ds,
        confirmationSupported: input.confirmationSupported ?? registered.options.confirmationSupported,
      });
    },
    closeRedirectWindow(gid) {
      state.closeRedirectWindow(gid);
    },
    get calls() {
      return calls;
    },
    clearCalls() {
      calls.length = 0;
    },
    sessions: {
      get: (gid) => state.getSession(gid),
      list: (shop) => state.listSessions(shop),
    },
    configuration: (shop) => state.getConfiguration(shop),
    setFaults(next) {
      for (const name of ["errorRate", "internalErrorRate", "timeoutRate", "resetRate"] as const) checkRate(name, next[name]);
      if (typeof next.throttle === "number") checkRate("throttle", next.throttle);
      if (next.latencyMs !== undefined && !(next.latencyMs >= 0)) throw new RangeError(`Faults.latencyMs must be >= 0; got ${next.latencyMs}`);
      if (next.retryAfterSeconds !== undefined && !(Number.isInteger(next.retryAfterSeconds) && next.retryAfterSeconds >= 0)) {
        throw new RangeError(`Faults.retryAfterSeconds must be a whole number >= 0; got ${next.retryAfterSeconds}`);
      }
      if (next.failNext !== undefined && !(Number.isInteger(next.failNext) && next.failNext >= 0)) {
        throw new RangeError(`Faults.failNext must be a whole number >= 0; got ${next.failNext}`);
      }
      if (next.seed !== undefined) random = seededRandom(next.seed);
      faults = { ...next };
    },
    clearFaults() {
      faults = {};
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const wait of waits) {
        clearTimeout(wait.timer);
        wait.resolve();
      }
      waits.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  return sandbox;
}

/** What the call log records of a request besides its time, id and version. */
type CallEntry = Omit<Call, "at" | "requestId" | "version" | "httpStatus" | "outcome" | "executed">;

/** One request to the sandbox's GraphQL endpoint while it is answered. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly requestId: string;
  readonly version: string;
  readonly isEndpoint: boolean;
  clientClosed(): boolean;
  log(entry: Omit<Call, "at" | "requestId" | "version">): void;
  send(status: number, body: unknown, headers?: Record<string, string>): void;
}

/** A request whose document passed the schema: what it asks, what it costs, whose bucket pays. */
interface JudgedCall {
  readonly shop: string;
  readonly request: GraphQLRequest;
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly bucket: LeakyBucket;
  readonly requested: number;
  readonly entry: CallEntry;
}

function maxCostExceededBody(requested: number, maxCost: number, queryCost: Cost): Record<string, unknown> {
  return {
    errors: [
      {
        message: `Query cost is ${requested}, which exceeds the single query max cost limit (${maxCost}).`,
        extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost },
      },
    ],
    extensions: { cost: queryCost },
  };
}

function internalErrorBody(requestId: string, queryCost: Cost): Record<string, unknown> {
  return {
    errors: [
      {
        message: `Internal error. Looks like something went wrong on our end.\nRequest ID: ${requestId} (include this in support requests).`,
        extensions: { code: "INTERNAL_SERVER_ERROR", requestId },
      },
    ],
    extensions: { cost: queryCost },
  };
}

function throttledBody(throttleCost: Cost): Record<string, unknown> {
  return {
    errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
    extensions: { cost: throttleCost },
  };
}
