import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

// The session endpoints accept Shopify-Request-Id up to 255 characters; one with
// spaces or control characters is replaced rather than echoed into a response header.
const ACCEPTABLE_REQUEST_ID = /^[\x21-\x7e]{1,255}$/;

/** Shopify's request id when it sent a usable one, else a fresh id for this request. */
export function requestIdFrom(shopifyRequestId: string | string[] | undefined): string {
  const value = Array.isArray(shopifyRequestId) ? shopifyRequestId[0] : shopifyRequestId;
  return value && ACCEPTABLE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** Runs `handle` with `context` visible to everything it calls, awaits included (the logger reads it). */
export function runWithRequestContext<T>(context: RequestContext, handle: () => T): T {
  return storage.run(context, handle);
}

/** The request being handled, or undefined outside a request (the worker, start-up). */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
