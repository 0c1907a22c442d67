import { readFileSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { TLSSocket } from "node:tls";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import type { Env } from "../env.server";
import { clientAddress, rateLimitSubject } from "../http/client-address";
import { jsonAnswer, type JsonAnswer } from "../http/http-error";
import { SESSION_REQUEST_BODY_LIMIT } from "../http/json-body.server";
import { createRateLimiter } from "../http/rate-limit.server";
import { changesState, checkRequestOrigin } from "../http/request-origin";
import { checkRequestTarget } from "../http/request-target";
import { logger } from "../logger.server";
import { describeError } from "../observability/describe-error";
import { observeHttpRequest } from "../observability/metrics.server";
import { requestIdFrom, runWithRequestContext } from "../observability/request-context.server";
import { methodLabel, routeLabel } from "../observability/route-label";
import { verifyShopifyClient, type ConnectionFacts } from "../inbound/sessions/request-authenticity.server";
import { METHOD_NOT_ALLOWED, serveSessionRequest, type SessionDeps } from "../inbound/sessions/serve-session-request.server";
import { SESSION_ENDPOINTS } from "../inbound/sessions/session-routes.server";
import { WEBHOOK_BODY_LIMIT } from "../inbound/webhooks/webhook-endpoint.server";
import { buyerLimitKey } from "./buyer-limit-key";
import { BodyTooLargeError, readBody, sendFetchResponse, toFetchRequest } from "./node-adapter";
import { serveStaticFile } from "./static-files";
import { rateLimitedBuyerPage } from "../ui/buyer-rate-limited-page";

/** Bodies elsewhere (admin forms) are small too; nothing needs more than this. */
const DEFAULT_BODY_LIMIT = 1024 * 1024;

const isSessionEndpoint = (pathname: string) => pathname.startsWith("/sessions/");
const isBuyerPage = (pathname: string) => pathname.startsWith("/pay/");
// Where a provider sends the buyer's browser back (success and cancel URLs): loaders only, read by GET.
const isBuyerReturnAddress = (pathname: string) => /^\/pay\/[^/]+\/(return|cancel)(\.data)?$/.test(pathname);
// Shopify's webhooks, and payment providers' (POST /providers/{name}/webhooks): proven by signatures.
const isWebhook = (pathname: string) => pathname === "/webhooks" || /^\/providers\/[a-z0-9-]+\/webhooks$/.test(pathname);

const bodyLimit = (pathname: string) => (isWebhook(pathname) ? WEBHOOK_BODY_LIMIT : DEFAULT_BODY_LIMIT);

/** Headers on every response, whatever produced it: no MIME sniffing, and HTTPS only once the app is served over it. */
function setBaselineHeaders(res: ServerResponse, pathname: string, https: boolean) {
  res.setHeader("X-Content-Type-Options", "nosniff");
  if (https) res.setHeader("Strict-Transport-Security", "max-age=31536000");
  // Answers to Shopify (buyer links, webhook results) are never worth caching.
  if (isSessionEndpoint(pathname) || isWebhook(pathname)) res.setHeader("Cache-Control", "no-store");
}

function tooManyRequests(res: ServerResponse, retryAfterSeconds: number, scope: string) {
  res.writeHead(429, { "Content-Type": "application/json", "Retry-After": String(retryAfterSeconds) });
  res.end(JSON.stringify({ error: { code: "RATE_LIMITED", message: `Too many requests for this ${scope}; retry after ${retryAfterSeconds} s.`, problems: [] } }));
}

/** A buyer's browser turned away: a page in words in the buyer's language, with the same status and Retry-After. */
function tooManyBuyerRequests(res: ServerResponse, retryAfterSeconds: number, acceptLanguage: string | null) {
  res.writeHead(429, { "Content-Type": "text/html; charset=utf-8", "Retry-After": String(retryAfterSeconds), "Cache-Control": "no-store" });
  res.end(rateLimitedBuyerPage(acceptLanguage));
}

/** A post from another site's page: refused before Remix, which would answer a bare 500 (its own check throws). */
function forbiddenOrigin(res: ServerResponse, reason: string, appOrigin: string) {
  res.writeHead(403, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(`Refused: this request was not sent from the app's own pages (${reason}). Nothing was changed. Open the page at ${appOrigin} and try again from there.\n`);
}

function methodNotAllowed(res: ServerResponse) {
  res.writeHead(405, { "Content-Type": "text/plain; charset=utf-8", Allow: "GET, HEAD", "Cache-Control": "no-store" });
  res.end("This address is only opened by a browser (GET). Nothing was changed.\n");
}

/** A path or query no page of the app sends (checkRequestTarget): a 400 naming the part, quoting none of it. */
function badRequestTarget(res: ServerResponse, field: string, message: string) {
  res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
  res.end(`This address is not valid: ${field} ${message}. Nothing was changed. Open the link again as you received it.\n`);
}

function writeJson(res: ServerResponse, answer: JsonAnswer) {
  res.writeHead(answer.status, answer.headers).end(answer.body);
}

const NO_SUCH_SESSION_ENDPOINT = jsonAnswer(404, { error: { code: "NOT_FOUND", message: "No session endpoint at this path.", problems: [] } });

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === "string" ? value : Array.isArray(value) ? (value[0] ?? null) : null;
}

/** The path of a request, or "" for a request target URL cannot parse (answered elsewhere). */
function pathnameOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? "/", "http://local").pathname;
  } catch {
    return "";
  }
}

