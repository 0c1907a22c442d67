/** What the headers of a Shopify session request tell us (spec §3.1). */
export interface SessionRequestMeta {
  /** The shop's permanent *.myshopify.com domain, from Shopify-Shop-Domain. */
  shop: string;
  /** Shopify-Request-Id: for tracing only; a retry may carry a new one. */
  requestId: string;
  /** Shopify-Api-Version: the payload version of the payments extension. */
  apiVersion: string;
}
