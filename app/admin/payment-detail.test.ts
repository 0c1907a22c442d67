import type { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../../test/support/database";
import { createPaymentRow, createShopDatabase } from "../../test/support/payment-rows";
import { applyPaymentOutcome } from "../payments/payment-outcomes.server";
import { receiveRefundSession } from "../payments/receive-follow-up.server";
import { processDueFollowUps, type ProcessingPolicy } from "../payments/payment-charging.server";
import { refundSessionRequestSchema } from "../payments/session-request-schemas";
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

const detail = (id: string) => loadPaymentDetail(database.db, SHOP, id, { locale: "en", apiVersion: "2026-04" });
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
    expect(indexOf(list, /^Refund r-over .*received from Shopify$/)).toBeGreaterThanOrEqual(0);
    expect(indexOf(list, /^Refund r-over .*received/)).toBeLessThan(indexOf(list, /^Refund r-over rejected$/));
  });

  it("shows the provider's answer to a refund before the refund's outcome, however early the worker's pass began", async () => {
    const paid = await payment();
    await database.db.refundSession.create({
      data: { shop: SHOP, shopifyId: "r-ok", gid: "gid://shopify/RefundSession/r-ok", paymentSessionId: paid.id, amountMinor: 500n, amount: "5.00", currency: "USD", test: true, merchantLocale: "en", proposedAt: PAST, shopifyApiVersion: "2026-04", shopifyRequestId: "rreq-ok", requestHash: "x", receivedAt: PAST, processAfter: PAST },
    });
    const approving: PaymentProvider = { ...unused, name: "sandbox", refund: async () => ({ status: "approved", reference: "ref-ok" }) };
    // The pass began a minute before the provider was asked (a long batch, a slow provider).
    await processDueFollowUps(database.db, createProviderRegistry(approving, null), POLICY, 10, new Date(Date.now() - 60_000));
    const list = await titles(paid.id);
    expect(indexOf(list, /^Provider sandbox: refund for gid:\/\/shopify\/RefundSession\/r-ok → approved$/)).toBeGreaterThanOrEqual(0);
    expect(indexOf(list, /^Provider sandbox: refund .* → approved$/)).toBeLessThan(indexOf(list, /^Refund r-ok resolved$/));
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
    expect(resolved.timeline.map((event) => event.title)).toContain("Payment pending");
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
