import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startPaymentsAppsSandbox, type PaymentsAppsSandbox } from "../../sandbox/payments-apps/server";
import { startApp, type AppProcess } from "../support/app-process";
import { submit, visit, waitUntilRedirected } from "../support/buyer";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { followUpBody, paymentBody, post, SHOP, shopifyHeaders } from "../support/shopify-requests";

let database: TestDatabase;
let shopify: PaymentsAppsSandbox;
let app: AppProcess;

const TOKEN = `shpat_test_${SHOP}`;

// Fast clocks so that retries, pending payments and timeouts play out in seconds.
const appEnv = () => ({
  DATABASE_URL: database.url,
  PAYMENTS_APPS_API_ORIGIN: shopify.url,
  WORKER_POLL_MS: "50",
  DELIVERY_RETRY_SCHEDULE: "0.1,0.2,0.3,0.5,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1",
  DELIVERY_RETRY_JITTER: "0",
  PAYMENTS_APPS_TIMEOUT_MS: "1500",
  SANDBOX_PENDING_SECONDS: "1",
  PROVIDER_TIMEOUT_MS: "300",
  PROVIDER_RECHECK_SECONDS: "1",
});

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  shopify = await startPaymentsAppsSandbox();
  shopify.registerShop(SHOP, TOKEN);
  app = await startApp(appEnv());
});

afterEach(() => shopify.clearFaults());

afterAll(async () => {
  await app?.stop();
  await shopify?.stop();
  await database?.drop();
});

/** Shopify opens a payment session: it knows the session, and asks the app for the buyer link. */
async function openPayment(overrides: Record<string, unknown> = {}) {
  const body = paymentBody(overrides);
  shopify.registerSession({ gid: body.gid, shop: SHOP, kind: "payment", paymentKind: body.kind === "authorization" ? "authorization" : "sale" });
  const response = await post(app.url, "/sessions/payment", body);
  expect(response.status).toBe(201);
  return { body, link: response.json.redirect_url.replace("https://payments-app.test", app.url) as string };
}

const executed = (field: string, gid: string) => shopify.calls.filter((c) => c.executed && c.mutations.includes(field) && c.variables?.id === gid);
const attempted = (field: string, gid: string) => shopify.calls.filter((c) => c.mutations.includes(field) && c.variables?.id === gid);

async function delivery(gid: string, operation: string) {
  return database.db.delivery.findFirst({ where: { sessionGid: gid, operation: operation as never }, include: { attemptLog: { orderBy: { number: "asc" } } } });
}

