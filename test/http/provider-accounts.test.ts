import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPaymentsAppsSandbox, type PaymentsAppsSandbox } from "../../sandbox/payments-apps/server";
import { embeddedAppQuery, signSessionToken } from "../../sandbox/shopify/session-token";
import { createWebhookSender } from "../../sandbox/shopify/webhooks";
import type { AccountKeys } from "../../sandbox/stripe/accounts";
import { startStripeSandbox, type StripeSandbox } from "../../sandbox/stripe/server";
import { stripeClient } from "../../sandbox/stripe/test-client";
import { startApp, TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, type AppProcess } from "../support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { testPiiKeyring } from "../support/pii";
import { decryptPii } from "../../app/privacy/pii-crypto.server";

/**
 * Settings › Stripe against the app as its own process, the local Stripe and
 * the Payments Apps sandbox: the key checked at Stripe before anything is saved,
 * the webhook endpoint registered and removed there, each shop seeing only its
 * own accounts, the uninstall webhook answered without waiting for Stripe, and
 * no key or signing secret in the app's output.
 */
const A = "stripe-a.myshopify.com";
const B = "stripe-b.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const SETTINGS = "/app/settings";

let database: TestDatabase;
let shopify: PaymentsAppsSandbox;
let stripe: StripeSandbox;
let app: AppProcess;
let merchantA: AccountKeys;
let merchantB: AccountKeys;
const secretsSeen: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  shopify = await startPaymentsAppsSandbox();
  stripe = await startStripeSandbox({ port: 0 });
  merchantA = stripe.createAccount();
  merchantB = stripe.createAccount();
  for (const shop of [A, B]) {
    await installShop(database.db, shop);
    shopify.registerShop(shop, `shpat_test_${shop}`);
  }
  app = await startApp({ DATABASE_URL: database.url, PAYMENTS_APPS_API_ORIGIN: shopify.url, STRIPE_API_BASE: stripe.url, WORKER_ENABLED: "false" });
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await Promise.all([shopify?.stop(), stripe?.close()]);
  await database?.drop();
});

const tokenFor = (shop: string) => signSessionToken({ shop, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, userId: "42" });

/** The Settings page as staff of `shop` sees it: a document load in the admin frame, or a form post (App Bridge's bearer token). */
async function asStaff(shop: string, form?: Record<string, string>): Promise<{ status: number; html: string }> {
  const url = new URL(SETTINGS, app.url);
  if (!form) for (const [key, value] of embeddedAppQuery({ shop, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, userId: "42" })) url.searchParams.set(key, value);
  const response = await fetch(url, {
    method: form ? "POST" : "GET",
    headers: { "User-Agent": BROWSER, ...(form ? { Authorization: `Bearer ${tokenFor(shop)}`, "Content-Type": "application/x-www-form-urlencoded" } : {}) },
    ...(form ? { body: new URLSearchParams(form) } : {}),
    redirect: "manual",
  });
  // Without React's markers between adjacent texts.
  return { status: response.status, html: (await response.text()).replaceAll("<!-- -->", "") };
}

const connect = (shop: string, mode: string, apiKey: string) => {
  secretsSeen.push(apiKey);
  return asStaff(shop, { intent: "connect-provider", mode, apiKey });
};

async function stripeRequests() {
  return ((await (await fetch(`${stripe.url}/_sandbox/requests`)).json()) as { data: unknown[] }).data;
}

async function endpointsAt(key: string) {
  return (await stripeClient(stripe, key).webhookEndpoints.list({ limit: 100 })).data;
}

async function rememberSigningSecrets(shop: string) {
  for (const row of await database.db.providerAccount.findMany({ where: { shop } })) {
    if (row.webhookSecretEncrypted) secretsSeen.push(decryptPii(testPiiKeyring(), "ProviderAccount.webhookSigningSecret", row.webhookSecretEncrypted));
  }
}

