import type { Browser, Page } from "playwright-core";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenedPayment } from "../sandbox/shopify/simulator";
import type { AccountKeys } from "../sandbox/stripe/accounts";
import { startStripeSandbox, type StripeSandbox } from "../sandbox/stripe/server";
import { control, stripeClient } from "../sandbox/stripe/test-client";
import { submit, visit, waitUntilRedirected } from "../test/support/buyer";
import { launchBrowser, screenshot } from "./support/browser";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * The whole journey with the local Stripe as the shop's provider: the sandbox
 * checkout opens a payment over mTLS, the app's buyer page sends the buyer (303)
 * to Stripe's hosted page on its own origin, the buyer pays with a test card and
 * comes back to the app's return page, and the local Payments Apps API gets the
 * outcome once; the merchant's captures, refunds and voids reach Stripe. The shop
 * connects its test account through Settings in Chromium, as a merchant does.
 */
let stack: SandboxStack;
let stripe: StripeSandbox;
let merchant: AccountKeys;
let api: Stripe;
let browser: Browser;

const SHOP = "stripe-journeys.myshopify.com";
const CARDS = { ok: "4242424242424242", declined: "4000000000000002", secure: "4000002760003184" };

beforeAll(async () => {
  stripe = await startStripeSandbox({ port: 0, webhookRetryDelaysMs: [50, 100, 200] });
  merchant = stripe.createAccount();
  api = stripeClient(stripe, merchant.testSecretKey);
  stack = await startSandboxStack(SHOP, {
    STRIPE_API_BASE: stripe.url,
    PROVIDER_RECHECK_SECONDS: "1",
    DELIVERY_RETRY_SCHEDULE: "0.1,0.2,0.3,0.5,1,1,1,1",
    DELIVERY_RETRY_JITTER: "0",
  });
  browser = await launchBrowser();
  await connectTestAccount();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await stripe?.close();
});

/** Settings › Stripe in the sandbox admin's frame, with the account's test secret key. */
async function connectTestAccount() {
  const page = await browser.newPage({ locale: "en-US", viewport: { width: 1280, height: 1100 } });
  await page.goto(`${stack.storefront.url}${stack.storefront.admin?.path}/settings`);
  const frame = await (await page.waitForSelector("iframe#app")).contentFrame();
  if (!frame) throw new Error("no app frame");
  await frame.getByLabel("Stripe test key").fill(merchant.testSecretKey);
  await frame.getByRole("button", { name: "Connect the Stripe test account" }).click();
  await frame.getByText(`Stripe test account ${merchant.account} is connected`, { exact: false }).waitFor();
  await page.close();
}

const shopifyState = (gid: string) => stack.shopify.sessions.get(gid)?.state;
const mutationsFor = (gid: string) => stack.shopify.calls.filter((c) => c.executed && c.variables?.id === gid).map((c) => c.mutations[0]);
const paymentRow = (gid: string) => stack.database.db.paymentSession.findFirstOrThrow({ where: { gid } });

async function settled(gid: string) {
  await expect.poll(() => shopifyState(gid)?.code ?? null, { timeout: 30_000 }).not.toBeNull();
  return shopifyState(gid);
}

/** The buyer presses pay on the app's page: the app answers 303 to Stripe's hosted page. */
async function toStripe(payment: Pick<OpenedPayment, "redirectUrl">): Promise<string> {
  const page = await submit(stack.app.url, payment.redirectUrl ?? "", { intent: "pay", scenario: "approve" });
  expect(page.status).toBe(303);
  expect(page.leftTo?.startsWith(`${stripe.url}/c/pay/cs_test_`)).toBe(true);
  return page.leftTo!;
}

/** A form post on Stripe's page, as the browser sends it; answers where Stripe sends the buyer next (null: the page again). */
async function postOnStripe(url: string, fields: Record<string, string>): Promise<{ status: number; location: string | null; html: string }> {
  const response = await fetch(url, { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });
  const location = response.headers.get("location");
  return { status: response.status, location: location ? new URL(location, url).toString() : null, html: await response.text() };
}

const payByCard = (url: string, number: string) => postOnStripe(url, { method: "card", card_number: number, expiry: "12 / 34", cvc: "123" });

