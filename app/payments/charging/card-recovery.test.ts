import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevelopmentCardKey } from "../../../sandbox/card-keys";
import { cardDocument, encryptCardForApp } from "../../../sandbox/shopify/card-encryption";
import { createTestDatabase, installShop, type TestDatabase } from "../../../test/support/database";
import { testPiiKeyring } from "../../../test/support/pii";
import { paymentBody, SHOP } from "../../../test/support/shopify-requests";
import { readCardKeyringFile } from "../../cards/card-keyring.server";
import { createProviderRegistry } from "../../providers/provider-registry.server";
import { createSandboxProvider, SANDBOX_TEST_CARDS } from "../../providers/sandbox-provider.server";
import { applyCardChargeResult } from "../outcomes/card-outcomes.server";
import { claimDueDeliveries } from "../../delivery/claims.server";
import { settleAttempts } from "../../delivery/send-delivery.server";
import { claimCardPayment, rejectStrandedRefusedRedirects, rejectUnclaimedCardPayments, type CardPaymentServices, type ReceivedCard } from "./card-payments.server";
import { applyChargeResult, checkDuePayments, type ProcessingPolicy } from "./payment-charging.server";
import { createPaymentReceiptStore, type PaymentReceiptStore } from "../receipt/payment-receipt-store.server";
import { receivePaymentSession } from "../receipt/payment-sessions.server";
import { paymentSessionRequestSchema } from "../receipt/session-request-schemas";

/**
 * Card payments' recovery rules with the real parts below the HTTP edge: the
 * receipt store records the session as the route does, claimCardPayment is what
 * the route runs next, and a clock is injected where the rule waits.
 */
const GRACE_MS = 5 * 60_000;
const policy: ProcessingPolicy = {
  providerTimeoutMs: 2000,
  authorizationValidityMs: 7 * 86_400_000,
  pendingExpiryMs: 86_400_000,
  pendingSafetyMarginMs: 3_600_000,
  recheckMs: 1000,
};

let database: TestDatabase;
let receipts: PaymentReceiptStore;
let services: CardPaymentServices;
let keyDir: string;
let certificatePem: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  receipts = createPaymentReceiptStore(database.url);
  keyDir = mkdtempSync(path.join(tmpdir(), "card-recovery-"));
  const key = await createDevelopmentCardKey(keyDir);
  certificatePem = key.certificatePem;
  const sandbox = createSandboxProvider(database.db, { pendingSeconds: 0, hangMs: 100, challengeUrl: () => "challenge" });
  services = {
    db: database.db,
    providers: createProviderRegistry(sandbox, sandbox),
    keyring: readCardKeyringFile(key.keyFile),
    buyerLink: { appUrl: "https://payments-app.test", secret: "card-recovery-test-secret", ttlHours: 24 },
    policy,
  };
});

afterAll(async () => {
  await receipts?.close();
  await database?.drop();
  rmSync(keyDir, { recursive: true, force: true });
});

/** Shopify's request for a card payment: each send encrypts the card anew, as Shopify's retries may. */
function cardRequest(pan: string = SANDBOX_TEST_CARDS.approve) {
  const body = paymentBody({ payment_method: { type: "credit_card", data: { moto: false } } });
  const send = () => {
    const encrypted = encryptCardForApp({ certificatePem }, cardDocument({ pan, month: 12, year: 2030, fullName: "Ottoline Brackenbury", cvc: "123" }));
    return paymentSessionRequestSchema.parse({ ...body, payment_method: { type: "credit_card", data: { ...encrypted, moto: false } } });
  };
  return { gid: body.gid, send };
}

/** What the session route does with a request: record it (idempotent), then decrypt and claim. */
async function receive(request: ReturnType<typeof paymentSessionRequestSchema.parse>, now: Date) {
  const { row } = await receivePaymentSession(receipts, testPiiKeyring(), { shop: SHOP, requestId: "req", apiVersion: "2026-04" }, request);
  if (request.payment_method.type !== "credit_card") throw new Error("a card request");
  const { moto, ...encrypted } = request.payment_method.data;
  const received: ReceivedCard = { encrypted, moto: moto ?? false, clientDetails: null };
  return { id: row.id, claim: () => claimCardPayment(services, row.id, received, now) };
}

