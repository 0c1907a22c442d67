import { timingSafeEqual, createHash } from "node:crypto";

/**
 * Whether a request proved that Shopify sent it (spec §11). Shopify does not sign
 * session requests; it presents a client certificate issued by its Payments
 * Platform CA. How that proof reaches the app depends on SHOPIFY_REQUEST_AUTH:
 *
 * - mtls: the app's own HTTPS listener asks for the certificate and Node verifies
 *   its chain and validity against MTLS_CA_FILE. Requests on the plain listener
 *   never count as Shopify's.
 * - proxy: a TLS-terminating proxy verified the certificate. It proves itself with
 *   the shared secret in `X-Payments-Proxy-Secret` and passes its verdict in
 *   `X-Client-Cert-Verified` ("SUCCESS", as nginx's $ssl_client_verify says).
 * - none: development only; nothing is checked and every request is logged as such.
 */
export type RequestAuthMode = "mtls" | "proxy" | "none";

export type ClientVerification =
  | { verified: true; via: RequestAuthMode }
  | { verified: false; reason: string };

export const PROXY_SECRET_HEADER = "x-payments-proxy-secret";
export const PROXY_VERDICT_HEADER = "x-client-cert-verified";

export interface ConnectionFacts {
  /** Which of the app's listeners took the request. */
  listener: "plain" | "mtls";
  /** From the TLS socket: whether the client certificate chain verified. */
  tlsAuthorized?: boolean;
  tlsAuthorizationError?: string | null;
  hasPeerCertificate?: boolean;
  headers: { get(name: string): string | null };
}

export function verifyShopifyClient(mode: RequestAuthMode, connection: ConnectionFacts, proxySecret?: string): ClientVerification {
  switch (mode) {
    case "none":
      return { verified: true, via: "none" };
    case "mtls":
      if (connection.listener !== "mtls") {
        return { verified: false, reason: "session requests are served only on the mTLS listener (MTLS_PORT)" };
      }
      if (!connection.hasPeerCertificate) {
        return { verified: false, reason: "no client certificate was presented" };
      }
      if (!connection.tlsAuthorized) {
        return { verified: false, reason: `the client certificate was refused: ${connection.tlsAuthorizationError ?? "unknown reason"}` };
      }
      return { verified: true, via: "mtls" };
    case "proxy": {
      const presented = connection.headers.get(PROXY_SECRET_HEADER);
      if (!proxySecret || !presented || !sameSecret(presented, proxySecret)) {
        return { verified: false, reason: `the request did not come through the trusted proxy (${PROXY_SECRET_HEADER})` };
      }
      const verdict = connection.headers.get(PROXY_VERDICT_HEADER);
      if (verdict !== "SUCCESS") {
        return { verified: false, reason: `the proxy did not verify a client certificate (${PROXY_VERDICT_HEADER}: ${verdict ?? "absent"})` };
      }
      return { verified: true, via: "proxy" };
    }
  }
}

function sameSecret(a: string, b: string): boolean {
  // Hash first so the comparison takes the same time whatever the lengths.
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}