describe("Settings › Stripe", () => {
  it("refuses a publishable key with a 422 naming the key field, saving nothing and asking Stripe nothing", async () => {
    const requests = (await stripeRequests()).length;
    const response = await connect(A, "test", merchantA.testPublishableKey);
    expect(response.status).toBe(422);
    expect(response.html).toContain("This is a publishable key (pk_…), which cannot make payments");
    expect(response.html).not.toContain(merchantA.testPublishableKey);
    expect(await stripeRequests()).toHaveLength(requests);
    expect(await database.db.providerAccount.count()).toBe(0);
  });

  it("refuses a key Stripe does not know with a 422, and nothing is saved", async () => {
    const response = await connect(A, "live", "sk_live_ThisKeyWasRolledLongAgo9z");
    expect(response.status).toBe(422);
    expect(response.html).toContain("Stripe did not accept this key");
    expect(await database.db.providerAccount.count()).toBe(0);
  });

  it("connects a live account: registered at Stripe, shown by its last four, and the app is ready at Shopify", async () => {
    const response = await connect(A, "live", merchantA.liveSecretKey);
    expect(response.status).toBe(200);
    expect(response.html).toContain(`Stripe live account ${merchantA.account} is connected with the secret key •••• ${merchantA.liveSecretKey.slice(-4)}.`);
    expect(response.html).not.toContain(merchantA.liveSecretKey);
    expect(shopify.configuration(A)).toMatchObject({ ready: true });

    const [endpoint] = await endpointsAt(merchantA.liveSecretKey);
    const row = await database.db.providerAccount.findFirstOrThrow({ where: { shop: A } });
    expect(endpoint?.url).toBe(`${TEST_APP_URL}/providers/stripe/webhooks?account=${row.id}`);
    await rememberSigningSecrets(A);

    const page = await asStaff(A);
    expect(page.status).toBe(200);
    expect(page.html).toMatch(new RegExp(`Connected: <strong>${merchantA.account}</strong>, secret key •••• ${merchantA.liveSecretKey.slice(-4)}, since`));
    expect(page.html).not.toContain(merchantA.liveSecretKey);
    expect(page.html).not.toContain(merchantA.liveSecretKey.slice(8, 24));
  });

  it("shows and changes only the signed-in shop's accounts", async () => {
    const page = await asStaff(B);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(merchantA.account);
    expect(page.html).not.toContain("Connected:");
    const response = await asStaff(B, { intent: "disconnect-provider", mode: "live" });
    expect(response.html).toContain("No Stripe live account was connected.");
    expect(await endpointsAt(merchantA.liveSecretKey)).toHaveLength(1);
    expect(shopify.configuration(A)).toMatchObject({ ready: true });
  });

  it("disconnecting removes the endpoint at Stripe and the account, and the app is not ready any more", async () => {
    const response = await asStaff(A, { intent: "disconnect-provider", mode: "live" });
    expect(response.status).toBe(200);
    expect(await endpointsAt(merchantA.liveSecretKey)).toHaveLength(0);
    expect(await database.db.providerAccount.count({ where: { shop: A } })).toBe(0);
    expect(shopify.configuration(A)).toMatchObject({ ready: false });
  });
});

describe("uninstalling", () => {
  it("answers Shopify at once even while Stripe hangs, and the endpoints are removed once Stripe answers", async () => {
    expect((await connect(B, "test", merchantB.testRestrictedKey)).status).toBe(200);
    await rememberSigningSecrets(B);
    expect(await endpointsAt(merchantB.testSecretKey)).toHaveLength(1);

    // Stripe holds the endpoint's deletion for 4 s before doing it. Shopify's 200
    // arrives while the endpoint still exists: the answer did not wait for Stripe.
    stripe.faults.add({ kind: "latency", latencyMs: 4000, path: "/v1/webhook_endpoints", method: "DELETE" });
    const sender = createWebhookSender({ appUrl: app.url, apiSecret: TEST_API_SECRET, shop: B, attempts: 1 });
    const answer = await sender.send("app/uninstalled");
    expect(answer.status).toBe(200);
    expect(await endpointsAt(merchantB.testSecretKey)).toHaveLength(1);
    // Released at once: no provider uses the account any more.
    expect(await database.db.providerAccount.count({ where: { shop: B, removalRequestedAt: null } })).toBe(0);

    await expect.poll(() => endpointsAt(merchantB.testSecretKey), { timeout: 30_000, interval: 200 }).toHaveLength(0);
    await expect.poll(() => database.db.providerAccount.count({ where: { shop: B } }), { timeout: 5000, interval: 100 }).toBe(0);
  });
});

describe("the app's output", () => {
  it("holds no API key and no webhook signing secret", () => {
    expect(secretsSeen.length).toBeGreaterThanOrEqual(5);
    const output = JSON.stringify(app.logs) + app.stderr.join("\n");
    for (const secret of secretsSeen) expect(output).not.toContain(secret);
    // The key's body without its prefix either.
    for (const secret of secretsSeen) expect(output).not.toContain(secret.slice(8, 24));
  });
});
