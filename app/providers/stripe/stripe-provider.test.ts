import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStripeSandbox, type StripeSandbox } from "../../../sandbox/stripe/server";
import { control, payWithCard, stripeClient, submitOnPage } from "../../../sandbox/stripe/test-client";
import { describeProviderContract } from "../../../test/support/provider-contract";
import type { ChargeRequest, ChargeResult, HostedPageContext, PaymentProvider } from "../payment-provider";
import type { ProviderAccountCredentials } from "../provider-accounts";
import { createStripeProvider } from "./stripe-provider.server";

const SHOP = "stripe-provider.myshopify.com";
const APPROVE = "4242424242424242";
const DECLINE = "4000000000000002";
const THREE_D_SECURE = "4000002760003184";

function account(keys: { testSecretKey: string }): ProviderAccountCredentials {
  return { accountId: `acct-${randomUUID()}`, shop: SHOP, provider: "stripe", mode: "test", apiKey: keys.testSecretKey, webhookSigningSecret: "whsec_contract_secret" };
}

function hosted(paymentId: string): HostedPageContext {
  return {
    shop: SHOP,
    returnUrl: `https://app.test/pay/${paymentId}/return`,
    cancelUrl: `https://app.test/pay/${paymentId}/cancel`,
    locale: "de-CH",
    expiresAt: new Date(Date.now() + 72 * 3_600_000),
  };
}

describeProviderContract("Stripe provider (against the local Stripe)", async () => {
  const sandbox = await startStripeSandbox({ port: 0 });
  const keys = sandbox.accounts[0]!;
  const stripe = stripeClient(sandbox, keys.testSecretKey);
  return {
    provider: createStripeProvider(account(keys), { apiBase: sandbox.url, maxNetworkRetries: 0 }),
    approveInput: { card: APPROVE },
    declineInput: { card: DECLINE },
    hosted,
    largestAmountMinor: 99_999_999n,
    async buyerOnProviderPage(redirect, input) {
      const page = await payWithCard({ id: redirect.reference, url: redirect.url }, input.card ?? APPROVE);
      expect([200, 303, 402]).toContain(page.status);
      // A declined card leaves the page open for another try; the buyer gives up and it expires.
      if (input.card === DECLINE) await stripe.checkout.sessions.expire(redirect.reference);
    },
    forgedNotification: () => ({ rawBody: JSON.stringify({ id: "evt_forged", type: "checkout.session.completed" }), headers: new Headers({ "stripe-signature": "t=1,v1=00" }) }),
    teardown: () => sandbox.close(),
  };
});

