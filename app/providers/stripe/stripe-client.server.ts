import Stripe from "stripe";

/**
 * The one way the app builds a Stripe client: the official SDK with the API
 * version pinned here, so a new SDK never changes the shapes the provider reads
 * without a deliberate change of this line. `apiBase` points the SDK at the
 * local Stripe (sandbox/stripe) in development and tests; the environment
 * refuses STRIPE_API_BASE in production.
 */
export const STRIPE_API_VERSION = "2026-10-28.endive" satisfies Stripe.LatestApiVersion;

export interface StripeClientOptions {
  /** e.g. http://127.0.0.1:12111; absent: Stripe's own API. */
  apiBase?: string;
  timeoutMs?: number;
  /** The SDK retries 429, 5xx and network failures with the same Idempotency-Key. */
  maxNetworkRetries?: number;
}

export function createStripeClient(apiKey: string, options: StripeClientOptions = {}): Stripe {
  const base = options.apiBase ? new URL(options.apiBase) : null;
  return new Stripe(apiKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 15_000,
    appInfo: { name: "shopify-payments-app" },
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === "https:" ? 443 : 80)),
          protocol: base.protocol === "https:" ? ("https" as const) : ("http" as const),
        }
      : {}),
  });
}
