import Stripe from "stripe";
import { STRIPE_API_VERSION } from "./api-version";
import type { StripeSandbox } from "./server";

/** The official SDK pointed at a local sandbox (tests and scripts). */
export function stripeClient(sandbox: StripeSandbox, key: string, options: { maxNetworkRetries?: number; timeout?: number } = {}): Stripe {
  return new Stripe(key, {
    host: sandbox.host,
    port: sandbox.port,
    protocol: "http",
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: options.maxNetworkRetries ?? 0,
    timeout: options.timeout ?? 20_000,
  });
}
