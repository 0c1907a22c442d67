import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AccountKeys } from "../../../sandbox/stripe/accounts";
import { startStripeSandbox, type StripeSandbox } from "../../../sandbox/stripe/server";
import { stripeClient } from "../../../sandbox/stripe/test-client";
import { createTestDatabase, type TestDatabase } from "../../../test/support/database";
import { piiKeyIdOf, piiKeyringFromEnv } from "../../privacy/pii-crypto.server";
import { STRIPE_WEBHOOK_EVENTS } from "../stripe/webhook-events";
import { ProviderAccountError } from "./account-link";
import { createProviderAccountStore, markProviderAccountsForRemoval, reencryptProviderAccountSecrets, type ProviderAccountStore } from "./provider-account-store.server";
import { createStripeAccountLink, parseStripeKey } from "./stripe-account-link.server";

const SHOP_A = "alpha.myshopify.com";
const SHOP_B = "bravo.myshopify.com";
const APP_URL = "https://payments-app.example";

let database: TestDatabase;
let stripe: StripeSandbox;
let store: ProviderAccountStore;
let merchantA: AccountKeys;
let merchantB: AccountKeys;
const keyring = piiKeyringFromEnv({ SHOPIFY_API_SECRET: "provider-account-store-test-secret" });
const left: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  stripe = await startStripeSandbox({ port: 0 });
  store = createProviderAccountStore(database.db, {
    keyring,
    appUrl: APP_URL,
    links: { stripe: createStripeAccountLink({ apiBase: stripe.url }) },
    onEndpointLeft: (event) => left.push(event.reason),
  });
});
afterAll(async () => {
  await stripe?.close();
  await database?.drop();
});
beforeEach(async () => {
  merchantA = stripe.createAccount();
  merchantB = stripe.createAccount();
  left.length = 0;
  await database.db.providerAccount.deleteMany({});
});

/** The webhook endpoints the local Stripe holds for an account, read through the official SDK. */
async function endpointsAt(key: string) {
  return (await stripeClient(stripe, key).webhookEndpoints.list({ limit: 100 })).data;
}

async function refusal(promise: Promise<unknown>): Promise<ProviderAccountError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderAccountError);
  return error as ProviderAccountError;
}

describe("a Stripe key's form", () => {
  it("takes secret and restricted keys of the mode, and names the last four characters", () => {
    expect(parseStripeKey("sk_test_abcdefgh1234", "test")).toEqual({ kind: "secret", last4: "1234" });
    expect(parseStripeKey("rk_live_abcdefgh9876", "live")).toEqual({ kind: "restricted", last4: "9876" });
  });

  it("refuses a publishable key, a key of the other mode and anything else, each with its own sentence", () => {
    expect(() => parseStripeKey("pk_test_abcdefgh1234", "test")).toThrow(/publishable key \(pk_…\), which cannot make payments/);
    expect(() => parseStripeKey("sk_test_abcdefgh1234", "live")).toThrow("This is a test key; live mode needs a live key (sk_live_… or rk_live_…).");
    expect(() => parseStripeKey("sk_live_abcdefgh1234", "test")).toThrow("This is a live key; test mode needs a test key (sk_test_… or rk_test_…).");
    expect(() => parseStripeKey("whsec_abcdefgh1234", "test")).toThrow(/This is not a Stripe API key/);
  });
});

