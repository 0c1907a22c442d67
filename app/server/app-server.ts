import { readFileSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { TLSSocket } from "node:tls";
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { Env } from "../env.server";
import { SESSION_REQUEST_BODY_LIMIT } from "../http/json-body.server";
import "../load-context";
import { logger } from "../logger.server";
import { verifyShopifyClient, type ConnectionFacts } from "../shopify/request-authenticity.server";
import { BodyTooLargeError, readBody, sendFetchResponse, toFetchRequest } from "./node-adapter";
import { serveStaticFile } from "./static-files";

/** Bodies elsewhere (admin forms) are small too; nothing needs more than this. */
const DEFAULT_BODY_LIMIT = 1024 * 1024;

const isSessionEndpoint = (pathname: string) => pathname.startsWith("/sessions/");

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
 * MTLS_CA_FILE. Each request's proof of coming from Shopify is computed here and
 * handed to the routes as load context; the session routes refuse what is unproven.
 */
export function createAppServer(build: ServerBuild, env: Env): AppServer {
  const handleRequest = createRequestHandler(build, env.NODE_ENV);
  const publicDir = path.resolve("public");

  const handler = (listener: ConnectionFacts["listener"]) => async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const pathname = new URL(req.url ?? "/", "http://local").pathname;
      if (listener === "mtls" && !isSessionEndpoint(pathname)) {
        res.writeHead(404, { "Content-Type": "application/json" }).end('{"error":{"code":"NOT_FOUND","message":"Only session endpoints are served here.","problems":[]}}');
        return;
      }
      if (listener === "plain" && (await serveStaticFile(publicDir, req, res))) return;

      const limit = isSessionEndpoint(pathname) ? SESSION_REQUEST_BODY_LIMIT : DEFAULT_BODY_LIMIT;
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const body = hasBody ? await readBody(req, limit) : null;

      const controller = new AbortController();
      res.on("close", () => controller.abort());
      const protocol = listener === "mtls" ? "https" : "http";
      const request = toFetchRequest(req, `${protocol}://${req.headers.host ?? "localhost"}`, body, controller.signal);
      const socket = req.socket as Partial<TLSSocket>;
      const context: AppLoadContext = {
        shopifyClient: verifyShopifyClient(
          env.SHOPIFY_REQUEST_AUTH,
          {
            listener,
            tlsAuthorized: socket.authorized,
            tlsAuthorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
            hasPeerCertificate: listener === "mtls" && Object.keys(socket.getPeerCertificate?.() ?? {}).length > 0,
            headers: request.headers,
          },
          env.PROXY_SHARED_SECRET,
        ),
      };
      await sendFetchResponse(res, await handleRequest(request, context));
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        res.writeHead(413, { "Content-Type": "application/json", Connection: "close" });
        res.end('{"error":{"code":"BODY_TOO_LARGE","message":"body: too large","problems":[{"field":"body","message":"is too large"}]}}');
        return;
      }
      logger.error({ err: { type: error instanceof Error ? error.name : typeof error } }, "unhandled error while serving a request");
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end('{"error":{"code":"INTERNAL_ERROR","message":"Internal error","problems":[]}}');
    }
  };

  const plain = http.createServer(handler("plain"));
  const mtls =
    env.SHOPIFY_REQUEST_AUTH === "mtls" && env.TLS_CERT_FILE && env.TLS_KEY_FILE
      ? https.createServer(
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
          handler("mtls"),
        )
      : null;

  const listen = (server: http.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, env.HOST, () => resolve((server.address() as AddressInfo).port));
    });
  const close = (server: http.Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });

  return {
    plain,
    mtls,
    async listen() {
      const port = await listen(plain, env.PORT);
      const mtlsPort = mtls ? await listen(mtls, env.MTLS_PORT) : null;
      return { port, mtlsPort };
    },
    async close() {
      await Promise.all([close(plain), mtls ? close(mtls) : Promise.resolve()]);
    },
  };
}
