import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { piiKeyringFromEnv, encryptPii } from "../privacy/pii-crypto.server";
import { listPayments, paymentListQuerySchema, toMinorUnits, type StatusFilter } from "./payment-list.server";

/**
 * The list in a merchant's words on a seeded shop: one payment per status word,
 * each found by its filter and by no other, amounts in ranges, the buyer masked.
 */
const SHOP = "words-shop.myshopify.com";
const NOW = new Date("2026-12-01T12:00:00.000Z");
const TTL = 72;
const HOUR = 3_600_000;
const keyring = piiKeyringFromEnv({ SHOPIFY_API_SECRET: "words-test-secret-words-test-secret" });

let database: TestDatabase;

// id, stored status, kind, amount (minor), currency, hours ago, follow-ups.
const SEED = [
  ["open", "OPEN", "SALE", 1000n, "USD", 1],
  ["abandoned", "OPEN", "SALE", 2000n, "USD", TTL + 1],
  ["pending", "PENDING", "SALE", 3000n, "EUR", 2],
  ["authorized", "RESOLVED", "AUTHORIZATION", 4000n, "USD", 3],
  ["paid", "RESOLVED", "SALE", 5000n, "USD", 4],
  ["captured", "RESOLVED", "AUTHORIZATION", 6000n, "USD", 5],
  ["partrefund", "RESOLVED", "SALE", 7000n, "EUR", 6],
  ["refunded", "RESOLVED", "SALE", 8000n, "EUR", 7],
  ["voided", "RESOLVED", "AUTHORIZATION", 9000n, "USD", 8],
  ["failed", "REJECTED", "SALE", 2500n, "JPY", 9],
] as const;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await db.shop.create({ data: { domain: SHOP } });
  for (const [id, status, kind, amountMinor, currency, hoursAgo] of SEED) {
    await db.paymentSession.create({
      data: {
        id, shop: SHOP, shopifyId: id, gid: `gid://shopify/PaymentSession/${id}`, group: `g-${id}`, amountMinor, amount: String(amountMinor), currency, test: true, merchantLocale: "en", kind,
        paymentMethodType: "offsite", cancelUrl: "https://x.test/c", proposedAt: NOW, shopifyApiVersion: "2026-04", shopifyRequestId: `req-${id}`, requestHash: "h", status,
        receivedAt: new Date(NOW.getTime() - hoursAgo * HOUR),
      },
    });
  }
  const follow = { shop: SHOP, currency: "USD", test: true, merchantLocale: "en", proposedAt: NOW, shopifyApiVersion: "2026-04", requestHash: "h", status: "RESOLVED" as const };
  await db.captureSession.create({ data: { ...follow, shopifyId: "c1", gid: "gid://shopify/CaptureSession/c1", paymentSessionId: "captured", shopifyRequestId: "c1", amountMinor: 6000n, amount: "60.00" } });
  await db.captureSession.create({ data: { ...follow, shopifyId: "c2", gid: "gid://shopify/CaptureSession/c2", paymentSessionId: "voided", shopifyRequestId: "c2", amountMinor: 100n, amount: "1.00", status: "REJECTED" } });
  const { currency: _currency, ...voidFields } = follow;
  await db.voidSession.create({ data: { ...voidFields, shopifyId: "v1", gid: "gid://shopify/VoidSession/v1", paymentSessionId: "voided", shopifyRequestId: "v1" } });
  await db.refundSession.create({ data: { ...follow, currency: "EUR", shopifyId: "r1", gid: "gid://shopify/RefundSession/r1", paymentSessionId: "partrefund", shopifyRequestId: "r1", amountMinor: 1000n, amount: "10.00" } });
  await db.refundSession.create({ data: { ...follow, currency: "EUR", shopifyId: "r2", gid: "gid://shopify/RefundSession/r2", paymentSessionId: "refunded", shopifyRequestId: "r2", amountMinor: 8000n, amount: "80.00" } });
  // A refund still being processed changes no word.
  await db.refundSession.create({ data: { ...follow, shopifyId: "r3", gid: "gid://shopify/RefundSession/r3", paymentSessionId: "paid", shopifyRequestId: "r3", amountMinor: 100n, amount: "1.00", status: "RECEIVED" } });
  await db.paymentAddress.create({
    data: { paymentSessionId: "pending", role: "BILLING", givenName: encryptPii(keyring, "PaymentAddress.givenName", "Camille"), familyName: encryptPii(keyring, "PaymentAddress.familyName", "Roy"), line1: encryptPii(keyring, "PaymentAddress.line1", "1 rue"), city: encryptPii(keyring, "PaymentAddress.city", "Paris"), countryCode: "FR" },
  });
});

