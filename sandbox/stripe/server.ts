import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { AccountRegistry, scopeKey, type AccountKeys, type NewAccountInput, type Scope } from "./accounts";
import { STRIPE_API_VERSION } from "./api-version";
import { handleControl } from "./control";
import { apiError, authenticationError, parameterInvalid, permissionError, rateLimited, StripeApiError, unknownRoute } from "./errors";
import { FaultQueue, type FaultSpec } from "./faults";
import { decodeForm, FormDecodeError, type FormObject } from "./form";
import { showChallenge, showPaymentPage, submitChallenge, submitPayment, type PageAnswer } from "./hosted-page";
import { IdempotencyStore, type StoredAnswer } from "./idempotency";
import { newId } from "./ids";
import { matchRoute } from "./routes";
import { StripeStore } from "./store";
import { WebhookDispatcher } from "./webhooks";

/**
 * A local Stripe for development and tests: Stripe's wire protocol (form-encoded bodies, Bearer
 * keys, Stripe's errors, Idempotency-Key, Stripe-Version, Request-Id) over the objects in
 * store.ts, a hosted checkout page, signed webhooks, and controls under /_sandbox/.
 * Point the official SDK at it: `new Stripe(key, { host: "127.0.0.1", port, protocol: "http" })`.
 */
export interface StripeSandboxOptions {
  /** 0 (the default) lets the OS pick a free port. */
  port?: number;
  host?: string;
  /** The sandbox clock's source in ms (default Date.now); POST /_sandbox/advance adds to it. */
  now?: () => number;
  /** Accounts to create at start (default: one). Their keys are in `accounts`. */
  accounts?: NewAccountInput[];
  webhookRetryDelaysMs?: readonly number[];
  webhookTimeoutMs?: number;
  /** Seconds an uncaptured card authorization lasts (default 7 days). */
  authorizationSeconds?: number;
  /** Seconds until a delayed payment settles to the outcome the buyer chose (default 5). */
  delayedSettleSeconds?: number;
  /** How often time-driven changes are checked without a request (default 250 ms). */
  sweepIntervalMs?: number;
}

export interface StripeSandbox {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** The seeded accounts and their keys. */
  readonly accounts: readonly AccountKeys[];
  createAccount(input?: NewAccountInput): AccountKeys;
  readonly store: StripeStore;
  readonly webhooks: WebhookDispatcher;
  readonly faults: FaultQueue;
  /** Moves the sandbox clock forward and applies what the time brings. Returns the new time (ms). */
  advance(seconds: number): number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 512 * 1024;
const VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

interface RequestLogEntry {
  id: string;
  method: string;
  path: string;
  status: number | null;
}

class BodyTooLarge extends Error {}

/** Past this, a body is not even drained: the connection is dropped. */
const DRAIN_LIMIT_BYTES = 16 * MAX_BODY_BYTES;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Leaving the loop destroys the request and its socket, and a client still
    // sending sees ECONNRESET instead of the 413: read the rest, keep nothing.
    if (size > DRAIN_LIMIT_BYTES) throw new BodyTooLarge();
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
  return Buffer.concat(chunks).toString("utf8");
}

function bearerKey(req: IncomingMessage): string | null {
  const header = req.headers.authorization ?? "";
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1] ?? null;
  // curl -u sk_test_…: sends the key as Basic auth's user name, which Stripe takes too.
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (basic) return Buffer.from(basic[1] ?? "", "base64").toString("utf8").split(":")[0] || null;
  return null;
}

