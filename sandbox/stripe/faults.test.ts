import Stripe from "stripe";
import { startStripeSandbox, type StripeSandbox } from "./server";
import { control, eventually, sessionParams, stripeClient } from "./test-client";

let sandbox: StripeSandbox;
let stripe: Stripe;

beforeEach(async () => {
  sandbox = await startStripeSandbox();
  stripe = stripeClient(sandbox, sandbox.accounts[0]!.testSecretKey);
});
afterEach(() => sandbox.close());

const key = () => sandbox.accounts[0]!.testSecretKey;
const sessionsOf = async () => (await stripe.checkout.sessions.list({ limit: 100 })).data;

describe("faults on demand", () => {
  it("answers the next request 500 api_error without applying it; the SDK's retry then succeeds once", async () => {
    await control(sandbox, "faults", { kind: "500", path: "/v1/checkout/sessions" });
    await expect(stripe.checkout.sessions.create(sessionParams(2000))).rejects.toMatchObject({ statusCode: 500, type: "StripeAPIError" });
    expect(await sessionsOf()).toHaveLength(0);

    await control(sandbox, "faults", { kind: "500", path: "/v1/checkout/sessions", method: "POST" });
    const retrying = stripeClient(sandbox, key(), { maxNetworkRetries: 2 });
    const session = await retrying.checkout.sessions.create(sessionParams(2000));
    expect(await sessionsOf()).toEqual([expect.objectContaining({ id: session.id })]);
    const log = ((await control(sandbox, "requests")).body as { data: { path: string; method: string; status: number }[] }).data.filter((r) => r.method === "POST");
    expect(log.map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it("answers 429 rate_limit_error with Stripe's headers, applying nothing", async () => {
    await control(sandbox, "faults", { kind: "429", count: 1 });
    const response = await fetch(`${sandbox.url}/v1/account`, { headers: { Authorization: `Bearer ${key()}` } });
    expect(response.status).toBe(429);
    expect(response.headers.get("stripe-rate-limited-reason")).toBe("global-rate");
    expect(response.headers.get("request-id")).toMatch(/^req_/);
    expect(((await response.json()) as { error: { type: string; code: string } }).error).toMatchObject({ type: "rate_limit_error", code: "rate_limit" });
    await control(sandbox, "faults", { kind: "429", path: "/v1/checkout/sessions" });
    await expect(stripe.checkout.sessions.create(sessionParams(2000))).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(await sessionsOf()).toHaveLength(0);
  });

  it("retries a 429 in the SDK when told Stripe-Should-Retry", async () => {
    await control(sandbox, "faults", { kind: "429", path: "/v1/checkout/sessions", method: "POST", shouldRetry: true });
    const session = await stripeClient(sandbox, key(), { maxNetworkRetries: 1 }).checkout.sessions.create(sessionParams(2000));
    expect((await sessionsOf()).map((s) => s.id)).toEqual([session.id]);
  });

  it("delays an answer by latencyMs", async () => {
    await control(sandbox, "faults", { kind: "latency", latencyMs: 300 });
    const started = performance.now();
    await stripe.accounts.retrieveCurrent();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("answers a same-key request while the first still runs with a 409 idempotency_error", async () => {
    await control(sandbox, "faults", { kind: "latency", latencyMs: 500, path: "/v1/checkout/sessions", method: "POST" });
    const first = stripe.checkout.sessions.create(sessionParams(2000), { idempotencyKey: "slow-1" });
    // The fault is taken, and the key claimed, in one step: once the fault is gone the first request holds the key.
    await eventually(async () => ((await control(sandbox, "faults")).body as { data: unknown[] }).data.length === 0, "the first request to take the fault");
    const second = await fetch(`${sandbox.url}/v1/checkout/sessions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key()}`, "Idempotency-Key": "slow-1", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ mode: "payment", "line_items[0][price_data][currency]": "usd", "line_items[0][price_data][unit_amount]": "2000", "line_items[0][price_data][product_data][name]": "Order #1001", "line_items[0][quantity]": "1", success_url: "https://app.example/return?session={CHECKOUT_SESSION_ID}", cancel_url: "https://app.example/cancel" }),
    });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { type: string } }).error.type).toBe("idempotency_error");
    const session = await first;
    expect((await sessionsOf()).map((s) => s.id)).toEqual([session.id]);
  });

  it("applies a request whose answer is lost; the SDK's retry with the same key gets the stored answer: one object", async () => {
    await control(sandbox, "faults", { kind: "lost", path: "/v1/checkout/sessions", method: "POST" });
    const retrying = stripeClient(sandbox, key(), { maxNetworkRetries: 2 });
    const session = await retrying.checkout.sessions.create(sessionParams(2000));
    expect(session.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect((await sessionsOf()).map((s) => s.id)).toEqual([session.id]);
  });

  it("applies a capture whose answer is lost; the caller's retry with its key gets the same answer, not an error", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams(5000, { payment_intent_data: { capture_method: "manual" } }));
    await fetch(session.url!, { method: "POST", body: new URLSearchParams({ method: "card", card_number: "4242424242424242", expiry: "12/34", cvc: "123" }), redirect: "manual" });
    const pi = (await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
    // Two lost answers: the SDK retries a dropped connection once by itself (same key), then gives up.
    await control(sandbox, "faults", { kind: "lost", count: 2, path: `/v1/payment_intents/${pi}/capture` });
    await expect(stripe.paymentIntents.capture(pi, { amount_to_capture: 3000 }, { idempotencyKey: "capture-1" })).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
    const again = await stripe.paymentIntents.capture(pi, { amount_to_capture: 3000 }, { idempotencyKey: "capture-1" });
    expect(again).toMatchObject({ status: "succeeded", amount_received: 3000 });
    expect(again.lastResponse.headers["idempotent-replayed"]).toBe("true");
  });

  it("refuses a fault it does not know, under /_sandbox only", async () => {
    expect((await control(sandbox, "faults", { kind: "teapot" })).status).toBe(400);
    expect((await fetch(`${sandbox.url}/v1/_sandbox/faults`, { method: "POST", headers: { Authorization: `Bearer ${key()}` } })).status).toBe(404);
  });
});
