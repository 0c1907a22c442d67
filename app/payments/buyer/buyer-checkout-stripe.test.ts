import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStripeSandbox, type StripeSandbox } from "../../../sandbox/stripe/server";
import { control, payWithCard, stripeClient, submitOnPage } from "../../../sandbox/stripe/test-client";
import type { TestDatabase } from "../../../test/support/database";
import { createPaymentRow, createShopDatabase } from "../../../test/support/payment-rows";
import { InMemoryProviderAccounts } from "../../../test/support/provider-accounts";
import { createProviderRegistry, type ProviderRegistry } from "../../providers/provider-registry.server";
import { createSandboxProvider } from "../../providers/sandbox-provider.server";
import { createStripeProvider } from "../../providers/stripe/stripe-provider.server";
import { buyerViewAfterProvider, payFromBuyerPage, refreshFromProvider } from "./buyer-payment-page.server";
import { checkDuePayments, type ProcessingPolicy } from "../charging/payment-charging.server";

const SHOP = "hosted-checkout.myshopify.com";
const POLICY: ProcessingPolicy = { providerTimeoutMs: 10_000, authorizationValidityMs: 7 * 86_400_000, pendingExpiryMs: 72 * 3_600_000, pendingSafetyMarginMs: 3_600_000, recheckMs: 1_000 };

/**
 * The buyer's side of a hosted page: the payment page sends the buyer to
 * Stripe, the return page reads the outcome from Stripe (never from the URL),
 * and a buyer who comes back early is sent to Stripe's page again.
 */