export interface AppServer {
  /** Serves everything; session endpoints only when SHOPIFY_REQUEST_AUTH is not mtls. */
  plain: http.Server;
  /** HTTPS with client certificates, for Shopify's session requests (mtls mode). */
  mtls: https.Server | null;
  listen(): Promise<{ port: number; mtlsPort: number | null }>;
  close(): Promise<void>;
}

/**
 * The app's HTTP server: Remix behind node:http, plus an HTTPS listener that asks
 * every client for a certificate and lets Node verify its chain against
 * MTLS_CA_FILE. Shopify's session endpoints are served here directly, without
 * Remix: each request's proof of coming from Shopify is computed here, and the
 * endpoints refuse what is unproven.
 */
export function createAppServer(build: ServerBuild, env: Env, stores: Omit<SessionDeps, "buyerLinks">): AppServer {
  const handleRequest = createRequestHandler(build, env.NODE_ENV);
  // public/ for `npm run build`'s build; a build made elsewhere (remix.config.js's
  // BUILD_DIR: a test run's own) serves the assets it was built with, not public/'s.
  const publicDir = path.resolve(path.dirname(build.assetsBuildDirectory));
  const servedOverHttps = env.SHOPIFY_APP_URL.startsWith("https://");
  // Per client on the buyer pages (per shop on the session endpoints: createSessionEndpointServer).
  const buyerLimiter = createRateLimiter({ burst: env.RATE_LIMIT_BUYER_BURST, perSecond: env.RATE_LIMIT_BUYER_PER_SECOND });
  const buyerLinks = { appUrl: env.SHOPIFY_APP_URL, secret: env.SHOPIFY_API_SECRET, ttlHours: env.PAYMENT_LINK_TTL_HOURS };
  const serveSessionEndpoint = createSessionEndpointServer(env, { ...stores, buyerLinks });
  // Whatever the auth mode and listener: behind N trusted proxies, the address the
  // N-th from the app appended to X-Forwarded-For; nothing further left is believed.
  const clientOf = (req: IncomingMessage) => clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], env.TRUSTED_PROXY_HOPS);
  // Pages post to the app's public origin; behind a proxy the Host header may be another.
  const appOrigin = new URL(env.SHOPIFY_APP_URL).origin;

  // Every request: an id for its log lines (echoed as X-Request-Id, so a merchant's
  // or Shopify's report can be matched to the logs) and its metrics, whoever answers it.
  const handler = (listener: ConnectionFacts["listener"]) => (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const requestId = requestIdFrom(req.headers["shopify-request-id"]);
    res.setHeader("X-Request-Id", requestId);
    res.once("close", () => {
      const route = routeLabel(pathnameOf(req));
      observeHttpRequest({ route, method: methodLabel(req.method), status: res.writableFinished ? res.statusCode : "aborted" }, (performance.now() - started) / 1000);
    });
    // Node's servers ignore what a listener returns: serve() answers every failure itself.
    void runWithRequestContext({ requestId }, () => serve(listener, req, res));
  };

  const serve = async (listener: ConnectionFacts["listener"], req: IncomingMessage, res: ServerResponse) => {
    try {
      const url = new URL(req.url ?? "/", "http://local");
      const pathname = url.pathname;
      setBaselineHeaders(res, pathname, servedOverHttps || listener === "mtls");
      if (listener === "mtls" && !isSessionEndpoint(pathname)) {
        res.writeHead(404, { "Content-Type": "application/json" }).end('{"error":{"code":"NOT_FOUND","message":"Only session endpoints are served here.","problems":[]}}');
        return;
      }
      if (isSessionEndpoint(pathname)) return await serveSessionEndpoint(listener, req, res, pathname);
      const target = checkRequestTarget(url);
      if (!target.allowed) return badRequestTarget(res, target.field, target.message);
      if (listener === "plain" && (await serveStaticFile(publicDir, req, res))) return;
      if (isBuyerPage(pathname)) {
        const wait = buyerLimiter.take(buyerLimitKey(rateLimitSubject(clientOf(req)), pathname, buyerLinks));
        if (wait !== null) return tooManyBuyerRequests(res, wait, headerValue(req, "accept-language"));
        // Remix would answer 405 by rendering a page for a route without one, and (outside
        // production) React Router warns on stderr with the whole path, the buyer's token included.
        if (isBuyerReturnAddress(pathname) && req.method !== "GET" && req.method !== "HEAD") return methodNotAllowed(res);
      }
      // Webhooks are Shopify's and providers' server-to-server posts, proven by their signatures; they carry no Origin.
      const checkedOrigin = changesState(req.method) && !isWebhook(pathname);
      if (checkedOrigin) {
        const verdict = checkRequestOrigin({ origin: headerValue(req, "origin"), referer: headerValue(req, "referer") }, appOrigin);
        if (!verdict.allowed) {
          logger.info({ route: routeLabel(pathname), method: methodLabel(req.method), reason: verdict.reason }, "refused a post from another site");
          return forbiddenOrigin(res, verdict.reason, appOrigin);
        }
      }

      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const body = hasBody ? await readBody(req, bodyLimit(pathname)) : null;

      const controller = new AbortController();
      res.on("close", () => controller.abort());
      const protocol = listener === "mtls" ? "https" : "http";
      // Origin was checked above against the app's public origin; Remix would check it
      // again against Host, which a proxy may rewrite (and answer 500 for `Origin: null`).
      const request = toFetchRequest(req, `${protocol}://${req.headers.host ?? "localhost"}`, body, controller.signal, checkedOrigin ? ["origin"] : []);
      await sendFetchResponse(res, await handleRequest(request));
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        res.writeHead(413, { "Content-Type": "application/json", Connection: "close" });
        res.end('{"error":{"code":"BODY_TOO_LARGE","message":"body: too large","problems":[{"field":"body","message":"is too large"}]}}');
        return;
      }
      logger.error({ err: describeError(error), route: routeLabel(pathnameOf(req)), method: methodLabel(req.method) }, "unhandled error while serving a request");
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end('{"error":{"code":"INTERNAL_ERROR","message":"Internal error","problems":[]}}');
    }
  };

  const plain = http.createServer(handler("plain"));
  const mtls = createMtlsServer(env, handler("mtls"));
  return {
    plain,
    mtls,
    async listen() {
      const port = await listenOn(plain, env.HOST, env.PORT);
      const mtlsPort = mtls ? await listenOn(mtls, env.HOST, env.MTLS_PORT) : null;
      return { port, mtlsPort };
    },
    async close() {
      await Promise.all([closeServer(plain), mtls ? closeServer(mtls) : Promise.resolve()]);
    },
  };
}