export async function startStripeSandbox(options: StripeSandboxOptions = {}): Promise<StripeSandbox> {
  const base = options.now ?? Date.now;
  let offsetMs = 0;
  const now = () => base() + offsetMs;
  const nowSeconds = () => Math.floor(now() / 1000);
  const registry = new AccountRegistry(nowSeconds);
  const idempotency = new IdempotencyStore(now);
  const faults = new FaultQueue();
  const requests: RequestLogEntry[] = [];
  let origin = "";

  // The store emits events; the dispatcher delivers them. Both exist before any request.
  let webhooks: WebhookDispatcher | null = null;
  const store = new StripeStore({
    now,
    apiVersion: STRIPE_API_VERSION,
    authorizationSeconds: options.authorizationSeconds,
    delayedSettleSeconds: options.delayedSettleSeconds,
    onEvent: (event) => webhooks?.enqueue(event),
  });
  webhooks = new WebhookDispatcher({ endpoints: () => store.endpoints.values(), retryDelaysMs: options.webhookRetryDelaysMs, timeoutMs: options.webhookTimeoutMs });
  const dispatcher = webhooks;

  const seeded = (options.accounts ?? [{}]).map((input) => registry.create(input));

  function log(entry: RequestLogEntry) {
    requests.push(entry);
    if (requests.length > 1000) requests.shift();
  }

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-cache, no-store", ...headers });
    res.end(body);
  }

  function errorBody(error: StripeApiError, requestId: string, livemode: boolean): string {
    return JSON.stringify({ error: { ...error.body, request_log_url: `${origin}/_sandbox/requests?id=${requestId}${livemode ? "&mode=live" : ""}` } }, null, 2);
  }

  /** Who is calling: their key's account and mode. Throws Stripe's 401/403 answers. */
  function authenticate(req: IncomingMessage): Scope {
    const key = bearerKey(req);
    if (!key) {
      throw authenticationError("You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.");
    }
    const found = registry.findKey(key);
    if (!found) throw authenticationError(`Invalid API Key provided: ${AccountRegistry.redact(key)}`);
    if (found.kind === "publishable") {
      throw authenticationError("This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.");
    }
    const connected = req.headers["stripe-account"];
    if (typeof connected === "string" && connected !== found.account) {
      throw permissionError(`The provided key '${AccountRegistry.redact(key)}' does not have access to account '${connected}' (or that account does not exist). Application access may have been revoked.`);
    }
    return { account: found.account, livemode: found.livemode };
  }

  async function api(req: IncomingMessage, res: ServerResponse, requestId: string, path: string, query: string) {
    const method = req.method ?? "GET";
    const entry: RequestLogEntry = { id: requestId, method, path, status: null };
    log(entry);
    const requestedVersion = typeof req.headers["stripe-version"] === "string" ? req.headers["stripe-version"] : null;
    const headers: Record<string, string> = { "Request-Id": requestId, "Stripe-Version": requestedVersion && VERSION_PATTERN.test(requestedVersion) ? requestedVersion : STRIPE_API_VERSION };
    const idempotencyKey = typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : null;
    if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
    let livemode = false;
    const answer = (status: number, body: string, extra: Record<string, string> = {}) => {
      entry.status = status;
      send(res, status, body, { ...headers, ...extra });
    };

    // Applied (or replayed), then the answer never arrives: the client sees a dropped connection.
    const loseAnswer = () => {
      entry.status = null;
      req.socket.destroy();
    };
    let fault: FaultSpec | null = null;
    try {
      const raw = method === "POST" ? await readBody(req) : query;
      fault = faults.take(method, path);
      if (fault?.kind === "500") throw apiError();
      if (fault?.kind === "429") throw rateLimited();

      const scope = authenticate(req);
      livemode = scope.livemode;
      const account = registry.account(scope.account);
      if (!account) throw authenticationError("This key's account no longer exists.");
      if (requestedVersion !== null && !VERSION_PATTERN.test(requestedVersion)) {
        throw new StripeApiError(400, { type: "invalid_request_error", message: `Invalid Stripe API version: ${requestedVersion}`, param: "Stripe-Version" });
      }
      const contentType = req.headers["content-type"] ?? "";
      if (method === "POST" && raw.length > 0 && !contentType.startsWith("application/x-www-form-urlencoded")) {
        throw new StripeApiError(400, { type: "invalid_request_error", message: `Invalid request: Stripe takes application/x-www-form-urlencoded bodies, not ${contentType || "an unnamed type"}.` });
      }
      let params: FormObject;
      try {
        params = decodeForm(raw);
      } catch (error) {
        if (error instanceof FormDecodeError) throw parameterInvalid(error.param, `Invalid parameter name or array index: ${error.param}`);
        throw error;
      }
      const matched = matchRoute(method, path);
      if (!matched) throw unknownRoute(method, path);

      // Idempotency-Key applies to POST; Stripe ignores it on GET and DELETE.
      const begun = method === "POST" && idempotencyKey ? idempotency.begin(scopeKey(scope), idempotencyKey, method, path, params) : null;
      if (begun?.kind === "replay") {
        if (fault?.kind === "lost") return loseAnswer();
        answer(begun.answer.status, begun.answer.body, { "Idempotent-Replayed": "true", "Original-Request": begun.answer.requestId });
        return;
      }
      // Latency falls inside the endpoint's execution: a same-key retry meanwhile meets the 409.
      if (fault?.kind === "latency") await delay(fault.latencyMs ?? 1000);
      let stored: StoredAnswer;
      let saved: boolean;
      try {
        store.sweep();
        const result = store.withRequest({ id: requestId, idempotency_key: idempotencyKey }, () => matched.route.handle({ scope, account, params, path: matched.params, store, origin }));
        stored = { status: 200, body: JSON.stringify(result, null, 2), requestId };
        saved = true;
      } catch (error) {
        const stripeError = error instanceof StripeApiError ? error : apiError();
        // A crash inside the endpoint is a 500 Stripe keeps for the key, as it keeps every result once execution began.
        saved = error instanceof StripeApiError ? error.saved : true;
        stored = { status: stripeError.status, body: errorBody(stripeError, requestId, livemode), requestId };
      }
      begun?.finish(stored, saved);
      if (fault?.kind === "lost") return loseAnswer();
      answer(stored.status, stored.body);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        answer(413, errorBody(new StripeApiError(413, { type: "invalid_request_error", message: "Request body too large." }), requestId, livemode));
        return;
      }
      const stripeError = error instanceof StripeApiError ? error : apiError();
      const extra: Record<string, string> = {};
      if (stripeError.status === 429) {
        extra["Stripe-Rate-Limited-Reason"] = "global-rate";
        if (fault?.shouldRetry) extra["Stripe-Should-Retry"] = "true";
      }
      if (stripeError.status === 500 && fault?.kind === "500") extra["Stripe-Should-Retry"] = "true";
      answer(stripeError.status, errorBody(stripeError, requestId, livemode), extra);
    }
  }

  function page(res: ServerResponse, requestId: string, result: PageAnswer) {
    const headers: Record<string, string> = { "Request-Id": requestId, "Cache-Control": "no-store", "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action *; img-src data:", "X-Frame-Options": "DENY" };
    if (result.location) {
      res.writeHead(result.status, { ...headers, Location: result.location });
      res.end();
      return;
    }
    res.writeHead(result.status, { ...headers, "Content-Type": "text/html; charset=utf-8" });
    res.end(result.html ?? "");
  }

  async function hosted(req: IncomingMessage, res: ServerResponse, requestId: string, path: string) {
    const match = /^\/c\/pay\/(cs_[A-Za-z0-9_]+)(\/3ds)?$/.exec(path);
    if (!match) return page(res, requestId, { status: 404, html: "Not found" });
    const id = match[1] ?? "";
    const challenge = !!match[2];
    if (req.method === "GET") return page(res, requestId, challenge ? showChallenge(store, id) : showPaymentPage(store, id));
    if (req.method !== "POST") return page(res, requestId, { status: 405, html: "Method not allowed" });
    const form = new URLSearchParams(await readBody(req));
    try {
      page(res, requestId, challenge ? submitChallenge(store, id, form) : submitPayment(store, id, form, new Date(now())));
    } catch (error) {
      // A state the page did not expect (a second tab paid first): show the page as it now stands.
      if (error instanceof StripeApiError) return page(res, requestId, showPaymentPage(store, id));
      throw error;
    }
  }

  async function control(req: IncomingMessage, res: ServerResponse, requestId: string, path: string, query: URLSearchParams) {
    let body: unknown = undefined;
    const text = req.method === "POST" ? await readBody(req) : "";
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, 400, JSON.stringify({ error: { type: "invalid_request_error", message: "The body must be JSON." } }), { "Request-Id": requestId });
      }
    }
    const result = handleControl({ store, webhooks: dispatcher, faults, createAccount: (input) => registry.create(input), advance, requests }, req.method ?? "GET", path, body, query);
    send(res, result.status, JSON.stringify(result.body, null, 2), { "Request-Id": requestId });
  }

  function advance(seconds: number): number {
    offsetMs += seconds * 1000;
    store.sweep();
    return now();
  }

  const server = createServer((req, res) => {
    const requestId = `req_${newId("x").slice(2, 16)}`;
    const url = new URL(req.url ?? "/", "http://sandbox.invalid");
    const path = url.pathname;
    const run = path.startsWith("/v1/")
      ? api(req, res, requestId, path, url.search.slice(1))
      : path.startsWith("/c/pay/")
        ? hosted(req, res, requestId, path)
        : path.startsWith("/_sandbox/")
          ? control(req, res, requestId, path, url.searchParams)
          : Promise.resolve(send(res, 404, JSON.stringify({ error: unknownRoute(req.method ?? "GET", path).body }, null, 2), { "Request-Id": requestId }));
    run.catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      // Too much to read is the caller's problem (413), on every path; anything else is ours.
      if (error instanceof BodyTooLarge) return send(res, 413, JSON.stringify({ error: { type: "invalid_request_error", message: "Request body too large." } }), { "Request-Id": requestId, Connection: "close" });
      send(res, 500, JSON.stringify({ error: apiError().body }), { "Request-Id": requestId });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";
  origin = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  const sweeper = setInterval(() => store.sweep(), options.sweepIntervalMs ?? 250);
  sweeper.unref();

  return {
    url: origin,
    port: address.port,
    host,
    accounts: seeded,
    createAccount: (input = {}) => registry.create(input),
    store,
    webhooks: dispatcher,
    faults,
    advance,
    close: async () => {
      clearInterval(sweeper);
      dispatcher.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
