import type { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../../test/support/database";
import { createPaymentRow, createShopDatabase } from "../../test/support/payment-rows";
import { applyPaymentOutcome } from "../payments/outcomes/payment-outcomes.server";
import { receiveRefundSession } from "../payments/receipt/receive-follow-up.server";
import { processDueFollowUps, type ProcessingPolicy } from "../payments/charging/payment-charging.server";
import { refundSessionRequestSchema } from "../payments/receipt/session-request-schemas";
import type { PaymentProvider } from "../providers/payment-provider";
import { createProviderRegistry } from "../providers/provider-registry.server";
import { loadPaymentDetail } from "./payment-detail.server";

/** What support staff read about one payment, against a real database. */
const SHOP = "detail-shop.myshopify.com";
const PAST = new Date("2026-11-29T10:00:00.000Z");
const POLICY: ProcessingPolicy = { providerTimeoutMs: 5_000, authorizationValidityMs: 7 * 86_400_000, pendingExpiryMs: 3 * 86_400_000, pendingSafetyMarginMs: 3_600_000, recheckMs: 60_000 };

let database: TestDatabase;

beforeAll(async () => {
  database = await createShopDatabase(SHOP);
});

afterAll(async () => {
  await database?.drop();
});

const payment = (overrides: Partial<Prisma.PaymentSessionUncheckedCreateInput> = {}) => createPaymentRow(database.db, SHOP, PAST, { providerName: "sandbox", ...overrides });

const detail = (id: string) => loadPaymentDetail(database.db, SHOP, id, { locale: "en", apiVersion: "2026-04", linkTtlHours: 72 });
const titles = async (id: string) => (await detail(id)).timeline.map((event) => event.title);
const indexOf = (list: string[], pattern: RegExp) => list.findIndex((title) => pattern.test(title));

describe("the payment's timeline", () => {
  it("shows a refund refused at receipt as received, then rejected", async () => {
    const paid = await payment();
    const body = refundSessionRequestSchema.parse({ id: "r-over", gid: "gid://shopify/RefundSession/r-over", payment_id: paid.shopifyId, amount: "99.00", currency: "USD", test: true, merchant_locale: "en", proposed_at: PAST.toISOString() });
    await receiveRefundSession(database.db, { shop: SHOP, requestId: "rreq-over", apiVersion: "2026-04" }, body, new Date(PAST.getTime() + 60_000));
    const refund = await database.db.refundSession.findFirstOrThrow({ where: { shopifyId: "r-over" } });
    expect(refund.status).toBe("REJECTED");
    // One instant for the receipt and the rules' decision on it.
    expect(refund.receivedAt).toEqual(refund.rejectedAt);
    const list = await titles(paid.id);
    expect(indexOf(list, /^Shopify asked for a refund of \$99\.00$/)).toBeGreaterThanOrEqual(0);
    // Newest first: the refusal above the request it refused.
    expect(indexOf(list, /^Refund of \$99\.00 refused$/)).toBeLessThan(indexOf(list, /^Shopify asked for a refund of \$99\.00$/));
  });

  it("shows the provider's answer to a refund before the refund's outcome, however early the worker's pass began", async () => {
    const paid = await payment();
    await database.db.refundSession.create({
      data: { shop: SHOP, shopifyId: "r-ok", gid: "gid://shopify/RefundSession/r-ok", paymentSessionId: paid.id, amountMinor: 500n, amount: "5.00", currency: "USD", test: true, merchantLocale: "en", proposedAt: PAST, shopifyApiVersion: "2026-04", shopifyRequestId: "rreq-ok", requestHash: "x", receivedAt: PAST, processAfter: PAST },
    });
    const approving: PaymentProvider = { ...unused, name: "sandbox", refund: () => Promise.resolve({ status: "approved", reference: "ref-ok" }) };
    // The pass began a minute before the provider was asked (a long batch, a slow provider).
    await processDueFollowUps(database.db, createProviderRegistry(approving, null), POLICY, 10, new Date(Date.now() - 60_000));
    const list = await titles(paid.id);
    expect(indexOf(list, /^Asked sandbox to refund: approved$/)).toBeGreaterThanOrEqual(0);
    // Newest first: the refund's outcome above the provider's answer that caused it.
    expect(indexOf(list, /^Refund of \$5\.00 went through$/)).toBeLessThan(indexOf(list, /^Asked sandbox to refund: approved$/));
  });
});

describe("labels bound to a state", () => {
  it("says nothing of a pending reason once the payment is resolved", async () => {
    const open = await payment({ status: "OPEN", resolvedAt: null });
    await applyPaymentOutcome(database.db, open.id, { kind: "pend", reason: "PARTNER_ACTION_REQUIRED", pendingExpiresAt: new Date(PAST.getTime() + 86_400_000), checkAt: PAST, providerReference: "ref" }, PAST);
    expect((await detail(open.id)).payment).toMatchObject({ status: "PENDING", pendingReason: "PARTNER_ACTION_REQUIRED", pendingExpiresAt: new Date(PAST.getTime() + 86_400_000).toISOString() });

    await applyPaymentOutcome(database.db, open.id, { kind: "resolve", authorizationExpiresAt: null, providerReference: "ref" }, new Date(PAST.getTime() + 1000));
    const resolved = await detail(open.id);
    expect(resolved.payment).toMatchObject({ status: "RESOLVED", pendingReason: null, pendingExpiresAt: null });
    // The timeline still tells that it was pending, as history.
    expect(resolved.timeline.map((event) => event.title)).toContain("Payment pending: waiting for the payment provider");
  });

  it("says how long an authorization holds only while something can still be captured", async () => {
    const expiresAt = new Date(Date.now() + 86_400_000);
    const open = await payment({ kind: "AUTHORIZATION", authorizationExpiresAt: expiresAt });
    expect((await detail(open.id)).payment.authorizationExpiresAt).toBe(expiresAt.toISOString());

    const voided = await payment({ kind: "AUTHORIZATION", authorizationExpiresAt: expiresAt });
    await database.db.voidSession.create({
      data: { shop: SHOP, shopifyId: `v-${voided.id}`, gid: `gid://shopify/VoidSession/v-${voided.id}`, paymentSessionId: voided.id, test: true, merchantLocale: "en", proposedAt: PAST, shopifyApiVersion: "2026-04", shopifyRequestId: "vreq", requestHash: "x", status: "RESOLVED", resolvedAt: PAST },
    });
    expect((await detail(voided.id)).payment.authorizationExpiresAt).toBeNull();

    const captured = await payment({ kind: "AUTHORIZATION", authorizationExpiresAt: expiresAt });
    await database.db.captureSession.create({
      data: { shop: SHOP, shopifyId: `c-${captured.id}`, gid: `gid://shopify/CaptureSession/c-${captured.id}`, paymentSessionId: captured.id, amountMinor: 3000n, amount: "30.00", currency: "USD", test: true, merchantLocale: "en", proposedAt: PAST, shopifyApiVersion: "2026-04", shopifyRequestId: "creq", requestHash: "x", status: "RESOLVED", resolvedAt: PAST },
    });
    expect((await detail(captured.id)).payment.authorizationExpiresAt).toBeNull();
  });

  it("gives a rejection only for a rejected payment", async () => {
    const rejected = await payment({ status: "REJECTED", resolvedAt: null, rejectedAt: PAST, rejectionCode: "CARD_DECLINED", rejectionMessage: "Declined" });
    expect((await detail(rejected.id)).payment.rejection).toBe("CARD_DECLINED: Declined");
  });
});

const never = () => Promise.reject(new Error("not called in this test"));
const unused: PaymentProvider = { name: "unused", charge: never, chargeStatus: never, completeChallenge: never, capture: never, refund: never, void: never };

describe("the page for support staff", () => {
  it("names staff by the name Shopify gave, newest first, and keeps the technical facts apart", async () => {
    const open = await payment({ status: "OPEN", resolvedAt: null });
    await applyPaymentOutcome(database.db, open.id, { kind: "resolve", authorizationExpiresAt: null, providerReference: "ref" }, new Date(PAST.getTime() + 5_000), {
      shop: SHOP, staffUserId: "1001", staffName: "Sam Support", staffEmail: "sam.support@example.com", action: "PAYMENT_RESOLVE", reason: "Bank confirmed by phone",
    });
    const loaded = await detail(open.id);
    // Newest first: the change the action made above the action.
    expect(loaded.timeline.slice(0, 2)).toMatchObject([{ kind: "state-changed", title: "Payment succeeded" }, { kind: "staff-action", title: "Sam Support resolved the payment", detail: "“Bank confirmed by phone”" }]);
    expect(loaded.timeline[1]?.technical).toContain("user 1001");
    expect(loaded.timeline.at(-1)?.title).toMatch(/^Shopify asked for a payment of /);
    expect(loaded.audit[0]).toMatchObject({ staffName: "Sam Support", staffEmail: "sam.support@example.com", byShopify: false });
    expect(loaded.status).toBe("Paid");
  });

  it("says a failed attempt and the wait before the next in words", async () => {
    const { attemptTitle } = await import("./payment-detail.server");
    const startedAt = new Date(PAST);
    expect(attemptTitle("the payment succeeded", { number: 1, startedAt, outcome: "SUCCESS", httpStatus: 200 }, null)).toBe("Shopify was told the payment succeeded");
    expect(attemptTitle("the payment succeeded", { number: 2, startedAt, outcome: "RETRYABLE", httpStatus: null }, new Date(PAST.getTime() + 30_000))).toBe("Shopify did not answer; trying again in 30 s (attempt 3)");
    expect(attemptTitle("the payment succeeded", { number: 2, startedAt, outcome: "RETRYABLE", httpStatus: 503 }, null)).toBe("Shopify answered with an error (503)");
  });

  it("takes its totals from the payments domain's facts", async () => {
    const paid = await payment();
    await database.db.refundSession.create({
      data: { shop: SHOP, shopifyId: `r-part-${paid.id}`, gid: `gid://shopify/RefundSession/r-part-${paid.id}`, paymentSessionId: paid.id, amountMinor: 1000n, amount: "10.00", currency: "USD", test: true, merchantLocale: "en", proposedAt: PAST, shopifyApiVersion: "2026-04", shopifyRequestId: "rreq-part", requestHash: "x", status: "RESOLVED", resolvedAt: PAST, receivedAt: PAST, processAfter: PAST },
    });
    const loaded = await detail(paid.id);
    expect(loaded.totals.refunded).toBe("$10.00");
    expect(loaded.status).toBe("Partially refunded");
  });
});
