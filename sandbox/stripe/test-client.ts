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

export interface CreatedSession {
  id: string;
  url: string | null;
}

/** A buyer's form post on the hosted page, as the browser sends it (no redirects followed). */
export async function submitOnPage(session: CreatedSession, fields: Record<string, string>, path = ""): Promise<Response> {
  if (!session.url) throw new Error(`Session ${session.id} has no url`);
  return fetch(`${session.url}${path}`, { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });
}

export const payWithCard = (session: CreatedSession, number: string) => submitOnPage(session, { method: "card", card_number: number, expiry: "12 / 34", cvc: "123" });

/** A Checkout Session of one line item, the way the app's provider will create them. */
export function sessionParams(amount: number, overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}): Stripe.Checkout.SessionCreateParams {
  return {
    mode: "payment",
    line_items: [{ price_data: { currency: "usd", unit_amount: amount, product_data: { name: "Order #1001" } }, quantity: 1 }],
    success_url: "https://app.example/return?session={CHECKOUT_SESSION_ID}",
    cancel_url: "https://app.example/cancel",
    ...overrides,
  };
}

export async function control(sandbox: StripeSandbox, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${sandbox.url}/_sandbox/${path}`, body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

/** Polls until check() returns a value, within a deadline (never a fixed sleep). */
export async function eventually<T>(check: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
