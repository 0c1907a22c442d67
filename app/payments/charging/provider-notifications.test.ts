import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startStripeSandbox, type StripeSandbox } from "../../../sandbox/stripe/server";
import { control, eventually, payWithCard, stripeClient, submitOnPage } from "../../../sandbox/stripe/test-client";
import type { TestDatabase } from "../../../test/support/database";
import { createPaymentRow, createShopDatabase } from "../../../test/support/payment-rows";
import { InMemoryProviderAccounts } from "../../../test/support/provider-accounts";
import { logger } from "../../logger.server";
import type { HostedPageContext } from "../../providers/payment-provider";
import type { ProviderAccountCredentials } from "../../providers/provider-accounts";
import { createProviderRegistry, type ProviderRegistry } from "../../providers/provider-registry.server";
import { createSandboxProvider } from "../../providers/sandbox-provider.server";
import { createStripeProvider } from "../../providers/stripe/stripe-provider.server";
import { STRIPE_WEBHOOK_EVENTS } from "../../providers/stripe/webhook-events";
import { chargePayment, checkDuePayments, processDueFollowUps, type ProcessingPolicy } from "./payment-charging.server";
import { serveProviderWebhook } from "../../inbound/providers/provider-webhook-endpoint.server";

const SHOP = "notified.myshopify.com";
const POLICY: ProcessingPolicy = { providerTimeoutMs: 10_000, authorizationValidityMs: 7 * 86_400_000, pendingExpiryMs: 72 * 3_600_000, pendingSafetyMarginMs: 3_600_000, recheckMs: 1_000 };