describe("the buyer pages with a shop that connected Stripe", () => {
  let database: TestDatabase;
  let sandbox: StripeSandbox;
  let stripe: Stripe;
  let registry: ProviderRegistry;
  const accounts = new InMemoryProviderAccounts();

  beforeAll(async () => {
    database = await createShopDatabase(SHOP);
    sandbox = await startStripeSandbox({ port: 0 });
    const keys = sandbox.accounts[0]!;
    stripe = stripeClient(sandbox, keys.testSecretKey);
    accounts.connect({ accountId: `acct-${randomUUID()}`, shop: SHOP, provider: "stripe", mode: "test", apiKey: keys.testSecretKey, webhookSigningSecret: null });
    registry = createProviderRegistry(createSandboxProvider(database.db, { pendingSeconds: 1, hangMs: 100, challengeUrl: () => "challenge" }), null, {
      accounts,
      factories: { stripe: (account) => createStripeProvider(account, { apiBase: sandbox.url, recheckMs: 1_000 }) },
    });
  });

  afterAll(async () => {
    await sandbox.close();
    await database.drop();
  });

  const pages = { returnUrl: "https://app.test/pay/t/return", cancelUrl: "https://app.test/pay/t/cancel", expiresAt: new Date(Date.now() + 72 * 3_600_000) };
  const reload = (id: string) => database.db.paymentSession.findUniqueOrThrow({ where: { id } });

  async function sentToStripe(kind: "SALE" | "AUTHORIZATION" = "SALE") {
    const row = await createPaymentRow(database.db, SHOP, new Date(), { status: "OPEN", resolvedAt: null, kind, customerLocale: "fr-FR" });
    const result = await payFromBuyerPage(database.db, registry, row, {}, POLICY, 10_000, pages);
    if (result?.status !== "redirect") throw new Error(`expected a redirect, got ${JSON.stringify(result)}`);
    return { id: row.id, gid: row.gid, page: { id: result.reference, url: result.url } };
  }

  it("charges a card payment of that shop through a provider that takes cards: the sandbox for test cards, none for live ones here", async () => {
    // Stripe Checkout is a hosted page: it cannot charge a card Shopify collected.
    expect((await registry.forSession({ shop: SHOP, test: true }))?.name).toBe("stripe");
    expect((await registry.forSession({ shop: SHOP, test: true, paymentMethodType: "offsite" }))?.name).toBe("stripe");
    expect((await registry.forSession({ shop: SHOP, test: true, paymentMethodType: "credit_card" }))?.name).toBe("sandbox");
    expect(await registry.forSession({ shop: SHOP, test: false, paymentMethodType: "credit_card" })).toBeNull();
  });

  it("sends the buyer to Stripe's page, keeps the session as the reference, and sends a buyer who comes back early there again", async () => {
    const payment = await sentToStripe();

    const stored = await reload(payment.id);
    expect(stored).toMatchObject({ status: "OPEN", providerName: "stripe", providerReference: payment.page.id });
    expect((await stripe.checkout.sessions.retrieve(payment.page.id)).locale).toBe("fr");
    expect(await buyerViewAfterProvider(database.db, registry, stored, POLICY)).toEqual({ kind: "provider-page", url: payment.page.url });
  });

  it("resolves on return from Stripe's page after the buyer paid, as Stripe says", async () => {
    const payment = await sentToStripe("AUTHORIZATION");
    await payWithCard(payment.page, "4242424242424242");

    const result = await refreshFromProvider(database.db, registry, await reload(payment.id), POLICY);

    expect(result).toMatchObject({ status: "approved" });
    const resolved = await reload(payment.id);
    expect(resolved).toMatchObject({ status: "RESOLVED", providerReference: expect.stringMatching(/^pi_/) });
    expect(resolved.authorizationExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    expect(await database.db.delivery.findMany({ where: { sessionGid: payment.gid }, select: { operation: true } })).toEqual([{ operation: "PAYMENT_RESOLVE" }]);
  });

  it("resolves after a 3-D Secure step on Stripe's page", async () => {
    const payment = await sentToStripe();
    await payWithCard(payment.page, "4000002760003184");
    await submitOnPage(payment.page, { result: "complete" }, "/3ds");

    await refreshFromProvider(database.db, registry, await reload(payment.id), POLICY);

    expect((await reload(payment.id)).status).toBe("RESOLVED");
  });

  it("reports a bank debit as pending on return, then rejects it for insufficient funds when the worker finds it failed", async () => {
    const payment = await sentToStripe();
    await submitOnPage(payment.page, { method: "bank_debit", outcome: "manual" });

    await refreshFromProvider(database.db, registry, await reload(payment.id), POLICY);
    const pending = await reload(payment.id);
    expect(pending).toMatchObject({ status: "PENDING", providerReference: expect.stringMatching(/^pi_/) });

    await control(sandbox, `payment_intents/${pending.providerReference}/settle`, { outcome: "failed" });
    await checkDuePayments(database.db, registry, POLICY, 50, new Date(Date.now() + 60_000));

    expect(await reload(payment.id)).toMatchObject({ status: "REJECTED", rejectionCode: "INSUFFICIENT_FUNDS" });
    expect((await database.db.delivery.findMany({ where: { sessionGid: payment.gid }, select: { operation: true }, orderBy: { createdAt: "asc" } })).map((d) => d.operation)).toEqual(["PAYMENT_PENDING", "PAYMENT_REJECT"]);
  });

  it("rejects a payment whose page the buyer abandoned once Stripe expires it", async () => {
    const payment = await sentToStripe();
    await stripe.checkout.sessions.expire(payment.page.id);

    await checkDuePayments(database.db, registry, POLICY, 50, new Date(Date.now() + 60_000));

    expect(await reload(payment.id)).toMatchObject({ status: "REJECTED", rejectionCode: "CANCELLED_PAYMENT" });
  });

  it("uses the sandbox for a test payment of a shop without a Stripe account", async () => {
    expect((await registry.forSession({ shop: "other.myshopify.com", test: true }))?.name).toBe("sandbox");
    expect(await registry.forSession({ shop: "other.myshopify.com", test: false })).toBeNull();
    expect((await registry.forSession({ shop: SHOP, test: true }))?.name).toBe("stripe");
    expect(await registry.forSession({ shop: SHOP, test: false })).toBeNull();
  });
});