describe("connecting a Stripe account", () => {
  it("checks the key, registers the webhook endpoint in that account and keeps key and signing secret encrypted", async () => {
    const { account } = await store.connect(SHOP_A, { provider: "stripe", mode: "test", apiKey: merchantA.testSecretKey });
    expect(account).toMatchObject({ provider: "stripe", mode: "test", externalAccountId: merchantA.account, keyKind: "secret", keyLast4: merchantA.testSecretKey.slice(-4) });

    const [endpoint, ...others] = await endpointsAt(merchantA.testSecretKey);
    expect(others).toHaveLength(0);
    expect(endpoint?.url).toBe(`${APP_URL}/providers/stripe/webhooks?account=${account.accountId}`);
    expect([...(endpoint?.enabled_events ?? [])].sort()).toEqual([...STRIPE_WEBHOOK_EVENTS].sort());
    expect(account.webhookEndpointId).toBe(endpoint?.id);

    const credentials = await store.forShop(SHOP_A, "stripe", "test");
    expect(credentials).toMatchObject({ accountId: account.accountId, shop: SHOP_A, provider: "stripe", mode: "test", apiKey: merchantA.testSecretKey });
    expect(credentials?.webhookSigningSecret).toMatch(/^whsec_/);
    expect(await store.byId(account.accountId)).toEqual(credentials);

    // At rest: neither the key nor the signing secret appears anywhere in the row.
    const row = await database.db.providerAccount.findUniqueOrThrow({ where: { id: account.accountId } });
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(merchantA.testSecretKey);
    expect(stored).not.toContain(credentials?.webhookSigningSecret);
    expect(row.apiKeyEncrypted).toMatch(/^pii1\./);
    expect(row.webhookSecretEncrypted).toMatch(/^pii1\./);
    expect(row.apiKeyLast4).toBe(merchantA.testSecretKey.slice(-4));
  });

  it("takes a restricted key, and keeps live and test apart", async () => {
    await store.connect(SHOP_A, { provider: "stripe", mode: "test", apiKey: merchantA.testSecretKey });
    const { account } = await store.connect(SHOP_A, { provider: "stripe", mode: "live", apiKey: merchantA.liveRestrictedKey });
    expect(account).toMatchObject({ mode: "live", keyKind: "restricted", externalAccountId: merchantA.account });
    expect((await store.forShop(SHOP_A, "stripe", "live"))?.apiKey).toBe(merchantA.liveRestrictedKey);
    expect((await store.forShop(SHOP_A, "stripe", "test"))?.apiKey).toBe(merchantA.testSecretKey);
    expect(await store.hasVerifiedLiveAccount(SHOP_A)).toBe(true);
    expect(await endpointsAt(merchantA.liveSecretKey)).toHaveLength(1);
    expect(await endpointsAt(merchantA.testSecretKey)).toHaveLength(1);
  });

  it("refuses a key Stripe does not accept, a publishable key and a key of the other mode, saving nothing and registering nothing", async () => {
    const unknown = await refusal(store.connect(SHOP_A, { provider: "stripe", mode: "test", apiKey: "sk_test_NotAKeyStripeKnows1234" }));
    expect(unknown.kind).toBe("invalid-key");
    expect(unknown.message).toMatch(/^Stripe did not accept this key/);
    expect((await refusal(store.connect(SHOP_A, { provider: "stripe", mode: "test", apiKey: merchantA.testPublishableKey }))).message).toMatch(/publishable key/);
    expect((await refusal(store.connect(SHOP_A, { provider: "stripe", mode: "live", apiKey: merchantA.testSecretKey }))).message).toMatch(/This is a test key/);

    expect(await database.db.providerAccount.count()).toBe(0);
    expect(await endpointsAt(merchantA.testSecretKey)).toHaveLength(0);
    expect(await store.forShop(SHOP_A, "stripe", "test")).toBeNull();
    expect(await store.hasVerifiedLiveAccount(SHOP_A)).toBe(false);
  });

  it("says Stripe could not be reached, and saves nothing, when Stripe answers 500s", async () => {
    stripe.faults.add({ kind: "500", count: 2, path: "/v1/account" });
    const error = await refusal(store.connect(SHOP_A, { provider: "stripe", mode: "test", apiKey: merchantA.testSecretKey }));
    expect(error.kind).toBe("unreachable");
    expect(await database.db.providerAccount.count()).toBe(0);
  });

  it("saves nothing when Stripe fails the endpoint registration", async () => {
    stripe.faults.add({ kind: "500", count: 2, path: "/v1/webhook_endpoints", method: "POST" });
    expect((await refusal(store.connect(SHOP_A, { provider: "stripe", mode: "test", apiKey: merchantA.testSecretKey }))).kind).toBe("unreachable");
    expect(await endpointsAt(merchantA.testSecretKey)).toHaveLength(0);
    expect(await database.db.providerAccount.count()).toBe(0);
  });

  it("connecting again replaces the account: one endpoint, the old one removed, even in another Stripe account", async () => {
    const first = await store.connect(SHOP_A, { provider: "stripe", mode: "test", apiKey: merchantA.testSecretKey });
    const again = await store.connect(SHOP_A, { provider: "stripe", mode: "test", apiKey: merchantA.testRestrictedKey });
    expect(again.account.accountId).toBe(first.account.accountId);
    expect(again.replaced?.keyLast4).toBe(merchantA.testSecretKey.slice(-4));
    const endpoints = await endpointsAt(merchantA.testSecretKey);
    expect(endpoints.map((e) => e.id)).toEqual([again.account.webhookEndpointId]);

    const moved = await store.connect(SHOP_A, { provider: "stripe", mode: "test", apiKey: merchantB.testSecretKey });
    expect(moved.account.externalAccountId).toBe(merchantB.account);
    expect(await endpointsAt(merchantA.testSecretKey)).toHaveLength(0);
    expect(await endpointsAt(merchantB.testSecretKey)).toHaveLength(1);
    expect(await database.db.providerAccount.count()).toBe(1);
  });
});