describe("Stripe's webhooks at POST /providers/stripe/webhooks, over real HTTP", () => {
  let database: TestDatabase;
  let sandbox: StripeSandbox;
  let stripe: Stripe;
  let server: Server;
  let appUrl: string;
  let registry: ProviderRegistry;
  let account: ProviderAccountCredentials;
  const accounts = new InMemoryProviderAccounts();
  /** What the route answered, per delivery, in order. */
  const answers: { eventId: string | null; status: number; outcome: string | null }[] = [];
  const logged: string[] = [];

  beforeAll(async () => {
    for (const level of ["info", "warn", "error"] as const) {
      vi.spyOn(logger, level).mockImplementation(((...args: unknown[]) => void logged.push(JSON.stringify(args))));
    }
    database = await createShopDatabase(SHOP);
    sandbox = await startStripeSandbox({ port: 0, webhookRetryDelaysMs: [50, 100, 200] });
    const keys = sandbox.accounts[0]!;
    stripe = stripeClient(sandbox, keys.testSecretKey);
    registry = createProviderRegistry(createSandboxProvider(database.db, { pendingSeconds: 1, hangMs: 100, challengeUrl: () => "challenge" }), null, {
      accounts,
      factories: { stripe: (connected) => createStripeProvider(connected, { apiBase: sandbox.url, recheckMs: 1_000 }) },
    });
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const url = `http://${req.headers.host}${req.url}`;
        const request = new Request(url, { method: req.method, headers: req.headers as Record<string, string>, body: req.method === "POST" ? body : undefined });
        const name = /^\/providers\/([^/]+)\/webhooks/.exec(new URL(url).pathname)?.[1];
        void serveProviderWebhook(database.db, registry, POLICY, request, name).then(async (response) => {
          const text = await response.text();
          let eventId: string | null = null;
          try {
            eventId = (JSON.parse(body) as { id?: string }).id ?? null;
          } catch {
            // not JSON: the answer says so
          }
          answers.push({ eventId, status: response.status, outcome: (JSON.parse(text) as { outcome?: string }).outcome ?? null });
          res.writeHead(response.status, { "content-type": "application/json" }).end(text);
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const accountId = `acct-${randomUUID()}`;
    const endpoint = await stripe.webhookEndpoints.create({ url: `${appUrl}/providers/stripe/webhooks?account=${accountId}`, enabled_events: [...STRIPE_WEBHOOK_EVENTS] });
    account = accounts.connect({ accountId, shop: SHOP, provider: "stripe", mode: "test", apiKey: keys.testSecretKey, webhookSigningSecret: endpoint.secret ?? null });
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await new Promise((resolve) => server.close(resolve));
    await sandbox.close();
    await database.drop();
  });

  function hosted(paymentId: string): HostedPageContext {
    return { shop: SHOP, returnUrl: `${appUrl}/pay/${paymentId}/return`, cancelUrl: `${appUrl}/pay/${paymentId}/cancel`, locale: null, expiresAt: new Date(Date.now() + 72 * 3_600_000) };
  }

  /** An open payment of the shop sent to Stripe's page: answers the page. */
  async function chargedPayment(kind: "SALE" | "AUTHORIZATION" = "SALE") {
    const row = await createPaymentRow(database.db, SHOP, new Date(), { status: "OPEN", resolvedAt: null, kind, providerName: "stripe" });
    const { result } = await chargePayment(database.db, registry, row, {}, POLICY, hosted(row.id));
    if (result.status !== "redirect") throw new Error(`expected a redirect, got ${result.status}`);
    return { id: row.id, gid: row.gid, page: { id: result.reference, url: result.url } };
  }

  const statusOf = async (id: string) => (await database.db.paymentSession.findUniqueOrThrow({ where: { id } })).status;
  const deliveriesOf = (gid: string) => database.db.delivery.findMany({ where: { sessionGid: gid }, select: { operation: true } });

  async function allDelivered() {
    return eventually(async () => {
      const { body } = await control(sandbox, "deliveries");
      const deliveries = body as { data?: { state: string }[] } | { state: string }[];
      const list = Array.isArray(deliveries) ? deliveries : (deliveries.data ?? []);
      return list.every((delivery) => delivery.state !== "pending" && delivery.state !== "retrying");
    }, "every webhook delivery to settle");
  }

  it("resolves a payment from the webhook that arrives before the buyer returns, with one delivery to Shopify", async () => {
    const payment = await chargedPayment();

    await payWithCard(payment.page, "4242424242424242");

    await eventually(async () => (await statusOf(payment.id)) === "RESOLVED", "the webhook to resolve the payment");
    expect(await deliveriesOf(payment.gid)).toEqual([{ operation: "PAYMENT_RESOLVE" }]);
    await eventually(() => database.db.providerEvent.count({ where: { shop: SHOP, type: "checkout.session.completed" } }), "the event to be recorded");
  });

  it("applies a duplicated event once: the repeat is answered 200 as a duplicate", async () => {
    await control(sandbox, "webhooks/duplicate", { count: 10 });
    const payment = await chargedPayment();

    await payWithCard(payment.page, "4242424242424242");

    await eventually(async () => (await statusOf(payment.id)) === "RESOLVED", "the payment to resolve");
    await allDelivered();
    await eventually(() => answers.some((answer) => answer.outcome === "duplicate"), "a duplicate to be answered");
    const duplicated = answers.find((answer) => answer.outcome === "duplicate")!;
    expect(answers.filter((answer) => answer.eventId === duplicated.eventId).map((answer) => answer.status)).toEqual([200, 200]);
    expect(await database.db.providerEvent.count({ where: { eventId: duplicated.eventId! } })).toBe(1);
    expect(await deliveriesOf(payment.gid)).toEqual([{ operation: "PAYMENT_RESOLVE" }]);
  });

  it("never lets an older event overwrite a newer state: events released newest first leave one resolve and no pending", async () => {
    await control(sandbox, "webhooks/hold", {});
    const payment = await chargedPayment();
    await submitOnPage(payment.page, { method: "bank_debit", outcome: "manual" });
    const intent = (await stripe.checkout.sessions.retrieve(payment.page.id)).payment_intent as string;
    await control(sandbox, `payment_intents/${intent}/settle`, { outcome: "succeeded" });

    const released = await control(sandbox, "webhooks/release", {});
    expect(released.body).toEqual({ released: expect.any(Number) });
    expect((released.body as { released: number }).released).toBeGreaterThanOrEqual(3);

    await eventually(async () => (await statusOf(payment.id)) === "RESOLVED", "the payment to resolve");
    await allDelivered();
    expect(await statusOf(payment.id)).toBe("RESOLVED");
    expect(await deliveriesOf(payment.gid)).toEqual([{ operation: "PAYMENT_RESOLVE" }]);
  });

  it("resolves a refund Stripe settles later from its refund.updated webhook", async () => {
    const payment = await chargedPayment();
    await payWithCard(payment.page, "4242424242424242");
    await eventually(async () => (await statusOf(payment.id)) === "RESOLVED", "the payment to resolve");
    const refund = await database.db.refundSession.create({
      data: {
        shop: SHOP, shopifyId: `r-${randomUUID()}`, gid: `gid://shopify/RefundSession/${randomUUID()}`, paymentSessionId: payment.id,
        amountMinor: 1000n, amount: "10.00", currency: "USD", test: true, merchantLocale: "en", proposedAt: new Date(),
        shopifyApiVersion: "2026-04", shopifyRequestId: randomUUID(), requestHash: randomUUID(),
      },
    });
    await control(sandbox, "refunds/hold", { count: 1 });

    await processDueFollowUps(database.db, registry, POLICY, 10);
    const held = await database.db.refundSession.findUniqueOrThrow({ where: { id: refund.id } });
    expect(held).toMatchObject({ status: "RECEIVED", providerReference: expect.stringMatching(/^re_/), providerUndecidedAt: null });
    await control(sandbox, `refunds/${held.providerReference}/settle`, { outcome: "succeeded" });

    await eventually(async () => (await database.db.refundSession.findUniqueOrThrow({ where: { id: refund.id } })).status === "RESOLVED", "the refund to resolve");
    expect(await deliveriesOf(refund.gid)).toEqual([{ operation: "REFUND_RESOLVE" }]);
  });

  it("resolves a payment whose webhooks were all lost at the worker's next check (reconciliation; runs last: drops stay armed)", async () => {
    await control(sandbox, "webhooks/drop", { count: 100 });
    const payment = await chargedPayment("AUTHORIZATION");
    await payWithCard(payment.page, "4242424242424242");
    await allDelivered();
    expect(await statusOf(payment.id)).toBe("OPEN");

    await checkDuePayments(database.db, registry, POLICY, 50, new Date(Date.now() + 60_000));

    const resolved = await database.db.paymentSession.findUniqueOrThrow({ where: { id: payment.id } });
    expect(resolved.status).toBe("RESOLVED");
    expect(resolved.providerReference).toMatch(/^pi_/);
    // Stripe's capture deadline, not the app's policy.
    const charge = (await stripe.charges.list({ payment_intent: resolved.providerReference! })).data[0]!;
    expect(resolved.authorizationExpiresAt).toEqual(new Date(charge.payment_method_details!.card!.capture_before! * 1000));
  });

  async function post(path: string, body: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${appUrl}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    return { status: response.status, body: (await response.json()) as { ok?: boolean; outcome?: string; error?: { code: string } } };
  }

  it("answers 400 to a bad signature and changes nothing", async () => {
    const payload = JSON.stringify({ id: `evt_${randomUUID()}`, type: "checkout.session.completed", data: { object: {} } });
    const forged = stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_not_the_accounts" });

    const answer = await post(`/providers/stripe/webhooks?account=${account.accountId}`, payload, { "stripe-signature": forged });

    expect(answer).toEqual({ status: 400, body: { error: expect.objectContaining({ code: "BAD_SIGNATURE" }) } });
    expect(await database.db.providerEvent.count({ where: { eventId: JSON.parse(payload).id } })).toBe(0);
  });

  it("answers 404 to an unknown account, and 400 without one", async () => {
    expect((await post("/providers/stripe/webhooks?account=acct-nobody", "{}", { "stripe-signature": "t=1,v1=00" })).status).toBe(404);
    expect((await post("/providers/nobody/webhooks?account=" + account.accountId, "{}")).status).toBe(404);
    expect((await post("/providers/stripe/webhooks", "{}")).status).toBe(400);
  });

  it("answers 200 and ignores a signed event of a type the app does not use", async () => {
    const payload = JSON.stringify({ id: `evt_${randomUUID()}`, object: "event", type: "customer.created", data: { object: { id: "cus_1", object: "customer" } } });
    const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: account.webhookSigningSecret! });

    const answer = await post(`/providers/stripe/webhooks?account=${account.accountId}`, payload, { "stripe-signature": signature });

    expect(answer).toEqual({ status: 200, body: { ok: true, outcome: "ignored" } });
  });

  it("never writes the API key or the signing secret to the log", () => {
    expect(logged.length).toBeGreaterThan(0);
    const all = logged.join("\n");
    expect(all).not.toContain(account.apiKey);
    expect(all).not.toContain(account.webhookSigningSecret!);
    expect(all).not.toContain("4242424242424242");
  });
});