/** Back at the app's return page: the app reads Stripe and sends the buyer on (to Shopify, once Shopify has the outcome). */
async function comeBack(returnUrl: string) {
  expect(returnUrl.startsWith(`${stack.app.url}/pay/`) && returnUrl.includes("/return")).toBe(true);
  const first = await visit(stack.app.url, returnUrl);
  return first.leftTo ? first : waitUntilRedirected(stack.app.url, returnUrl.replace(/\/return(\?.*)?$/, ""));
}

async function paidWith(payment: Pick<OpenedPayment, "redirectUrl">, card: string) {
  const page = await toStripe(payment);
  const paid = await payByCard(page, card);
  expect(paid.status).toBe(303);
  return { page, landed: await comeBack(paid.location!) };
}

interface Order {
  /** Shopify's id of the payment (the order page's). */
  id: string;
  gid: string;
  redirectUrl: string;
}

/** The sandbox checkout's form, posted as the browser does: the app's buyer link it answers with, and the payment it opened. */
async function checkoutAt(fields: { amount: string; currency: string; kind: "sale" | "authorization" }): Promise<Order> {
  const response = await fetch(`${stack.storefront.url}/checkout`, { method: "POST", body: new URLSearchParams({ ...fields, test: "true", method: "offsite" }), redirect: "manual" });
  expect(response.status).toBe(303);
  const redirectUrl = response.headers.get("location") ?? "";
  expect(redirectUrl.startsWith(`${stack.app.url}/pay/`)).toBe(true);
  const row = await stack.database.db.paymentSession.findFirstOrThrow({ where: { shop: SHOP }, orderBy: { receivedAt: "desc" } });
  return { id: row.shopifyId, gid: row.gid, redirectUrl };
}

/** The merchant's button on the sandbox order page; answers the gid of the session Shopify sent the app. */
async function merchantAction(order: Order, kind: "capture" | "refund" | "void", amount?: string): Promise<string> {
  const response = await fetch(`${stack.storefront.url}/orders/${order.id}/${kind}`, { method: "POST", body: new URLSearchParams(amount ? { amount } : {}), redirect: "manual" });
  expect([response.status, response.headers.get("location")]).toEqual([303, `/checkouts/${order.id}/thank_you`]);
  const { id: paymentSessionId } = await paymentRow(order.gid);
  const where = { where: { paymentSessionId }, select: { gid: true } };
  const db = stack.database.db;
  const sessions = kind === "capture" ? await db.captureSession.findMany(where) : kind === "refund" ? await db.refundSession.findMany(where) : await db.voidSession.findMany(where);
  const fresh = sessions.map((session) => session.gid).filter((gid) => !followUpsSeen.has(gid));
  expect(fresh).toHaveLength(1);
  followUpsSeen.add(fresh[0]!);
  return fresh[0]!;
}
const followUpsSeen = new Set<string>();

async function intentOf(gid: string): Promise<Stripe.PaymentIntent> {
  const reference = (await paymentRow(gid)).providerReference;
  expect(reference).toMatch(/^pi_/);
  return api.paymentIntents.retrieve(reference!);
}

