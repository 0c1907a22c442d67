import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/**
 * Development and tests only (SHOPIFY_SANDBOX_ORIGIN; refused in production):
 * the Shopify library reaches a shop at https://{shop}/admin/... (token
 * exchange, Admin API). Nothing here can reach Shopify, so those calls go to the
 * local sandbox that plays the shop's admin, which learns the shop from the
 * X-Shopify-Shop-Domain header. Everything else is left as it is.
 */
export function sendShopAdminCallsTo(sandboxOrigin: string): void {
  const original = abstractFetch;
  setAbstractFetchFunc(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol !== "https:" || !url.hostname.endsWith(".myshopify.com") || !url.pathname.startsWith("/admin/")) {
      return original(input, init);
    }
    const headers = new Headers(init?.headers);
    headers.set("X-Shopify-Shop-Domain", url.hostname);
    return original(new URL(`${url.pathname}${url.search}`, sandboxOrigin), { ...init, headers });
  });
}
