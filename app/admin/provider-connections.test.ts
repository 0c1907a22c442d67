import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPaymentsAppsSandbox, type PaymentsAppsSandbox } from "../../sandbox/payments-apps/server";
import type { AccountKeys } from "../../sandbox/stripe/accounts";
import { startStripeSandbox, type StripeSandbox } from "../../sandbox/stripe/server";
import { stripeClient } from "../../sandbox/stripe/test-client";
import { createTestDatabase, installShop, type TestDatabase } from "../../test/support/database";
import { listAuditEntries } from "../audit/audit-trail.server";
import { piiKeyringFromEnv } from "../privacy/pii-crypto.server";
import { createProviderAccountStore, type ProviderAccountStore } from "../providers/accounts/provider-account-store.server";
import { createStripeAccountLink } from "../providers/accounts/stripe-account-link.server";
import { readinessProblem, type ConfigureOptions } from "./onboarding.server";
import { connectProviderAccount, disconnectProviderAccount } from "./provider-connections.server";

const SHOP = "connections.myshopify.com";
const OTHER = "elsewhere.myshopify.com";
const staff = { shop: SHOP, staffUserId: "4242", staffName: "Sam Support", staffEmail: "sam@example.com" };

let database: TestDatabase;
let stripe: StripeSandbox;
let shopify: PaymentsAppsSandbox;
let store: ProviderAccountStore;
let merchant: AccountKeys;
let configure: ConfigureOptions;

beforeAll(async () => {
  database = await createTestDatabase();
  stripe = await startStripeSandbox({ port: 0 });
  shopify = await startPaymentsAppsSandbox({ port: 0 });
  await installShop(database.db, SHOP);
  await installShop(database.db, OTHER);
  shopify.registerShop(SHOP, `shpat_test_${SHOP}`);
  shopify.registerShop(OTHER, `shpat_test_${OTHER}`);
  configure = { apiVersion: "2026-04", origin: shopify.url, timeoutMs: 5000 };
  store = createProviderAccountStore(database.db, {
    keyring: piiKeyringFromEnv({ SHOPIFY_API_SECRET: "provider-connections-test" }),
    appUrl: "https://payments-app.example",
    links: { stripe: createStripeAccountLink({ apiBase: stripe.url }) },
  });
  merchant = stripe.createAccount();
});
afterAll(async () => {
  await Promise.all([stripe?.close(), shopify?.stop()]);
  await database?.drop();
});

const configureCalls = (shop: string) => shopify.calls.filter((call) => call.shop === shop && call.mutations.includes("paymentsAppConfigure"));

describe("connecting Stripe from Settings", () => {
  it("a test account is connected and audited, and Shopify is not told anything", async () => {
    const result = await connectProviderAccount(database.db, store, staff, { intent: "connect-provider", mode: "test", apiKey: merchant.testSecretKey }, configure);
    expect(result).toEqual({
      ok: true,
      intent: "connect-provider",
      mode: "test",
      message: `Stripe test account ${merchant.account} is connected with the secret key •••• ${merchant.testSecretKey.slice(-4)}.`,
    });
    expect(configureCalls(SHOP)).toHaveLength(0);
    const [entry] = await listAuditEntries(database.db, SHOP);
    expect(entry).toMatchObject({ action: "PROVIDER_ACCOUNT_CONNECT", staffUserId: "4242", beforeState: "not connected", afterState: `${merchant.account} (test, secret key •••• ${merchant.testSecretKey.slice(-4)})` });
    expect(JSON.stringify(await listAuditEntries(database.db, SHOP))).not.toContain(merchant.testSecretKey);
  });

  it("a live account makes the app ready at Shopify; disconnecting it makes it not ready", async () => {
    const connected = await connectProviderAccount(database.db, store, staff, { intent: "connect-provider", mode: "live", apiKey: merchant.liveRestrictedKey }, configure);
    expect(connected.ok).toBe(true);
    expect(connected.message).toMatch(/Shopify now knows the app is ready for live payments\.$/);
    expect(shopify.configuration(SHOP)).toMatchObject({ externalHandle: merchant.account, ready: true });
    expect(configureCalls(SHOP)).toHaveLength(1);

    const disconnected = await disconnectProviderAccount(database.db, store, staff, { intent: "disconnect-provider", mode: "live" }, configure);
    expect(disconnected).toMatchObject({ ok: true, message: `Stripe live account ${merchant.account} is disconnected. Shopify now shows the app as not ready.` });
    expect(shopify.configuration(SHOP)).toMatchObject({ ready: false });
    expect(configureCalls(SHOP)).toHaveLength(2);
    expect(await stripeClient(stripe, merchant.liveSecretKey).webhookEndpoints.list()).toMatchObject({ data: [] });
    expect((await listAuditEntries(database.db, SHOP)).map((entry) => entry.action)).toEqual(
      expect.arrayContaining(["PROVIDER_ACCOUNT_CONNECT", "PROVIDER_ACCOUNT_DISCONNECT", "SETTINGS_UPDATE"]),
    );
  });

  it("a refused key is a 422 sentence on the key field, saves nothing and tells Shopify nothing", async () => {
    const before = configureCalls(SHOP).length;
    const result = await connectProviderAccount(database.db, store, staff, { intent: "connect-provider", mode: "live", apiKey: merchant.livePublishableKey }, configure);
    expect(result).toMatchObject({ ok: false, status: 422, message: "Nothing was saved.", problems: [{ field: "apiKey", message: expect.stringMatching(/publishable key/) as unknown }] });
    expect(await store.hasVerifiedLiveAccount(SHOP)).toBe(false);
    expect(configureCalls(SHOP)).toHaveLength(before);
  });

  it("a shop cannot disconnect another shop's account", async () => {
    await connectProviderAccount(database.db, store, { shop: OTHER, staffUserId: "1", staffName: null, staffEmail: null }, { intent: "connect-provider", mode: "live", apiKey: merchant.liveSecretKey }, configure);
    const result = await disconnectProviderAccount(database.db, store, staff, { intent: "disconnect-provider", mode: "live" }, configure);
    expect(result).toMatchObject({ ok: true, message: "No Stripe live account was connected." });
    expect(await store.hasVerifiedLiveAccount(OTHER)).toBe(true);
    expect(shopify.configuration(OTHER)).toMatchObject({ ready: true });
  });
});

describe("what ready means", () => {
  const input = { externalHandle: "Acme", ready: true };
  it("in production, ready needs a connected live account", () => {
    expect(readinessProblem(input, { liveAccountRequired: true, hasLiveAccount: false })).toEqual({ field: "ready", message: expect.stringMatching(/needs a connected live Stripe account/) as unknown });
    expect(readinessProblem(input, { liveAccountRequired: true, hasLiveAccount: true })).toBeNull();
    expect(readinessProblem({ ...input, ready: false }, { liveAccountRequired: true, hasLiveAccount: false })).toBeNull();
  });
  it("in development and tests the sandbox provider stands in for live payments, so the checkbox decides", () => {
    expect(readinessProblem(input, { liveAccountRequired: false, hasLiveAccount: false })).toBeNull();
  });
});