describe("checkout journeys through the local Stripe", () => {
  it("a sale in Chromium: checkout → app → Stripe's hosted page → 4242… → back → one paymentSessionResolve; a refund from the order page reaches Stripe", async () => {
    const page: Page = await browser.newPage({ locale: "en-US" });
    await page.goto(`${stack.storefront.url}/checkout`);
    await page.getByLabel("Amount").fill("25.50");
    await page.getByLabel("Buyer").selectOption("mary.jones@example.com");
    await page.getByRole("button", { name: "Pay with Payments App" }).click();
    await page.waitForURL(/\/pay\//);
    expect(page.url().startsWith(`${stack.app.url}/pay/`)).toBe(true);
    // A test payment of a shop with a Stripe test account: Stripe decides, so the page offers no sandbox outcomes.
    expect(await page.getByRole("button", { name: "Approve", exact: true }).count()).toBe(0);
    await page.getByRole("button", { name: /^Pay .*25[.,]50/ }).click();

    await page.waitForURL(`${stripe.url}/c/pay/**`);
    await page.getByLabel("Card number").fill("4242 4242 4242 4242");
    await page.getByLabel("Expiry (MM / YY)").fill("12 / 34");
    await page.getByLabel("CVC").fill("123");
    await screenshot(page, "stripe-journey-01-hosted-page");
    await page.getByRole("button", { name: "Pay 25.50 USD" }).click();

    await page.waitForURL(`${stack.storefront.url}/checkouts/**/thank_you`, { timeout: 60_000 });
    await expect.poll(() => page.getByTestId("state").textContent()).toBe("RESOLVED");
    await screenshot(page, "stripe-journey-02-thank-you");
    const shopifyId = /\/checkouts\/([^/]+)\/thank_you/.exec(page.url())![1]!;

    // The merchant refunds part of it on the order page: a Refund at Stripe.
    await page.getByLabel(/^Refund amount/).fill("10.00");
    await page.getByRole("button", { name: "Refund" }).click();
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator("table").textContent();
      }, { timeout: 30_000 })
      .toContain("RESOLVED");
    await page.close();

    const row = await stack.database.db.paymentSession.findFirstOrThrow({ where: { shop: SHOP, shopifyId } });
    expect(row).toMatchObject({ status: "RESOLVED", providerName: "stripe" });
    expect(mutationsFor(row.gid)).toEqual(["paymentSessionResolve"]);
    const intent = await intentOf(row.gid);
    expect({ status: intent.status, amount: intent.amount_received, currency: intent.currency }).toEqual({ status: "succeeded", amount: 2550, currency: "usd" });
    expect((await api.refunds.list({ payment_intent: intent.id })).data.map((refund) => [refund.amount, refund.status])).toEqual([[1000, "succeeded"]]);
  });

  it("an authorization from the sandbox checkout; from its order page a partial capture reaches Stripe, the second is refused (no multicapture), a refund reaches Stripe", async () => {
    const order = await checkoutAt({ amount: "100.00", currency: "USD", kind: "authorization" });
    const { landed } = await paidWith(order, CARDS.ok);
    expect(landed.leftTo).toBe(`${stack.storefront.url}/checkouts/${order.id}/thank_you`);
    expect(mutationsFor(order.gid)).toEqual(["paymentSessionResolve"]);
    expect((await intentOf(order.gid)).status).toBe("requires_capture");

    const first = await merchantAction(order, "capture", "60.00");
    expect((await settled(first))?.code).toBe("RESOLVED");
    const captured = await intentOf(order.gid);
    expect({ status: captured.status, received: captured.amount_received }).toEqual({ status: "succeeded", received: 6000 });
    // Stripe ends the PaymentIntent at its first capture and releases the rest: a second capture is rejected, never charged.
    const second = await merchantAction(order, "capture", "40.00");
    expect((await settled(second))?.code).toBe("REJECTED");
    expect((await intentOf(order.gid)).amount_received).toBe(6000);

    const refund = await merchantAction(order, "refund", "25.00");
    expect((await settled(refund))?.code).toBe("RESOLVED");
    const refunds = await api.refunds.list({ payment_intent: captured.id });
    expect(refunds.data.map((r) => [r.amount, r.status])).toEqual([[2500, "succeeded"]]);
    expect(mutationsFor(first)).toEqual(["captureSessionResolve"]);
    expect(mutationsFor(refund)).toEqual(["refundSessionResolve"]);
  });

  it("a void from the order page cancels the PaymentIntent at Stripe: voidSessionResolve", async () => {
    const order = await checkoutAt({ amount: "30.00", currency: "EUR", kind: "authorization" });
    await paidWith(order, CARDS.ok);
    expect((await settled(order.gid))?.code).toBe("RESOLVED");

    const voided = await merchantAction(order, "void");
    expect((await settled(voided))?.code).toBe("RESOLVED");
    expect(mutationsFor(voided)).toEqual(["voidSessionResolve"]);
    expect((await intentOf(order.gid)).status).toBe("canceled");
  });

  it("a declined card keeps the buyer on Stripe's page, as Stripe does; nothing reaches Shopify; a good card then pays", async () => {
    const payment = await stack.simulator.startPayment({ amount: "12.00" });
    const page = await toStripe(payment);

    const declined = await payByCard(page, CARDS.declined);
    // Stripe's page again, with the decline (402, the status of Stripe's card_error).
    expect(declined.status).toBe(402);
    expect(declined.html).toContain("Your card was declined.");
    // Back at the app's page meanwhile: Stripe's page is still open, so the buyer goes there again.
    const again = await visit(stack.app.url, payment.redirectUrl ?? "");
    expect(again.leftTo).toBe(page);
    expect(mutationsFor(payment.gid)).toEqual([]);
    expect((await paymentRow(payment.gid)).status).toBe("OPEN");

    const paid = await payByCard(page, CARDS.ok);
    const landed = await comeBack(paid.location!);
    expect(landed.leftTo).toBe(`${stack.storefront.url}/checkouts/${payment.id}/thank_you`);
    expect(mutationsFor(payment.gid)).toEqual(["paymentSessionResolve"]);
  });

  it("3-D Secure (4000 0027 6000 3184) passed on the hosted page", async () => {
    const payment = await stack.simulator.startPayment({ amount: "42.00" });
    const page = await toStripe(payment);

    const challenged = await payByCard(page, CARDS.secure);
    expect(challenged.location).toBe(`${page}/3ds`);
    const passed = await postOnStripe(challenged.location!, { result: "complete" });
    expect(passed.status).toBe(303);
    const landed = await comeBack(passed.location!);

    expect(landed.leftTo).toBe(`${stack.storefront.url}/checkouts/${payment.id}/thank_you`);
    expect(mutationsFor(payment.gid)).toEqual(["paymentSessionResolve"]);
    const intent = await api.paymentIntents.retrieve((await paymentRow(payment.gid)).providerReference!, { expand: ["latest_charge"] });
    expect((intent.latest_charge as Stripe.Charge).payment_method_details?.card?.three_d_secure?.result).toBe("authenticated");
  });

  it("the webhook arriving before the buyer returns resolves the payment; the buyer's return then changes nothing", async () => {
    const payment = await stack.simulator.startPayment({ amount: "18.00" });
    const page = await toStripe(payment);
    const paid = await payByCard(page, CARDS.ok);

    // The buyer is held on the way back; Stripe's checkout.session.completed reaches the app.
    await expect.poll(() => shopifyState(payment.gid)?.code ?? null, { timeout: 30_000 }).toBe("RESOLVED");
    const session = await api.checkout.sessions.retrieve((await api.checkout.sessions.list({ payment_intent: (await paymentRow(payment.gid)).providerReference! })).data[0]!.id);
    const completed = (await api.events.list({ type: "checkout.session.completed" })).data.find((event) => (event.data.object as { id: string }).id === session.id);
    expect(completed).toBeDefined();
    await expect.poll(() => stack.database.db.providerEvent.count({ where: { eventId: completed!.id } }), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => stack.app.logs.some((line) => line.msg === "provider webhook" && line.eventId === completed!.id && line.outcome === "applied" && line.status === 200), { timeout: 30_000 }).toBe(true);

    const landed = await comeBack(paid.location!);
    expect(landed.leftTo).toBe(`${stack.storefront.url}/checkouts/${payment.id}/thank_you`);
    expect(mutationsFor(payment.gid)).toEqual(["paymentSessionResolve"]);
  });

  it("no API key, signing secret or card number appears in the app's output", () => {
    const secrets = [...stripe.store.endpoints.values()].map((endpoint) => endpoint.secret);
    expect(secrets.length).toBeGreaterThan(0);
    const output = [JSON.stringify(stack.app.logs), ...stack.app.stderr].join("\n");
    expect(output.length).toBeGreaterThan(1000);
    const forbidden = [merchant.testSecretKey, merchant.testRestrictedKey, ...secrets, ...Object.values(CARDS), "4242 4242 4242 4242", ...Object.values(CARDS).map((card) => card.slice(-8))];
    for (const value of forbidden) expect(output, `the app's output contains ${value.slice(0, 7)}…`).not.toContain(value);
  });

  it("a lost webhook: every delivery dropped, reconciliation resolves the payment within the recheck interval (runs last: drops stay armed)", async () => {
    await control(stripe, "webhooks/drop", { count: 1000 });
    const payment = await stack.simulator.startPayment({ kind: "authorization", amount: "9.99" });
    const page = await toStripe(payment);
    await payByCard(page, CARDS.ok);

    // The buyer never comes back and no webhook arrives: the worker asks Stripe.
    await expect.poll(() => shopifyState(payment.gid)?.code ?? null, { timeout: 30_000 }).toBe("RESOLVED");
    expect(mutationsFor(payment.gid)).toEqual(["paymentSessionResolve"]);
    const deliveries = (await control(stripe, "deliveries")).body as { data?: { state: string }[] } | { state: string }[];
    const list = Array.isArray(deliveries) ? deliveries : (deliveries.data ?? []);
    expect(list.some((delivery) => delivery.state === "dropped")).toBe(true);
    const row = await paymentRow(payment.gid);
    expect(row.authorizationExpiresAt).not.toBeNull();
  });
});
