import type { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../../test/support/database";
import { createPaymentRow, createShopDatabase } from "../../test/support/payment-rows";
import { applyFollowUpOutcome } from "../payments/outcomes/apply-follow-up-outcome.server";
import { describeFollowUps } from "../payments/rules/follow-up-summary";
import { processDueFollowUps, type ProcessingPolicy } from "../payments/charging/payment-charging.server";
import type { PaymentProvider } from "../providers/payment-provider";
import { createProviderRegistry } from "../providers/provider-registry.server";
import { loadPaymentDetail } from "./payment-detail.server";
import { listPayments, paymentListQuerySchema } from "./payment-list.server";

/** "Needs attention" and the list's follow-up words, with the worker and a real database. */
const SHOP = "attention-shop.myshopify.com";
const PAST = new Date("2026-11-29T10:00:00.000Z");
const POLICY: ProcessingPolicy = { providerTimeoutMs: 5_000, authorizationValidityMs: 7 * 86_400_000, pendingExpiryMs: 3 * 86_400_000, pendingSafetyMarginMs: 3_600_000, recheckMs: 60_000 };

let database: TestDatabase;

beforeAll(async () => {
  database = await createShopDatabase(SHOP);
});

afterAll(async () => {
  await database?.drop();
});

let counter = 0;
/** Received a second apart, so that the list's order is theirs. */
function payment(overrides: Partial<Prisma.PaymentSessionUncheckedCreateInput> = {}) {
  counter += 1;
  return createPaymentRow(database.db, SHOP, PAST, { receivedAt: new Date(PAST.getTime() + counter * 1000), ...overrides });
}

const followUp = (paymentSessionId: string, id: string, overrides: { status?: "RECEIVED" | "RESOLVED" | "REJECTED"; amountMinor?: bigint } = {}) => ({
  shop: SHOP,
  shopifyId: id,
  gid: `gid://shopify/X/${id}`,
  paymentSessionId,
  test: true,
  merchantLocale: "en",
  proposedAt: PAST,
  shopifyApiVersion: "2026-04",
  shopifyRequestId: `req-${id}`,
  requestHash: "x",
  processAfter: PAST,
  status: overrides.status ?? "RECEIVED",
});
const withAmount = (minor: bigint) => ({ amountMinor: minor, amount: (Number(minor) / 100).toFixed(2), currency: "USD" });

const attention = async () => (await listPayments(database.db, SHOP, paymentListQuerySchema.parse({ view: "attention" }), { locale: "en", linkTtlHours: 72 })).rows.map((row) => [row.shopifyId, row.attention]);

const undecided: PaymentProvider = {
  name: "sandbox",
  charge: () => Promise.reject(new Error("unused")),
  chargeStatus: () => Promise.reject(new Error("unused")),
  completeChallenge: () => Promise.reject(new Error("unused")),
  capture: () => Promise.resolve({ status: "unknown" }),
  refund: () => Promise.resolve({ status: "unknown" }),
  void: () => Promise.resolve({ status: "unknown" }),
};

describe("needs attention", () => {
  it("lists a payment whose refund the provider left undecided for staff, until staff settle it", async () => {
    const paid = await payment();
    const fresh = await payment();
    await database.db.refundSession.create({ data: { ...followUp(paid.id, "r-598"), ...withAmount(598n) } });
    // A refund just received, not yet put to the provider: nobody needs to act yet.
    await database.db.refundSession.create({ data: { ...followUp(fresh.id, "r-new"), ...withAmount(100n), processAfter: new Date(Date.now() + 3_600_000) } });

    await processDueFollowUps(database.db, createProviderRegistry(undecided, null), POLICY, 10);
    expect(await attention()).toEqual([[paid.shopifyId, ["follow-up-waiting"]]]);
    const [waiting] = (await loadPaymentDetail(database.db, SHOP, paid.id, { locale: "en", apiVersion: "2026-04", linkTtlHours: 72 })).followUps;
    expect(waiting?.waitingForStaffSince).toEqual(expect.any(String));

    const refund = await database.db.refundSession.findFirstOrThrow({ where: { shopifyId: "r-598" } });
    await applyFollowUpOutcome(database.db, "refund", refund.id, { kind: "resolve", providerReference: null });
    expect(await attention()).toEqual([]);
    const [settled] = (await loadPaymentDetail(database.db, SHOP, paid.id, { locale: "en", apiVersion: "2026-04", linkTtlHours: 72 })).followUps;
    expect(settled?.waitingForStaffSince).toBeNull();
  });

  it("lists captures and voids left undecided as well", async () => {
    const authorized = await payment({ kind: "AUTHORIZATION", authorizationExpiresAt: new Date(Date.now() + 5 * 86_400_000) });
    const other = await payment({ kind: "AUTHORIZATION", authorizationExpiresAt: new Date(Date.now() + 5 * 86_400_000) });
    await database.db.captureSession.create({ data: { ...followUp(authorized.id, "c-1"), ...withAmount(1000n) } });
    await database.db.voidSession.create({ data: followUp(other.id, "v-1") });
    await processDueFollowUps(database.db, createProviderRegistry(undecided, null), POLICY, 10);
    expect((await attention()).sort()).toEqual([[authorized.shopifyId, ["follow-up-waiting"]], [other.shopifyId, ["follow-up-waiting"]]].sort());
    for (const [kind, id] of [["capture", "c-1"], ["void", "v-1"]] as const) {
      const row = kind === "capture" ? await database.db.captureSession.findFirstOrThrow({ where: { shopifyId: id } }) : await database.db.voidSession.findFirstOrThrow({ where: { shopifyId: id } });
      await applyFollowUpOutcome(database.db, kind, row.id, { kind: "reject", code: "PROCESSING_ERROR", message: "settled by staff" });
    }
    expect(await attention()).toEqual([]);
  });
});

describe("the list's follow-ups", () => {
  it("does not count a capture rejected after the void as a capture", async () => {
    const voided = await payment({ kind: "AUTHORIZATION" });
    await database.db.voidSession.create({ data: { ...followUp(voided.id, "v-done"), status: "RESOLVED", resolvedAt: PAST } });
    await database.db.captureSession.create({ data: { ...followUp(voided.id, "c-late"), ...withAmount(1000n), status: "REJECTED", rejectedAt: PAST, ruleViolation: "AUTHORIZATION_VOIDED" } });
    const page = await listPayments(database.db, SHOP, paymentListQuerySchema.parse({ q: voided.shopifyId }), { locale: "en", linkTtlHours: 72 });
    expect(page.rows.map((row) => describeFollowUps(row.followUps))).toEqual(["voided; 1 capture rejected"]);
  });
});
