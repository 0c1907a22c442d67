import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenedPayment } from "../sandbox/shopify/simulator";
import { submit, visit, waitUntilRedirected } from "../test/support/buyer";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * The whole contract end to end: Shopify's requests over real mTLS from the
 * simulator, the app as its own process, the buyer's browser on the payment
 * page, and the outcomes arriving at the local Payments Apps API.
 */
let stack: SandboxStack;

beforeAll(async () => {
  stack = await startSandboxStack("journeys.myshopify.com", {
    SANDBOX_PENDING_SECONDS: "1",
    PROVIDER_RECHECK_SECONDS: "1",
    DELIVERY_RETRY_SCHEDULE: "0.1,0.2,0.3,0.5,1,1,1,1",
    DELIVERY_RETRY_JITTER: "0",
  });
});

afterAll(() => stack?.stop());

const buyerLink = (payment: OpenedPayment) => payment.redirectUrl ?? "";
const shopifyState = (gid: string) => stack.shopify.sessions.get(gid)?.state;

async function pay(payment: OpenedPayment, scenario: string, extra: Record<string, string> = {}) {
  const page = await submit(stack.app.url, buyerLink(payment), { intent: "pay", scenario, ...extra });
  return page.leftTo ? page : waitUntilRedirected(stack.app.url, buyerLink(payment));
}

async function settled(gid: string) {
  await expect.poll(() => shopifyState(gid)?.code ?? null, { timeout: 60_000 }).not.toBeNull();
  return shopifyState(gid);
}

describe("checkout journeys through the sandbox", () => {
  it("a test sale: opened over mTLS, paid on the buyer page, resolved once, buyer sent to the thank-you page", async () => {
    const payment = await stack.simulator.startPayment({ kind: "sale", amount: "49.99", currency: "USD" });
    expect(payment.response.status).toBe(201);

    const landed = await pay(payment, "approve");

    expect(landed.leftTo).toBe(`${stack.storefront.url}/checkouts/${payment.id}/thank_you`);
    expect(stack.shopify.calls.filter((c) => c.executed && c.variables?.id === payment.gid).map((c) => c.mutations[0])).toEqual(["paymentSessionResolve"]);
  });

  it("an authorization in JPY: two partial captures, a refund, and an over-refund rejected", async () => {
    const payment = await stack.simulator.startPayment({ kind: "authorization", amount: "10000", currency: "JPY" });
    await pay(payment, "approve");
    expect((await settled(payment.gid))?.code).toBe("RESOLVED");

    const first = await stack.simulator.followUp("capture", payment, "6000");
    const second = await stack.simulator.followUp("capture", payment, "4000");
    expect([first.response.status, second.response.status]).toEqual([201, 201]);
    expect((await settled(first.gid))?.code).toBe("RESOLVED");
    expect((await settled(second.gid))?.code).toBe("RESOLVED");

    const refund = await stack.simulator.followUp("refund", payment, "7000");
    expect((await settled(refund.gid))?.code).toBe("RESOLVED");
    const overRefund = await stack.simulator.followUp("refund", payment, "3001");
    expect(await settled(overRefund.gid)).toMatchObject({ code: "REJECTED", reason: "PROCESSING_ERROR" });
  });

  it("an authorization in KWD voided", async () => {
    const payment = await stack.simulator.startPayment({ kind: "authorization", amount: "12.345", currency: "KWD" });
    await pay(payment, "approve");
    await settled(payment.gid);
    const voided = await stack.simulator.followUp("void", payment);
    expect((await settled(voided.gid))?.code).toBe("RESOLVED");
  });

  it("a declined payment, a pending one resolved before expiry, and a 3-D Secure challenge", async () => {
    const declined = await stack.simulator.startPayment();
    expect((await pay(declined, "decline", { declineCode: "EXPIRED_CARD" })).leftTo).toContain("/payment");
    expect(await settled(declined.gid)).toMatchObject({ code: "REJECTED", reason: "EXPIRED_CARD" });

    const pending = await stack.simulator.startPayment({ customer: "email-only" });
    // Shopify's pending page, or, on a machine slower than the provider's one-second
    // pending, what follows the approval: either is right.
    expect((await pay(pending, "pending-approve")).leftTo).toMatch(/\/pending|\/thank_you/);
    await expect.poll(() => stack.shopify.calls.some((c) => c.mutations[0] === "paymentSessionPending" && c.variables?.id === pending.gid), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => shopifyState(pending.gid)?.code, { timeout: 60_000 }).toBe("RESOLVED");

    const challenged = await stack.simulator.startPayment({ customer: "none" });
    await submit(stack.app.url, buyerLink(challenged), { intent: "pay", scenario: "challenge" });
    // The challenge page at once, or, on a machine slower than the buyer page's wait, after the waiting page.
    await expect.poll(async () => (await visit(stack.app.url, buyerLink(challenged))).html, { timeout: 60_000 }).toContain("3-D Secure");
    await submit(stack.app.url, `${buyerLink(challenged)}/challenge`, { challenge: "fail" });
    expect(await settled(challenged.gid)).toMatchObject({ code: "REJECTED", reason: "AUTHENTICATION_FAILED" });
  });

  it("duplicate and concurrent retries of one request make one session and identical answers", async () => {
    const payment = await stack.simulator.startPayment();
    const retries = await Promise.all(Array.from({ length: 10 }, () => stack.simulator.send("/sessions/payment", payment.body)));
    expect(new Set(retries.map((r) => JSON.stringify([r.status, r.body])))).toEqual(new Set([JSON.stringify([201, payment.response.body])]));
    expect(await stack.database.db.paymentSession.count({ where: { gid: payment.gid } })).toBe(1);
  });

  it("delivers through a burst of Payments Apps faults", async () => {
    const payment = await stack.simulator.startPayment();
    stack.shopify.setFaults({ failNext: 3, only: "paymentSessionResolve" });
    await submit(stack.app.url, buyerLink(payment), { intent: "pay", scenario: "approve" });
    await expect.poll(() => shopifyState(payment.gid)?.code, { timeout: 30_000 }).toBe("RESOLVED");
    const attempts = stack.shopify.calls.filter((c) => c.variables?.id === payment.gid).map((c) => c.outcome);
    expect(attempts).toEqual(["fault:http-503", "fault:http-503", "fault:http-503", "ok"]);
  });
});