describe("Stripe provider", () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;
  let provider: PaymentProvider;

  beforeAll(async () => {
    sandbox = await startStripeSandbox({ port: 0, delayedSettleSeconds: 1 });
    stripe = stripeClient(sandbox, sandbox.accounts[0]!.testSecretKey);
    provider = createStripeProvider(account(sandbox.accounts[0]!), { apiBase: sandbox.url, maxNetworkRetries: 2, recheckMs: 1000 });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  beforeEach(async () => {
    await fetch(`${sandbox.url}/_sandbox/faults`, { method: "DELETE" });
  });

  function request(overrides: Partial<ChargeRequest> = {}): ChargeRequest {
    const paymentId = `pay-${randomUUID()}`;
    return { paymentId, kind: "SALE", amount: { minor: 2500n, currency: "EUR" }, test: true, input: {}, hosted: hosted(paymentId), ...overrides };
  }

  async function redirected(charge: ChargeRequest): Promise<{ reference: string; url: string }> {
    const result = await provider.charge(charge);
    if (result.status !== "redirect") throw new Error(`expected a redirect, got ${JSON.stringify(result)}`);
    return result;
  }

  async function sessionsOf(paymentId: string): Promise<Stripe.Checkout.Session[]> {
    const all = await stripe.checkout.sessions.list({ limit: 100 });
    return all.data.filter((session) => session.client_reference_id === paymentId);
  }

  it("makes a Checkout Session with the amount in minor units, the app's pages, our ids, the locale and an expiry inside the deadline", async () => {
    const charge = request({ amount: { minor: 1234n, currency: "EUR" } });
    const { reference, url } = await redirected(charge);

    const session = await stripe.checkout.sessions.retrieve(reference, { expand: ["line_items"] });
    expect(url).toBe(`${sandbox.url}/c/pay/${reference}`);
    expect(session).toMatchObject({
      mode: "payment",
      amount_total: 1234,
      currency: "eur",
      success_url: charge.hosted?.returnUrl,
      cancel_url: charge.hosted?.cancelUrl,
      client_reference_id: charge.paymentId,
      metadata: { payment_id: charge.paymentId, shop: SHOP },
      locale: "de",
    });
    const lifetime = session.expires_at - session.created;
    expect(lifetime).toBeGreaterThanOrEqual(22 * 3600);
    expect(lifetime).toBeLessThanOrEqual(24 * 3600);
  });

  it("keeps the session inside a deadline closer than Stripe's 24 hours", async () => {
    const charge = request();
    const deadline = new Date(Date.now() + 2 * 3_600_000);
    const { reference } = await redirected({ ...charge, hosted: { ...charge.hosted!, expiresAt: deadline } });

    const session = await stripe.checkout.sessions.retrieve(reference);
    expect(session.expires_at).toBe(Math.floor(deadline.getTime() / 1000));
  });

  it("declines, without asking Stripe, a payment whose deadline leaves less than Stripe's 30 minutes", async () => {
    const charge = request();
    const result = await provider.charge({ ...charge, hosted: { ...charge.hosted!, expiresAt: new Date(Date.now() + 10 * 60_000) } });

    expect(result).toMatchObject({ status: "declined", code: "PROCESSING_ERROR" });
    expect(await sessionsOf(charge.paymentId)).toEqual([]);
  });

  it("authorizes, captures part once, says the rest was released, and refunds part of the capture", async () => {
    const charge = request({ kind: "AUTHORIZATION", amount: { minor: 5000n, currency: "USD" } });
    const page = await redirected(charge);
    await payWithCard({ id: page.reference, url: page.url }, APPROVE);

    const authorized = await provider.chargeStatus(charge.paymentId, page.reference);
    expect(authorized).toMatchObject({ status: "approved", reference: expect.stringMatching(/^pi_/) });
    const intent = await stripe.paymentIntents.retrieve((authorized as { reference: string }).reference, { expand: ["latest_charge"] });
    expect(intent.status).toBe("requires_capture");
    const captureBefore = (intent.latest_charge as Stripe.Charge).payment_method_details?.card?.capture_before;
    expect((authorized as { authorizationExpiresAt?: Date }).authorizationExpiresAt).toEqual(new Date(captureBefore! * 1000));

    const paymentReference = (authorized as { reference: string }).reference;
    const follow = { paymentId: charge.paymentId, paymentReference, test: true };
    const first = await provider.capture({ ...follow, operationId: `cap-${randomUUID()}`, amount: { minor: 2000n, currency: "USD" } });
    const second = await provider.capture({ ...follow, operationId: `cap-${randomUUID()}`, amount: { minor: 1000n, currency: "USD" } });
    const refund = await provider.refund({ ...follow, operationId: `ref-${randomUUID()}`, amount: { minor: 1500n, currency: "USD" } });

    expect(first).toEqual({ status: "approved", reference: paymentReference });
    // No multicapture: the first capture ended the authorization and Stripe released the rest.
    expect(second).toMatchObject({ status: "declined", message: expect.stringMatching(/Stripe refused/) });
    expect(refund).toEqual({ status: "approved", reference: expect.stringMatching(/^re_/) });
    const captured = await stripe.paymentIntents.retrieve(paymentReference);
    expect(captured).toMatchObject({ status: "succeeded", amount_received: 2000 });
  });

  it("voids an authorization by canceling its PaymentIntent, and a repeated void is approved again", async () => {
    const charge = request({ kind: "AUTHORIZATION" });
    const page = await redirected(charge);
    await payWithCard({ id: page.reference, url: page.url }, APPROVE);
    const authorized = (await provider.chargeStatus(charge.paymentId, page.reference)) as { reference: string };
    const voidRequest = { operationId: `void-${randomUUID()}`, paymentId: charge.paymentId, paymentReference: authorized.reference, test: true };

    const first = await provider.void(voidRequest);
    const repeated = await provider.void(voidRequest);

    expect(first).toEqual({ status: "approved", reference: authorized.reference });
    expect(repeated).toEqual(first);
    expect((await stripe.paymentIntents.retrieve(authorized.reference)).status).toBe("canceled");
  });

  it("keeps the page open after a declined card, and declines with card_declined once the page expires", async () => {
    const charge = request();
    const page = await redirected(charge);

    await payWithCard({ id: page.reference, url: page.url }, DECLINE);
    expect(await provider.chargeStatus(charge.paymentId, page.reference)).toEqual({ status: "redirect", reference: page.reference, url: page.url });

    await stripe.checkout.sessions.expire(page.reference);
    expect(await provider.chargeStatus(charge.paymentId, page.reference)).toMatchObject({ status: "declined", code: "CARD_DECLINED", message: expect.stringMatching(/card_declined/) });
  });

  it("declines an abandoned page that expired as a cancelled payment", async () => {
    const charge = request();
    const page = await redirected(charge);

    await stripe.checkout.sessions.expire(page.reference);

    expect(await provider.chargeStatus(charge.paymentId, page.reference)).toMatchObject({ status: "declined", code: "CANCELLED_PAYMENT" });
  });

  it("approves after a passed 3-D Secure step, and maps a failed one to AUTHENTICATION_REQUIRED once the page expires", async () => {
    const passed = request();
    const passedPage = await redirected(passed);
    const challenge = await payWithCard({ id: passedPage.reference, url: passedPage.url }, THREE_D_SECURE);
    expect(challenge.headers.get("location")).toBe(`/c/pay/${passedPage.reference}/3ds`);
    await submitOnPage({ id: passedPage.reference, url: passedPage.url }, { result: "complete" }, "/3ds");
    expect(await provider.chargeStatus(passed.paymentId, passedPage.reference)).toMatchObject({ status: "approved" });

    const failed = request();
    const failedPage = await redirected(failed);
    await payWithCard({ id: failedPage.reference, url: failedPage.url }, THREE_D_SECURE);
    await submitOnPage({ id: failedPage.reference, url: failedPage.url }, { result: "fail" }, "/3ds");
    await stripe.checkout.sessions.expire(failedPage.reference);
    expect(await provider.chargeStatus(failed.paymentId, failedPage.reference)).toMatchObject({ status: "declined", code: "AUTHENTICATION_REQUIRED" });
  });

  for (const outcome of ["succeeded", "failed"] as const) {
    it(`reports a bank debit as pending, then ${outcome === "succeeded" ? "approved" : "declined for insufficient funds"} once it settles`, async () => {
      const charge = request();
      const page = await redirected(charge);
      await submitOnPage({ id: page.reference, url: page.url }, { method: "bank_debit", outcome: "manual" });

      const pending = await provider.chargeStatus(charge.paymentId, page.reference);
      expect(pending).toMatchObject({ status: "pending", reference: expect.stringMatching(/^pi_/) });

      await control(sandbox, `payment_intents/${(pending as { reference: string }).reference}/settle`, { outcome });
      const settled = await provider.chargeStatus(charge.paymentId, (pending as { reference: string }).reference);
      expect(settled).toMatchObject(outcome === "succeeded" ? { status: "approved" } : { status: "declined", code: "INSUFFICIENT_FUNDS" });
    });
  }

  it("retries Stripe's 500 and 429 with the same Idempotency-Key and makes one session", async () => {
    await control(sandbox, "faults", { kind: "500", count: 1, path: "/v1/checkout/sessions", method: "POST" });
    await control(sandbox, "faults", { kind: "429", count: 1, path: "/v1/checkout/sessions", method: "POST", shouldRetry: true });
    const charge = request();

    const result = await provider.charge(charge);

    expect(result.status).toBe("redirect");
    expect(await sessionsOf(charge.paymentId)).toHaveLength(1);
  });

  it("makes one session when Stripe applied the create but the answer was lost", async () => {
    await control(sandbox, "faults", { kind: "lost", count: 1, path: "/v1/checkout/sessions", method: "POST" });
    const charge = request();

    const result = await provider.charge(charge);
    const repeated = await provider.charge(charge);

    expect(result.status).toBe("redirect");
    expect(repeated).toEqual(result);
    expect(await sessionsOf(charge.paymentId)).toHaveLength(1);
  });

  it("answers unknown (ask again later), never a decline, when Stripe keeps failing", async () => {
    await control(sandbox, "faults", { kind: "500", count: 10, path: "/v1/checkout/sessions", method: "POST" });
    const charge = request();

    const result: ChargeResult = await provider.charge(charge);

    expect(result).toMatchObject({ status: "unknown" });
  });

  it("reports a refund the bank holds as pending, then as approved when it settles", async () => {
    const charge = request();
    const page = await redirected(charge);
    await payWithCard({ id: page.reference, url: page.url }, APPROVE);
    const paid = (await provider.chargeStatus(charge.paymentId, page.reference)) as { reference: string };
    await control(sandbox, "refunds/hold", { count: 1 });
    const refundRequest = { operationId: `ref-${randomUUID()}`, paymentId: charge.paymentId, paymentReference: paid.reference, test: true, amount: { minor: 1000n, currency: "EUR" } };

    const pending = await provider.refund(refundRequest);
    expect(pending).toMatchObject({ status: "pending", reference: expect.stringMatching(/^re_/) });
    await control(sandbox, `refunds/${(pending as { reference: string }).reference}/settle`, { outcome: "succeeded" });

    expect(await provider.refund(refundRequest)).toEqual({ status: "approved", reference: (pending as { reference: string }).reference });
    expect((await stripe.refunds.list({ payment_intent: paid.reference })).data).toHaveLength(1);
  });

  it("declines with MERCHANT_ACCOUNT_ERROR when Stripe refuses the key", async () => {
    const revoked = createStripeProvider({ ...account(sandbox.accounts[0]!), apiKey: "sk_test_revoked" }, { apiBase: sandbox.url, maxNetworkRetries: 0 });

    expect(await revoked.charge(request())).toMatchObject({ status: "declined", code: "MERCHANT_ACCOUNT_ERROR" });
  });
});
