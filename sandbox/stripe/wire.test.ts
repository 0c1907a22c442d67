import Stripe from "stripe";
import { STRIPE_API_VERSION } from "./api-version";
import { startStripeSandbox, type StripeSandbox } from "./server";
import { sessionParams, stripeClient } from "./test-client";

let sandbox: StripeSandbox;
let stripe: Stripe;

beforeAll(async () => {
  sandbox = await startStripeSandbox({ accounts: [{}, {}] });
  stripe = stripeClient(sandbox, sandbox.accounts[0]!.testSecretKey);
});
afterAll(() => sandbox.close());

async function caught(promise: Promise<unknown>): Promise<InstanceType<typeof Stripe.errors.StripeError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error("expected the SDK to throw");
}

describe("the local Stripe's wire protocol, through the official SDK", () => {
  it("answers GET /v1/account for the key's account", async () => {
    const account = await stripe.accounts.retrieveCurrent();
    expect(account).toMatchObject({ id: sandbox.accounts[0]!.account, object: "account", charges_enabled: true });
  });

  it("refuses a publishable key on a secret endpoint with a 401 authentication error", async () => {
    const error = await caught(stripeClient(sandbox, sandbox.accounts[0]!.testPublishableKey).accounts.retrieveCurrent());
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);
    expect(error.raw).toMatchObject({ type: "authentication_error" });
    expect(error.message).toMatch(/publishable API key/);
  });

  it("refuses an unknown key with a 401, showing only its last four characters", async () => {
    const key = "sk_test_unknownunknownunknown1234";
    const error = await caught(stripeClient(sandbox, key).accounts.retrieveCurrent());
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.message).toContain("1234");
    expect(error.message).not.toContain("unknownunknown");
  });

  it("refuses a request without a key with a 401", async () => {
    const response = await fetch(`${sandbox.url}/v1/account`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe("authentication_error");
  });

  it("makes live objects with a live key and keeps them from the test key", async () => {
    const live = stripeClient(sandbox, sandbox.accounts[0]!.liveSecretKey);
    const session = await live.checkout.sessions.create(sessionParams(2000));
    expect(session.livemode).toBe(true);
    expect(session.id).toMatch(/^cs_live_/);
    const error = await caught(stripe.checkout.sessions.retrieve(session.id));
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe("resource_missing");
  });

  it("takes restricted keys like secret keys", async () => {
    const session = await stripeClient(sandbox, sandbox.accounts[0]!.testRestrictedKey).checkout.sessions.create(sessionParams(2000));
    expect(session.livemode).toBe(false);
  });

  it("never shows one account's objects to another account's key", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams(2000));
    const other = stripeClient(sandbox, sandbox.accounts[1]!.testSecretKey);
    const error = await caught(other.checkout.sessions.retrieve(session.id));
    expect(error).toMatchObject({ statusCode: 404, code: "resource_missing", param: "session" });
    expect((await other.checkout.sessions.list({ limit: 100 })).data.map((s) => s.id)).not.toContain(session.id);
  });

  it("sends Request-Id on every answer and echoes Stripe-Version", async () => {
    const key = sandbox.accounts[0]!.testSecretKey;
    const ok = await fetch(`${sandbox.url}/v1/account`, { headers: { Authorization: `Bearer ${key}`, "Stripe-Version": "2024-06-20" } });
    expect(ok.headers.get("request-id")).toMatch(/^req_/);
    expect(ok.headers.get("stripe-version")).toBe("2024-06-20");
    const unversioned = await fetch(`${sandbox.url}/v1/account`, { headers: { Authorization: `Bearer ${key}` } });
    expect(unversioned.headers.get("stripe-version")).toBe(STRIPE_API_VERSION);
    const missing = await fetch(`${sandbox.url}/v1/nothing`, { headers: { Authorization: `Bearer ${key}` } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("request-id")).toMatch(/^req_/);
    const badVersion = await fetch(`${sandbox.url}/v1/account`, { headers: { Authorization: `Bearer ${key}`, "Stripe-Version": "yesterday" } });
    expect(badVersion.status).toBe(400);
  });

  it("names an unknown parameter in bracket notation (parameter_unknown)", async () => {
    const params = sessionParams(2000, { line_items: [{ price_data: { currency: "usd", unit_amount: 2000, product_data: { name: "x" } }, quantity: 1, colour: "red" } as Stripe.Checkout.SessionCreateParams.LineItem] });
    const error = await caught(stripe.checkout.sessions.create(params));
    expect(error).toMatchObject({ statusCode: 400, type: "StripeInvalidRequestError", code: "parameter_unknown", param: "line_items[0][colour]" });
  });

  it("names a missing parameter (parameter_missing)", async () => {
    const params = sessionParams(2000, { line_items: [{ price_data: { unit_amount: 2000, product_data: { name: "x" } }, quantity: 1 } as Stripe.Checkout.SessionCreateParams.LineItem] });
    const error = await caught(stripe.checkout.sessions.create(params));
    expect(error).toMatchObject({ statusCode: 400, code: "parameter_missing", param: "line_items[0][price_data][currency]" });
  });

  it("refuses a non-integer amount and an expiry outside 30 minutes .. 24 hours", async () => {
    const notInteger = await caught(stripe.checkout.sessions.create(sessionParams(2000, { line_items: [{ price_data: { currency: "usd", unit_amount: "12.5" as unknown as number, product_data: { name: "x" } }, quantity: 1 }] })));
    expect(notInteger).toMatchObject({ statusCode: 400, code: "parameter_invalid_integer", param: "line_items[0][price_data][unit_amount]" });
    const now = Math.floor(Date.now() / 1000);
    expect(await caught(stripe.checkout.sessions.create(sessionParams(2000, { expires_at: now + 10 * 60 })))).toMatchObject({ statusCode: 400, param: "expires_at" });
    expect(await caught(stripe.checkout.sessions.create(sessionParams(2000, { expires_at: now + 25 * 3600 })))).toMatchObject({ statusCode: 400, param: "expires_at" });
    const fine = await stripe.checkout.sessions.create(sessionParams(2000, { expires_at: now + 3600 }));
    expect(fine.expires_at).toBe(now + 3600);
  });

  it("creates a session shaped like Stripe's, with the fields the provider sends", async () => {
    const session = await stripe.checkout.sessions.create(
      sessionParams(4999, {
        client_reference_id: "payment_123",
        metadata: { shop: "dev-shop.myshopify.com" },
        locale: "fr",
        customer_email: "buyer@example.com",
        payment_intent_data: { capture_method: "manual", metadata: { payment: "123" } },
      }),
    );
    expect(session).toMatchObject({
      object: "checkout.session",
      mode: "payment",
      status: "open",
      payment_status: "unpaid",
      amount_total: 4999,
      currency: "usd",
      client_reference_id: "payment_123",
      metadata: { shop: "dev-shop.myshopify.com" },
      locale: "fr",
      customer_email: "buyer@example.com",
      payment_intent: null,
      livemode: false,
      ui_mode: "hosted_page",
      url: `${sandbox.url}/c/pay/${session.id}`,
    });
    expect(session.created).toBeLessThan(10_000_000_000);
  });

  it("answers bad input with a 4xx on every path, never a 5xx", async () => {
    const auth = { Authorization: `Bearer ${sandbox.accounts[0]!.testSecretKey}`, "Content-Type": "application/x-www-form-urlencoded" };
    const post = (path: string, body: string, headers: Record<string, string> = auth) => fetch(`${sandbox.url}${path}`, { method: "POST", headers, body, redirect: "manual" }).then((r) => r.status);
    const huge = "a=" + "x".repeat(600 * 1024);
    expect(await post("/v1/checkout/sessions", "mode=payment&mode=setup")).toBe(400);
    expect(await post("/v1/checkout/sessions", "line_items[0][quantity]=1&line_items[5][quantity]=1&mode=payment")).toBe(400);
    expect(await post("/v1/checkout/sessions", "__proto__[x]=1")).toBe(400);
    expect(await post("/v1/checkout/sessions", '{"mode":"payment"}', { ...auth, "Content-Type": "application/json" })).toBe(400);
    expect(await post("/v1/checkout/sessions", huge)).toBe(413);
    expect(await post("/_sandbox/faults", huge, { "Content-Type": "application/json" })).toBe(413);
    expect(await post("/_sandbox/faults", "not json", { "Content-Type": "application/json" })).toBe(400);
    expect(await post("/_sandbox/advance", '{"seconds":-5}', { "Content-Type": "application/json" })).toBe(400);
    expect(await post("/_sandbox/refunds/re_nothing/settle", '{"outcome":"succeeded"}', { "Content-Type": "application/json" })).toBe(404);
    const session = await stripe.checkout.sessions.create(sessionParams(2000));
    expect(await post(`/c/pay/${session.id}`, huge, {})).toBe(413);
    expect(await post(`/c/pay/${session.id}`, "method=teleport", {})).toBe(400);
    expect(await post(`/c/pay/${session.id}/3ds`, "result=complete", {})).toBe(303);
    expect(await post("/c/pay/cs_test_nothing", "method=card", {})).toBe(404);
    expect((await fetch(`${sandbox.url}/v1/checkout/sessions/%E0%A4%A`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${sandbox.url}/v1/checkout/sessions?limit=abc`, { headers: auth })).status).toBe(400);
    expect((await fetch(`${sandbox.url}/v1/checkout/sessions/${session.id}?expand[]=nothing`, { headers: auth })).status).toBe(400);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
  });

  describe("Idempotency-Key", () => {
    it("replays the stored answer to the same key and parameters", async () => {
      const key = `order-${Date.now()}`;
      const first = await stripe.checkout.sessions.create(sessionParams(2500), { idempotencyKey: key });
      const second = await stripe.checkout.sessions.create(sessionParams(2500), { idempotencyKey: key });
      expect(second.id).toBe(first.id);
      expect(second.lastResponse.headers["idempotent-replayed"]).toBe("true");
      expect(first.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
      expect((await stripe.checkout.sessions.list({ limit: 100 })).data.filter((s) => s.id === first.id)).toHaveLength(1);
    });

    it("refuses the same key with other parameters (idempotency_error)", async () => {
      const key = `conflict-${Date.now()}`;
      await stripe.checkout.sessions.create(sessionParams(2500), { idempotencyKey: key });
      const error = await caught(stripe.checkout.sessions.create(sessionParams(2600), { idempotencyKey: key }));
      expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
      expect(error.statusCode).toBe(400);
    });

    it("keeps keys per account: one key on two accounts makes two sessions", async () => {
      const key = `shared-${Date.now()}`;
      const a = await stripe.checkout.sessions.create(sessionParams(2500), { idempotencyKey: key });
      const b = await stripeClient(sandbox, sandbox.accounts[1]!.testSecretKey).checkout.sessions.create(sessionParams(2500), { idempotencyKey: key });
      expect(b.id).not.toBe(a.id);
    });

    it("does not keep a refusal of bad parameters, so the fixed request may use the key", async () => {
      const key = `fixable-${Date.now()}`;
      await caught(stripe.checkout.sessions.create(sessionParams(2500, { locale: "xx" as Stripe.Checkout.SessionCreateParams.Locale }), { idempotencyKey: key }));
      // Other parameters under the same key are fine: nothing was stored for the refused request.
      const session = await stripe.checkout.sessions.create(sessionParams(2500), { idempotencyKey: key });
      expect(session.status).toBe("open");
    });
  });
});
