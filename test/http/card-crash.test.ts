import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevelopmentCardKey, type DevelopmentCardKey } from "../../sandbox/card-keys";
import { cardDocument, encryptCardForApp } from "../../sandbox/shopify/card-encryption";
import { SANDBOX_TEST_CARDS } from "../../app/providers/sandbox-provider.server";
import { useAppsOnOneDatabase } from "../support/apps-on-one-database";
import { paymentBody, post, SHOP } from "../support/shopify-requests";

/**
 * Card payments' recovery rule 2 (app/payments/charging/card-payments.server.ts): the
 * process dies with kill -9 after claiming a card payment, while the provider
 * has the charge but has not answered. The card is gone with the process; the
 * next process's worker asks the provider what became of the charge and applies
 * its answer: one charge, one outcome, nothing charged again.
 */
const stack = useAppsOnOneDatabase({
  WORKER_POLL_MS: "50",
  DELIVERY_RETRY_SCHEDULE: "0.1,0.2,0.5,1,1,1,1,1,1,1",
  DELIVERY_RETRY_JITTER: "0",
  // The sandbox's no-answer card keeps the call waiting PROVIDER_TIMEOUT_MS + 1 s; the charge settles (approved) at once.
  PROVIDER_TIMEOUT_MS: "5000",
  PROVIDER_RECHECK_SECONDS: "1",
  SANDBOX_PENDING_SECONDS: "0",
});

let dir: string;
let cardKey: DevelopmentCardKey;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "card-crash-"));
  cardKey = await createDevelopmentCardKey(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The card as Shopify sends it: encrypted anew for each request (a fresh ephemeral key). */
function encryptedCard(pan: string) {
  const encrypted = encryptCardForApp({ certificatePem: cardKey.certificatePem }, cardDocument({ pan, month: 12, year: 2030, fullName: "Ottoline Brackenbury", cvc: "123" }));
  return { type: "credit_card", data: { ...encrypted, moto: false } };
}

describe("a card payment whose process is killed (kill -9) after the claim, before the provider answered", () => {
  it("is settled by the next process's worker from the provider's answer: charged once, resolved once", async () => {
    const launchWithKey = () => stack.launch({ CARD_DECRYPTION_KEY_FILE: cardKey.keyFile });
    const first = await launchWithKey();
    const body = paymentBody({ payment_method: encryptedCard(SANDBOX_TEST_CARDS.noAnswer) });
    stack.shopify.registerSession({ gid: body.gid, shop: SHOP, kind: "payment", paymentMethod: "credit_card", supports3ds: true, confirmationSupported: true });

    const answer = await post(first.url, "/sessions/payment", body);
    expect(answer).toMatchObject({ status: 201, json: {} });
    const { db } = stack.database;
    const payment = await db.paymentSession.findFirstOrThrow({ where: { gid: body.gid } });

    // The provider has the charge; its answer is still on the way when the process dies.
    await expect.poll(() => db.sandboxCharge.count({ where: { paymentId: payment.id } }), { timeout: 30_000 }).toBe(1);
    await first.crash();

    const claimed = await db.paymentSession.findUniqueOrThrow({ where: { id: payment.id } });
    expect(claimed).toMatchObject({ status: "OPEN", cardLast4: "7899" });
    expect(claimed.cardChargeClaimedAt).not.toBeNull();
    expect(claimed.providerCheckAt).not.toBeNull();
    expect(await db.delivery.count({ where: { paymentSessionId: payment.id } })).toBe(0);

    // Shopify's retry of the request (its 201 lost) reaches the next process: nothing is charged again.
    const next = await launchWithKey();
    expect(await post(next.url, "/sessions/payment", { ...body, payment_method: encryptedCard(SANDBOX_TEST_CARDS.noAnswer) })).toMatchObject({ status: 201, json: {} });

    await expect.poll(() => stack.shopify.sessions.get(body.gid)?.state?.code ?? null, { timeout: 60_000 }).toBe("RESOLVED");
    // The app notes Shopify's answer just after Shopify applied it.
    await expect
      .poll(() => db.delivery.findMany({ where: { paymentSessionId: payment.id }, select: { operation: true, status: true } }), { timeout: 30_000 })
      .toEqual([{ operation: "PAYMENT_RESOLVE", status: "SUCCEEDED" }]);
    const settled = await db.paymentSession.findUniqueOrThrow({ where: { id: payment.id } });
    expect(settled).toMatchObject({ status: "RESOLVED", providerReference: `sbx_${payment.id}`, providerCheckAt: null });
    // One charge: the killed process's call (never noted, it died in it) and no other; the worker only asked.
    expect(await db.providerCall.count({ where: { paymentSessionId: payment.id, operation: "CHARGE" } })).toBe(0);
    expect(await db.providerCall.count({ where: { paymentSessionId: payment.id, operation: "CHARGE_STATUS", result: "approved" } })).toBe(1);
    expect(await db.sandboxCharge.count({ where: { paymentId: payment.id } })).toBe(1);
    // One outcome: Shopify applied exactly one resolve, and nothing else, for this session.
    const executed = stack.shopify.calls.filter((c) => c.executed && c.variables?.id === body.gid).map((c) => c.mutations[0]);
    expect(executed).toEqual(["paymentSessionResolve"]);
  });
});

describe("a provider answering pending for a card", () => {
  it("is asked again until it decides; Shopify never receives paymentSessionPending for the card", async () => {
    // The no-answer card's call times out (5 s); the charge then stays pending with the provider until 8 s.
    const app = await stack.launch({ CARD_DECRYPTION_KEY_FILE: cardKey.keyFile, SANDBOX_PENDING_SECONDS: "8" });
    const body = paymentBody({ payment_method: encryptedCard(SANDBOX_TEST_CARDS.noAnswer) });
    stack.shopify.registerSession({ gid: body.gid, shop: SHOP, kind: "payment", paymentMethod: "credit_card", supports3ds: true, confirmationSupported: true });
    expect(await post(app.url, "/sessions/payment", body)).toMatchObject({ status: 201, json: {} });

    await expect.poll(() => stack.shopify.sessions.get(body.gid)?.state?.code ?? null, { timeout: 60_000 }).toBe("RESOLVED");
    const { db } = stack.database;
    const payment = await db.paymentSession.findFirstOrThrow({ where: { gid: body.gid } });
    // The provider did say pending (the worker's status checks), and the app kept it to itself.
    const checks = await db.providerCall.findMany({ where: { paymentSessionId: payment.id, operation: "CHARGE_STATUS" }, select: { result: true } });
    expect(checks.map((c) => c.result)).toContain("pending");
    expect(stack.shopify.calls.filter((c) => c.variables?.id === body.gid).flatMap((c) => c.mutations)).not.toContain("paymentSessionPending");
    expect(stack.shopify.calls.filter((c) => c.executed && c.variables?.id === body.gid).map((c) => c.mutations[0])).toEqual(["paymentSessionResolve"]);
    expect(await db.delivery.count({ where: { paymentSessionId: payment.id, operation: "PAYMENT_PENDING" } })).toBe(0);
    expect(await db.paymentSession.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: "RESOLVED", pendingExpiresAt: null });
  });
});