async function waitForDelivery(gid: string, operation: string, status: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await delivery(gid, operation);
    if (row?.status === status) return row;
    if (Date.now() > deadline) throw new Error(`delivery ${operation} of ${gid} is ${row?.status ?? "missing"}, not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("a test payment, from the buyer link to Shopify", () => {
  it("shows the amount in the buyer's language, resolves once on approve, and sends the buyer to Shopify's next action", async () => {
    const { body, link } = await openPayment({ amount: "1234.50", currency: "CAD", customer: { ...paymentBody().customer, locale: "fr" } });

    const page = await visit(app.url, link);
    expect(page.status).toBe(200);
    // French groups with a narrow no-break space and puts the symbol after a no-break space.
    expect(page.html.replace(/[\u202f\u00a0]/g, " ")).toContain("1 234,50 $");
    // One language per page: the French buyer's words too.
    expect(page.html).toContain('<html lang="fr" dir="ltr">');
    expect(page.html).toContain("Mode test");
    expect(page.html).not.toContain("Test mode");

    const afterPay = await submit(app.url, link, { intent: "pay", scenario: "approve" });
    const landed = afterPay.leftTo ? afterPay : await waitUntilRedirected(app.url, link);

    expect(landed.leftTo).toBe(`${shopify.url}/checkouts/${body.id}/thank_you`);
    expect(executed("paymentSessionResolve", body.gid)).toHaveLength(1);
    expect(attempted("paymentSessionResolve", body.gid)).toHaveLength(1);
    expect(shopify.sessions.get(body.gid)?.state?.code).toBe("RESOLVED");

    // A second visit after completion redirects again and never pays twice.
    const again = await submit(app.url, link, { intent: "pay", scenario: "decline" });
    expect(again.leftTo).toBe(landed.leftTo);
    expect(attempted("paymentSessionReject", body.gid)).toHaveLength(0);
    expect(executed("paymentSessionResolve", body.gid)).toHaveLength(1);
  });

  it("sends authorizationExpiresAt when resolving an authorization", async () => {
    const { body, link } = await openPayment({ kind: "authorization" });
    await submit(app.url, link, { intent: "pay", scenario: "approve" });
    await waitForDelivery(body.gid, "PAYMENT_RESOLVE", "SUCCEEDED");
    const sent = executed("paymentSessionResolve", body.gid)[0]?.variables?.authorizationExpiresAt as string;
    const days = (new Date(sent).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
  });

  it("rejects a declined payment with the provider's reason and sends the buyer back to checkout", async () => {
    const { body, link } = await openPayment();
    await submit(app.url, link, { intent: "pay", scenario: "decline", declineCode: "INSUFFICIENT_FUNDS" });
    const landed = await waitUntilRedirected(app.url, link);
    expect(landed.leftTo).toContain(`/checkouts/${body.id}/payment`);
    expect(executed("paymentSessionReject", body.gid)[0]?.variables?.reason).toMatchObject({ code: "INSUFFICIENT_FUNDS" });
  });

  it("goes through a 3-D Secure challenge before resolving", async () => {
    const { body, link } = await openPayment();
    const challenge = await submit(app.url, link, { intent: "pay", scenario: "challenge" });
    expect(challenge.url).toBe(`${link}/challenge`);
    expect(challenge.html).toContain("3-D Secure");
    const passed = await submit(app.url, `${link}/challenge`, { challenge: "pass" });
    const landed = passed.leftTo ? passed : await waitUntilRedirected(app.url, link);
    expect(landed.leftTo).toContain("/thank_you");
    expect(executed("paymentSessionResolve", body.gid)).toHaveLength(1);
  });

  it("marks a slow payment pending, then resolves it before pendingExpiresAt", async () => {
    const { body, link } = await openPayment();
    await submit(app.url, link, { intent: "pay", scenario: "pending-approve" });
    // Sent on to Shopify: to its pending page, or, if this machine was slower than the
    // provider's one-second pending, to what follows the approval. Either is right.
    const landed = await waitUntilRedirected(app.url, link);
    expect(landed.leftTo).toMatch(/\/pending|\/checkouts\//);
    await expect.poll(() => attempted("paymentSessionPending", body.gid).length, { timeout: 60_000 }).toBeGreaterThan(0);
    const pending = attempted("paymentSessionPending", body.gid)[0];
    const expiresInHours = (new Date(pending?.variables?.pendingExpiresAt as string).getTime() - Date.now()) / 3_600_000;
    expect(expiresInHours).toBeGreaterThan(71);
    expect(expiresInHours).toBeLessThanOrEqual(72);

    await waitForDelivery(body.gid, "PAYMENT_RESOLVE", "SUCCEEDED");
    expect(shopify.sessions.get(body.gid)?.state?.code).toBe("RESOLVED");
  });

  it("asks the provider again after a timeout and resolves without charging twice", async () => {
    const { body, link } = await openPayment();
    const waiting = await submit(app.url, link, { intent: "pay", scenario: "timeout" });
    // Unless this machine was slower than the one-second recheck, the buyer reads that the provider has not answered yet.
    const settled = await database.db.paymentSession.findFirstOrThrow({ where: { gid: body.gid } });
    // (paymentBody's buyer reads French.)
    if (settled.status !== "RESOLVED") expect(waiting.html).toContain("Nous attendons la réponse du prestataire de paiement");
    await waitForDelivery(body.gid, "PAYMENT_RESOLVE", "SUCCEEDED");
    const charges = await database.db.sandboxCharge.count({ where: { paymentId: (await database.db.paymentSession.findFirstOrThrow({ where: { gid: body.gid } })).id } });
    expect(charges).toBe(1);
  });

  it("sends the buyer to cancel_url and changes nothing", async () => {
    const { body, link } = await openPayment();
    const cancelled = await submit(app.url, link, { intent: "cancel" });
    expect(cancelled.leftTo).toBe(body.payment_method.data.cancel_url);
    expect((await database.db.paymentSession.findFirstOrThrow({ where: { gid: body.gid } })).status).toBe("OPEN");
  });

  it("answers 404 for a tampered link", async () => {
    const { link } = await openPayment();
    const tampered = link.slice(0, -1) + (link.endsWith("A") ? "B" : "A");
    expect((await visit(app.url, tampered)).status).toBe(404);
  });
});

describe("delivery through faults", () => {
  it("keeps retrying through 503s, a timeout, a connection reset and throttling, and resolves exactly once", async () => {
    const { body, link } = await openPayment();
    const attempts = () => attempted("paymentSessionResolve", body.gid).length;
    // Each fault in turn, for one attempt at least, then Shopify recovers. Every fault
    // lasts until the next replaces it: an attempt between two (a retry sooner than
    // this test's poll, on a busy machine) meets a fault too, never a recovered Shopify.
    shopify.setFaults({ errorRate: 1, only: "paymentSessionResolve" });
    await submit(app.url, link, { intent: "pay", scenario: "approve" });
    await expect.poll(attempts, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    for (const fault of [{ timeoutRate: 1 }, { resetRate: 1 }, { throttle: true }] as const) {
      const before = attempts();
      shopify.setFaults({ ...fault, only: "paymentSessionResolve" });
      await expect.poll(attempts, { timeout: 60_000 }).toBeGreaterThan(before);
    }
    shopify.clearFaults();

    const done = await waitForDelivery(body.gid, "PAYMENT_RESOLVE", "SUCCEEDED");
    expect(executed("paymentSessionResolve", body.gid)).toHaveLength(1);
    expect(attempts()).toBeGreaterThanOrEqual(6);
    expect(new Set(shopify.calls.filter((c) => c.variables?.id === body.gid).map((c) => c.outcome))).toEqual(
      new Set(["fault:http-503", "fault:timeout", "fault:reset", "fault:throttled", "ok"]),
    );
    expect(done.attemptLog.at(-1)?.outcome).toBe("SUCCESS");
    expect(done.attemptLog.slice(0, -1).every((attempt) => attempt.outcome === "RETRYABLE")).toBe(true);
    expect((await waitUntilRedirected(app.url, link)).leftTo).toContain("/thank_you");
  });

  it("relies on Shopify's idempotency when an answer was lost after the mutation ran", async () => {
    const { body, link } = await openPayment();
    shopify.setFaults({ failNext: 1, applyThenFail: true, only: "paymentSessionResolve" });
    await submit(app.url, link, { intent: "pay", scenario: "approve" });
    await waitForDelivery(body.gid, "PAYMENT_RESOLVE", "SUCCEEDED");
    expect(attempted("paymentSessionResolve", body.gid)).toHaveLength(2);
    expect(shopify.sessions.get(body.gid)?.state?.code).toBe("RESOLVED");
  });

  it("does not retry userErrors: the delivery fails with Shopify's code and message", async () => {
    const { body, link } = await openPayment();
    // Shopify already rejected the session (say, the checkout expired).
    const rejectedBefore = await fetch(`${shopify.url}/payments_apps/api/2026-04/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": TOKEN },
      body: JSON.stringify({
        query: "mutation($id: ID!) { paymentSessionReject(id: $id, reason: { code: PROCESSING_ERROR }) { userErrors { field message } } }",
        variables: { id: body.gid },
      }),
    });
    expect(rejectedBefore.status).toBe(200);

    await submit(app.url, link, { intent: "pay", scenario: "approve" });
    const failed = await waitForDelivery(body.gid, "PAYMENT_RESOLVE", "FAILED");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(attempted("paymentSessionResolve", body.gid)).toHaveLength(1);
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatch(/\S/);
  });

  it("holds a shop's deliveries when Shopify refuses its token", async () => {
    const shop = "revoked-shop.myshopify.com";
    await installShop(database.db, shop);
    shopify.registerShop(shop, "a-different-token");
    const body = paymentBody();
    shopify.registerSession({ gid: body.gid, shop, kind: "payment" });
    const response = await post(app.url, "/sessions/payment", body, shopifyHeaders(shop));
    const link = (response.json.redirect_url as string).replace("https://payments-app.test", app.url);
    await submit(app.url, link, { intent: "pay", scenario: "approve" });

    await expect.poll(async () => (await database.db.shop.findUniqueOrThrow({ where: { domain: shop } })).needsReinstallAt, { timeout: 60_000 }).not.toBeNull();
    const held = await delivery(body.gid, "PAYMENT_RESOLVE");
    expect(held?.status).toBe("PENDING");
    const callsSoFar = attempted("paymentSessionResolve", body.gid).length;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(attempted("paymentSessionResolve", body.gid)).toHaveLength(callsSoFar);
  });
});