describe("disconnecting", () => {
  it("removes the endpoint at Stripe and the row; a second disconnect finds nothing", async () => {
    await store.connect(SHOP_A, { provider: "stripe", mode: "live", apiKey: merchantA.liveSecretKey });
    const result = await store.disconnect(SHOP_A, "stripe", "live");
    expect(result).toMatchObject({ endpoint: "removed", account: { externalAccountId: merchantA.account } });
    expect(await endpointsAt(merchantA.liveSecretKey)).toHaveLength(0);
    expect(await store.forShop(SHOP_A, "stripe", "live")).toBeNull();
    expect(await store.hasVerifiedLiveAccount(SHOP_A)).toBe(false);
    expect(await store.disconnect(SHOP_A, "stripe", "live")).toBeNull();
  });

  it("tolerates an endpoint the merchant already deleted in Stripe", async () => {
    const { account } = await store.connect(SHOP_A, { provider: "stripe", mode: "test", apiKey: merchantA.testSecretKey });
    await stripeClient(stripe, merchantA.testSecretKey).webhookEndpoints.del(account.webhookEndpointId ?? "");
    expect(await store.disconnect(SHOP_A, "stripe", "test")).toMatchObject({ endpoint: "gone" });
    expect(await database.db.providerAccount.count()).toBe(0);
  });

  it("keeps the account when Stripe cannot be reached, so that trying again removes the endpoint", async () => {
    await store.connect(SHOP_A, { provider: "stripe", mode: "test", apiKey: merchantA.testSecretKey });
    stripe.faults.add({ kind: "500", count: 2, path: "/v1/webhook_endpoints", method: "DELETE" });
    expect((await refusal(store.disconnect(SHOP_A, "stripe", "test"))).kind).toBe("unreachable");
    expect(await store.forShop(SHOP_A, "stripe", "test")).not.toBeNull();
    expect(await store.disconnect(SHOP_A, "stripe", "test")).toMatchObject({ endpoint: "removed" });
    expect(await endpointsAt(merchantA.testSecretKey)).toHaveLength(0);
  });
});

describe("shop isolation", () => {
  it("one shop neither sees nor disconnects another's account", async () => {
    const b = await store.connect(SHOP_B, { provider: "stripe", mode: "test", apiKey: merchantB.testSecretKey });
    expect(await store.list(SHOP_A)).toEqual([]);
    expect(await store.forShop(SHOP_A, "stripe", "test")).toBeNull();
    expect(await store.disconnect(SHOP_A, "stripe", "test")).toBeNull();
    expect(await store.list(SHOP_B)).toEqual([b.account]);
    expect(await endpointsAt(merchantB.testSecretKey)).toHaveLength(1);
  });
});