afterAll(async () => {
  await database?.drop();
});

const list = (params: Record<string, string> = {}, now = NOW) => listPayments(database.db, SHOP, paymentListQuerySchema.parse(params), { locale: "en", now, linkTtlHours: TTL, keyring });

describe("the payment list in a merchant's words", () => {
  it("says each payment's status as Shopify's admin would", async () => {
    const words = Object.fromEntries((await list()).rows.map((row) => [row.id, row.statusWord]));
    expect(words).toEqual({
      open: "Open",
      abandoned: "Abandoned",
      pending: "Pending",
      authorized: "Authorized",
      paid: "Paid",
      captured: "Paid",
      partrefund: "Partially refunded",
      refunded: "Refunded",
      voided: "Voided",
      failed: "Failed",
    });
  });

  it.each<[StatusFilter, string[]]>([
    ["open", ["open"]],
    ["abandoned", ["abandoned"]],
    ["pending", ["pending"]],
    ["authorized", ["authorized"]],
    ["paid", ["paid", "captured"]],
    ["refunded", ["partrefund", "refunded"]],
    ["voided", ["voided"]],
    ["failed", ["failed"]],
  ])("filters %s to exactly the payments with that word", async (status, ids) => {
    expect((await list({ status })).rows.map((row) => row.id)).toEqual(ids);
  });

  it("moves an open payment to Abandoned the moment its link expires, in the rows and in the counts", async () => {
    const expiry = new Date(NOW.getTime() - HOUR + TTL * HOUR);
    const before = await list({}, new Date(expiry.getTime() - 1));
    expect(before.rows.find((row) => row.id === "open")?.statusWord).toBe("Open");
    expect(before.counts).toMatchObject({ OPEN: 1, ABANDONED: 1 });
    const after = await list({}, expiry);
    expect(after.rows.find((row) => row.id === "open")?.statusWord).toBe("Abandoned");
    expect(after.counts).toMatchObject({ OPEN: 0, ABANDONED: 2 });
    expect((await list({ status: "abandoned" }, expiry)).rows.map((row) => row.id)).toEqual(["open", "abandoned"]);
  });

  it("filters amounts in each currency's own units", async () => {
    expect((await list({ amountMin: "25", amountMax: "50" })).rows.map((row) => row.id)).toEqual(["pending", "authorized", "paid"]);
    // 2500 yen is 2500, not 25.00.
    expect((await list({ amountMin: "2500", amountMax: "2500" })).rows.map((row) => row.id)).toEqual(["failed"]);
    expect((await list({ currency: "EUR", amountMin: "70.00" })).rows.map((row) => row.id)).toEqual(["partrefund", "refunded"]);
    expect(toMinorUnits("10.001", 2, "up")).toBe(1001n);
    expect(toMinorUnits("10.009", 2, "down")).toBe(1000n);
  });

  it("sorts oldest first on request", async () => {
    expect((await list({ sort: "oldest" })).rows.map((row) => row.id)[0]).toBe("abandoned");
  });

  it("shows the buyer as an initial and a family name", async () => {
    const rows = (await list()).rows;
    expect(rows.find((row) => row.id === "pending")?.buyer).toBe("C. Roy");
    expect(rows.find((row) => row.id === "paid")?.buyer).toBeNull();
  });

  it.each([
    [{ status: "RESOLVED" }, "status"],
    [{ amountMin: "-1" }, "amountMin"],
    [{ amountMin: "1e3" }, "amountMin"],
    [{ amountMin: "50", amountMax: "10" }, "amountMax"],
    [{ sort: "amount" }, "sort"],
  ])("refuses %j naming %s", (params, field) => {
    expect(paymentListQuerySchema.safeParse(params).error?.issues.map((issue) => issue.path.join("."))).toEqual([field]);
  });
});