/** The HTTPS listener for Shopify's session requests (mtls mode): every client is asked for a certificate. */
function createMtlsServer(env: Env, handler: http.RequestListener): https.Server | null {
  if (env.SHOPIFY_REQUEST_AUTH !== "mtls" || !env.TLS_CERT_FILE || !env.TLS_KEY_FILE) return null;
  return https.createServer(
    {
      cert: readFileSync(env.TLS_CERT_FILE),
      key: readFileSync(env.TLS_KEY_FILE),
      ca: readFileSync(env.MTLS_CA_FILE),
      requestCert: true,
      // Verification still happens; refusing with a 401 that names the reason
      // helps operators more than a bare handshake failure.
      rejectUnauthorized: false,
      minVersion: "TLSv1.2",
    },
    handler,
  );
}

function listenOn(server: http.Server, host: string | undefined, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/**
 * Shopify's session requests skip Remix: plain JSON in and out (see SESSION_ENDPOINTS). The
 * request's proof of coming from Shopify is computed from the connection and its headers; the
 * shop's limit is taken before the body is read.
 */
function createSessionEndpointServer(env: Env, sessionDeps: SessionDeps) {
  // Per shop, and only requests proven to be Shopify's count: nobody else can use up a shop's allowance.
  const sessionLimiter = createRateLimiter({ burst: env.RATE_LIMIT_SESSIONS_BURST, perSecond: env.RATE_LIMIT_SESSIONS_PER_SECOND });
  return async (listener: ConnectionFacts["listener"], req: IncomingMessage, res: ServerResponse, pathname: string) => {
    const endpoint = SESSION_ENDPOINTS[pathname];
    if (!endpoint) return writeJson(res, NO_SUCH_SESSION_ENDPOINT);
    if (req.method !== "POST") return writeJson(res, METHOD_NOT_ALLOWED);
    const header = (name: string) => {
      const value = req.headers[name.toLowerCase()];
      return typeof value === "string" ? value : Array.isArray(value) ? (value[0] ?? null) : null;
    };
    const socket = req.socket as Partial<TLSSocket>;
    const shopifyClient = verifyShopifyClient(
      env.SHOPIFY_REQUEST_AUTH,
      {
        listener,
        tlsAuthorized: socket.authorized,
        tlsAuthorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
        hasPeerCertificate: listener === "mtls" && Object.keys(socket.getPeerCertificate?.() ?? {}).length > 0,
        headers: { get: header },
      },
      env.PROXY_SHARED_SECRET,
    );
    // Limits before the body is read: a refused request costs next to nothing.
    if (shopifyClient.verified) {
      const wait = sessionLimiter.take(`shop:${(header("shopify-shop-domain") ?? "").toLowerCase().slice(0, 255)}`);
      if (wait !== null) return tooManyRequests(res, wait, "shop");
    }
    const body = await readBody(req, SESSION_REQUEST_BODY_LIMIT);
    writeJson(res, await serveSessionRequest(endpoint.kind, { path: pathname, header, body, shopifyClient }, endpoint.handle, sessionDeps));
  };
}