describe("uninstalling", () => {
  it("marks the shop's accounts unused at once, and the sweep removes their endpoints and rows", async () => {
    await store.connect(SHOP_A, { provider: "stripe", mode: "test", apiKey: merchantA.testSecretKey });
    const live = await store.connect(SHOP_A, { provider: "stripe", mode: "live", apiKey: merchantA.liveSecretKey });
    await store.connect(SHOP_B, { provider: "stripe", mode: "test", apiKey: merchantB.testSecretKey });

    expect(await markProviderAccountsForRemoval(database.db, SHOP_A)).toEqual({ count: 2 });
    expect(await store.forShop(SHOP_A, "stripe", "test")).toBeNull();
    expect(await store.byId(live.account.accountId)).toBeNull();
    expect(await store.hasVerifiedLiveAccount(SHOP_A)).toBe(false);

    // Stripe unreachable: the rows wait for the next sweep.
    stripe.faults.add({ kind: "500", count: 4, path: "/v1/webhook_endpoints", method: "DELETE" });
    expect(await store.sweepRemovals()).toEqual({ removed: 0, waiting: 2 });
    expect(left).toHaveLength(2);
    expect(await store.sweepRemovals()).toEqual({ removed: 2, waiting: 0 });
    expect(await endpointsAt(merchantA.testSecretKey)).toHaveLength(0);
    expect(await endpointsAt(merchantA.liveSecretKey)).toHaveLength(0);
    expect(await store.list(SHOP_B)).toHaveLength(1);
    expect(await endpointsAt(merchantB.testSecretKey)).toHaveLength(1);
  });

  it("a reconnection after a reinstall takes the marked account back", async () => {
    await store.connect(SHOP_A, { provider: "stripe", mode: "test", apiKey: merchantA.testSecretKey });
    await markProviderAccountsForRemoval(database.db, SHOP_A);
    const again = await store.connect(SHOP_A, { provider: "stripe", mode: "test", apiKey: merchantA.testSecretKey });
    expect(again.replaced).toBeNull();
    expect(await store.sweepRemovals()).toEqual({ removed: 0, waiting: 0 });
    expect((await endpointsAt(merchantA.testSecretKey)).map((e) => e.id)).toEqual([again.account.webhookEndpointId]);
  });
});

describe("key rotation", () => {
  it("rewrites key and signing secret under the current key, and the accounts keep working", async () => {
    const { account } = await store.connect(SHOP_A, { provider: "stripe", mode: "test", apiKey: merchantA.testSecretKey });
    const before = await store.forShop(SHOP_A, "stripe", "test");
    const next = randomBytes(32).toString("base64");
    const retired = keyring.current.key.export().toString("base64");
    const rotated = piiKeyringFromEnv({ SHOPIFY_API_SECRET: "provider-account-store-test-secret", PII_ENCRYPTION_KEYS: `k2:${next},dev:${retired}` });

    expect(await reencryptProviderAccountSecrets(database.db, rotated)).toBe(1);
    expect(await reencryptProviderAccountSecrets(database.db, rotated)).toBe(0);
    const row = await database.db.providerAccount.findUniqueOrThrow({ where: { id: account.accountId } });
    expect([piiKeyIdOf(row.apiKeyEncrypted), piiKeyIdOf(row.webhookSecretEncrypted ?? "")]).toEqual(["k2", "k2"]);

    const rotatedStore = createProviderAccountStore(database.db, { keyring: rotated, appUrl: APP_URL, links: { stripe: createStripeAccountLink({ apiBase: stripe.url }) } });
    expect(await rotatedStore.forShop(SHOP_A, "stripe", "test")).toEqual(before);
  });
});
