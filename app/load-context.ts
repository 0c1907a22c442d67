import type { ClientVerification } from "./shopify/request-authenticity.server";

/** What the app's HTTP server hands every loader and action. */
export interface RequestContext {
  shopifyClient: ClientVerification;
}

declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface AppLoadContext extends RequestContext {}
}