describe("refunds, captures and voids", () => {
  async function approvedPayment(overrides: Record<string, unknown>) {
    const opened = await openPayment(overrides);
    await submit(app.url, opened.link, { intent: "pay", scenario: "approve" });
    await waitForDelivery(opened.body.gid, "PAYMENT_RESOLVE", "SUCCEEDED");
    return opened.body;
  }

  async function follow(type: "refund" | "capture" | "void", paymentId: string, overrides: Record<string, unknown> = {}) {
    const sessionType = ({ refund: "RefundSession", capture: "CaptureSession", void: "VoidSession" } as const)[type];
    const body = followUpBody(sessionType, paymentId, overrides);
    shopify.registerSession({ gid: body.gid, shop: SHOP, kind: type });
    expect((await post(app.url, `/sessions/${type}`, body)).status).toBe(201);
    return body;
  }

  it("processes an authorization's two captures, a refund, and rejects an over-refund", async () => {
    const payment = await approvedPayment({ kind: "authorization", amount: "100.00" });
    const first = await follow("capture", payment.id, { amount: "30.00" });
    const second = await follow("capture", payment.id, { amount: "50.00" });
    await waitForDelivery(first.gid, "CAPTURE_RESOLVE", "SUCCEEDED");
    await waitForDelivery(second.gid, "CAPTURE_RESOLVE", "SUCCEEDED");

    const refund = await follow("refund", payment.id, { amount: "80.00" });
    await waitForDelivery(refund.gid, "REFUND_RESOLVE", "SUCCEEDED");
    const overRefund = await follow("refund", payment.id, { amount: "0.01" });
    await waitForDelivery(overRefund.gid, "REFUND_REJECT", "SUCCEEDED");

    expect(shopify.sessions.get(first.gid)?.state?.code).toBe("RESOLVED");
    expect(shopify.sessions.get(refund.gid)?.state?.code).toBe("RESOLVED");
    expect(shopify.sessions.get(overRefund.gid)?.state).toMatchObject({ code: "REJECTED", reason: "PROCESSING_ERROR" });
  });

  it("voids an authorization and rejects a capture of an expired one with AUTHORIZATION_EXPIRED", async () => {
    const payment = await approvedPayment({ kind: "authorization" });
    const voided = await follow("void", payment.id);
    await waitForDelivery(voided.gid, "VOID_RESOLVE", "SUCCEEDED");

    const other = await approvedPayment({ kind: "authorization" });
    await database.db.paymentSession.updateMany({ where: { gid: other.gid }, data: { authorizationExpiresAt: new Date(Date.now() - 1000) } });
    const late = await follow("capture", other.id);
    await waitForDelivery(late.gid, "CAPTURE_REJECT", "SUCCEEDED");
    expect(executed("captureSessionReject", late.gid)[0]?.variables?.reason).toMatchObject({ code: "AUTHORIZATION_EXPIRED" });
  });

  it("rejects a refund the provider declines", async () => {
    const payment = await approvedPayment({ amount: "50.00" });
    const refund = await follow("refund", payment.id, { amount: "10.99" });
    await waitForDelivery(refund.gid, "REFUND_REJECT", "SUCCEEDED");
    expect((await database.db.refundSession.findFirstOrThrow({ where: { gid: refund.gid } })).status).toBe("REJECTED");
  });
});
