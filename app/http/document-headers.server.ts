import { getEnv } from "../env.server";

const isEmbeddedPage = (pathname: string) => pathname === "/app" || pathname.startsWith("/app/") || pathname.startsWith("/auth/");

/**
 * Headers for every HTML page. The embedded admin may be framed by the shop's
 * Shopify admin only (the library's frame-ancestors; plus the local sandbox
 * admin when SHOPIFY_SANDBOX_ORIGIN is set, never in production). Every other
 * page, the buyer's payment page first, may not be framed at all, and sends no
 * Referer: its URL is the buyer's payment link.
 */
export function setDocumentHeaders(request: Request, headers: Headers, addEmbeddedHeaders: (request: Request, headers: Headers) => void): void {
  const { pathname } = new URL(request.url);
  headers.set("X-Content-Type-Options", "nosniff");
  if (!isEmbeddedPage(pathname)) {
    headers.set("Content-Security-Policy", "frame-ancestors 'none'");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    return;
  }
  // The Shopify library's frame-ancestors for the shop (passed in: plumbing does not reach up to the app object).
  addEmbeddedHeaders(request, headers);
  const { SHOPIFY_SANDBOX_ORIGIN: sandbox, APP_BRIDGE_URL: appBridgeUrl } = getEnv();
  // The library preloads App Bridge from Shopify's CDN; not what this page loads then.
  if (appBridgeUrl) headers.delete("Link");
  const policy = headers.get("Content-Security-Policy");
  if (sandbox && policy?.startsWith("frame-ancestors ")) {
    headers.set("Content-Security-Policy", policy.replace("frame-ancestors ", `frame-ancestors ${sandbox} `));
  }
  // Embedded pages are never framed by anything the shop did not name: without a
  // shop the library sets nothing, so say it here.
  if (!headers.has("Content-Security-Policy")) headers.set("Content-Security-Policy", "frame-ancestors 'none'");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
}