const deliveriesOf = (paymentSessionId: string) =>
  database.db.delivery.findMany({ where: { paymentSessionId }, select: { operation: true }, orderBy: { createdAt: "asc" } }).then((rows) => rows.map((r) => r.operation));
const chargesOf = (paymentSessionId: string) => database.db.providerCall.count({ where: { paymentSessionId, operation: "CHARGE" } });

describe("rule 3: a card payment recorded but never claimed (the process died before the claim)", () => {
  it("is charged once by Shopify's retry within the grace period; later retries change nothing", async () => {
    const receivedAt = new Date();
    const request = cardRequest();
    // The first request was recorded; its process died before it decrypted and claimed the card.
    const first = await receive(request.send(), receivedAt);
    expect(await database.db.paymentSession.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "OPEN", cardChargeClaimedAt: null });

    // Within the grace period the worker leaves it alone: a retry may still come.
    const withinGrace = new Date(receivedAt.getTime() + GRACE_MS - 1000);
    expect(await rejectUnclaimedCardPayments(database.db, 10, withinGrace, GRACE_MS)).toBe(0);

    const retry = await receive(request.send(), withinGrace);
    expect(retry.id).toBe(first.id);
    const charge = await retry.claim();
    expect(charge).not.toBeNull();
    // Another retry while the first one charges: claimed already, nothing to run.
    expect(await (await receive(request.send(), withinGrace)).claim()).toBeNull();
    const settled = await charge?.();
    expect(settled).toMatchObject({ status: "RESOLVED", cardLast4: "4242" });
    expect(await chargesOf(first.id)).toBe(1);
    expect(await deliveriesOf(first.id)).toEqual(["PAYMENT_RESOLVE"]);

    // Long after, the worker's sweep and one more retry change nothing.
    const later = new Date(receivedAt.getTime() + 10 * GRACE_MS);
    expect(await rejectUnclaimedCardPayments(database.db, 10, later, GRACE_MS)).toBe(0);
    expect(await (await receive(request.send(), later)).claim()).toBeNull();
    expect(await chargesOf(first.id)).toBe(1);
    expect(await database.db.paymentSession.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "RESOLVED" });
  });

  it("is rejected as a processing error through the outbox once the grace period has passed, and a late retry charges nothing", async () => {
    const receivedAt = new Date();
    const request = cardRequest();
    const recorded = await receive(request.send(), receivedAt);

    const afterGrace = new Date(receivedAt.getTime() + GRACE_MS + 1000);
    expect(await rejectUnclaimedCardPayments(database.db, 10, afterGrace, GRACE_MS)).toBeGreaterThanOrEqual(1);
    expect(await database.db.paymentSession.findUniqueOrThrow({ where: { id: recorded.id } })).toMatchObject({
      status: "REJECTED",
      rejectionCode: "PROCESSING_ERROR",
      cardLast4: null,
    });
    expect(await deliveriesOf(recorded.id)).toEqual(["PAYMENT_REJECT"]);

    // Shopify's retry after that: answered as before (the route's 201), nothing to charge.
    expect(await (await receive(request.send(), afterGrace)).claim()).toBeNull();
    expect(await rejectUnclaimedCardPayments(database.db, 10, afterGrace, GRACE_MS)).toBe(0);
    expect(await chargesOf(recorded.id)).toBe(0);
    expect(await database.db.sandboxCharge.count({ where: { paymentId: recorded.id } })).toBe(0);
    expect(await deliveriesOf(recorded.id)).toEqual(["PAYMENT_REJECT"]);
  });
});

describe("rule 2 without a crash: a claimed card payment the provider never received", () => {
  it("is rejected as a processing error by the worker's check, and the card is never charged", async () => {
    const now = new Date();
    const recorded = await receive(cardRequest().send(), now);
    // Claimed (the provider check time set), then the process died before calling the provider.
    expect(await recorded.claim()).not.toBeNull();
    const due = new Date(now.getTime() + policy.providerTimeoutMs + policy.recheckMs + 1);
    expect(await checkDuePayments(database.db, services.providers, policy, 50, due)).toBeGreaterThanOrEqual(1);
    expect(await database.db.paymentSession.findUniqueOrThrow({ where: { id: recorded.id } })).toMatchObject({ status: "REJECTED", rejectionCode: "PROCESSING_ERROR" });
    expect(await chargesOf(recorded.id)).toBe(0);
    expect(await database.db.sandboxCharge.count({ where: { paymentId: recorded.id } })).toBe(0);
    expect(await deliveriesOf(recorded.id)).toEqual(["PAYMENT_REJECT"]);
  });
});

describe("pending is never reported for a card (Shopify refuses paymentSessionPending for cards)", () => {
  it.each([
    ["the charge's answer", "card"],
    ["the worker's status check", "worker"],
  ] as const)("a provider's pending in %s leaves the payment open, to be asked again, with no paymentSessionPending", async (_label, path) => {
    const now = new Date();
    const recorded = await receive(cardRequest().send(), now);
    const payment = await database.db.paymentSession.findUniqueOrThrow({ where: { id: recorded.id } });
    const checkAfter = new Date(now.getTime() + 60_000);
    const pending = { status: "pending", reference: "prov_pending_1", checkAfter } as const;
    const after =
      path === "card"
        ? await applyCardChargeResult(database.db, payment, pending, { threeDSecurePage: () => "https://payments-app.test/pay/x/challenge", authorizationValidityMs: policy.authorizationValidityMs }, now)
        : await applyChargeResult(database.db, payment, pending, policy, now);
    expect(after).toMatchObject({ status: "OPEN", pendingExpiresAt: null, providerCheckAt: checkAfter });
    expect(await deliveriesOf(recorded.id)).toEqual([]);
    expect(await database.db.delivery.count({ where: { operation: "PAYMENT_PENDING" } })).toBe(0);
  });
});

describe("a refused 3-D Secure redirect whose worker died before rejecting the payment", () => {
  it("is found by the worker's sweep from the failed delivery and rejected once, without authentication", async () => {
    const now = new Date();
    const recorded = await receive(cardRequest(SANDBOX_TEST_CARDS.threeDSecure).send(), now);
    const challenged = await (await recorded.claim())?.();
    expect(challenged?.threeDSecureRedirectUrl).toMatch(/\/challenge$/);
    expect(await deliveriesOf(recorded.id)).toEqual(["PAYMENT_REDIRECT"]);

    // The worker sends the redirect, Shopify refuses it as too late, the refusal is noted …
    const owner = "card-recovery-test-worker";
    const claimed = (await claimDueDeliveries(database.db, owner, 100, 60_000)).filter((d) => d.paymentSessionId === recorded.id);
    expect(claimed).toHaveLength(1);
    const detail = "BUYER_ALREADY_REDIRECTED_BY_SHOPIFY: Shopify already moved the buyer on; the redirect came too late.";
    const [delivery] = claimed;
    if (!delivery) throw new Error("no redirect delivery");
    await settleAttempts(database.db, owner, [
      { delivery, startedAt: now, durationMs: 5, outcome: "USER_ERRORS", httpStatus: 200, detail, status: "FAILED", counted: true, lastError: detail },
    ]);
    // … and the process dies before it rejects the payment.
    expect(await database.db.paymentSession.findUniqueOrThrow({ where: { id: recorded.id } })).toMatchObject({ status: "OPEN" });

    expect(await rejectStrandedRefusedRedirects(database.db, 10, now)).toBe(1);
    expect(await database.db.paymentSession.findUniqueOrThrow({ where: { id: recorded.id } })).toMatchObject({
      status: "REJECTED",
      rejectionCode: "AUTHENTICATION_FAILED",
      threeDSecureRedirectUrl: null,
      threeDSecureAuthentication: null,
    });
    expect(await deliveriesOf(recorded.id)).toEqual(["PAYMENT_REDIRECT", "PAYMENT_REJECT"]);
    // The next sweep finds nothing more.
    expect(await rejectStrandedRefusedRedirects(database.db, 10, now)).toBe(0);
    expect(await deliveriesOf(recorded.id)).toEqual(["PAYMENT_REDIRECT", "PAYMENT_REJECT"]);
  });
});
