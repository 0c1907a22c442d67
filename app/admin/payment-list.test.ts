import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { decodeCursor, encodeCursor, listPayments, PAGE_SIZE, paymentListQuerySchema } from "./payment-list.server";

/** The admin's list against a real SQLite database: order, pages, filters, search, counts, scope. */
const SHOP = "list-shop.myshopify.com";
const OTHER = "other-shop.myshopify.com";
const NOW = new Date("2026-11-29T12:00:00.000Z");
const TOTAL = 120;
const TTL = 72;

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await db.shop.createMany({ data: [{ domain: SHOP }, { domain: OTHER }] });
  const rows = Array.from({ length: TOTAL }, (_, n) => ({
    id: `pay${String(n).padStart(4, "0")}`,
    shop: SHOP,
    shopifyId: `s${n}`,
    gid: `gid://shopify/PaymentSession/s${n}`,
    group: `g${n}`,
    amountMinor: 1000n + BigInt(n),
    amount: ((1000 + n) / 100).toFixed(2),
    currency: n % 3 === 0 ? "EUR" : "USD",
    test: n % 2 === 0,
    merchantLocale: "en",
    kind: n % 4 === 0 ? ("AUTHORIZATION" as const) : ("SALE" as const),
    paymentMethodType: "offsite",
    cancelUrl: "https://x.test/c",
    proposedAt: NOW,
    shopifyApiVersion: "2026-04",
    shopifyRequestId: `req${n}`,
    requestHash: `h${n}`,
    status: n === 7 ? ("PENDING" as const) : n % 10 === 9 ? ("REJECTED" as const) : ("RESOLVED" as const),
    // Two payments share each second, so the keyset's tie-break on id matters.
    receivedAt: new Date(NOW.getTime() - 86_400_000 * 3 + Math.floor(n / 2) * 1000),
    authorizationExpiresAt: n === 8 ? new Date(NOW.getTime() + 3_600_000) : null,
  }));
  await db.paymentSession.createMany({ data: rows });
  await db.paymentSession.create({ data: { ...rows[0]!, id: "otherpay", shop: OTHER, shopifyId: "s0", gid: "gid://shopify/PaymentSession/other", status: "PENDING" } });
  await db.refundSession.create({
    data: { shop: SHOP, shopifyId: "ref-1", gid: "gid://shopify/RefundSession/ref-1", paymentSessionId: "pay0011", amountMinor: 100n, amount: "1.00", currency: "USD", test: false, merchantLocale: "en", proposedAt: NOW, shopifyApiVersion: "2026-04", shopifyRequestId: "refreq-1", requestHash: "r" },
  });
  await db.delivery.create({ data: { shop: SHOP, operation: "PAYMENT_RESOLVE", sessionGid: "gid://shopify/PaymentSession/s20", paymentSessionId: "pay0020", status: "DEAD", attempts: 3 } });
});

afterAll(async () => {
  await database?.drop();
});

const query = (params: Record<string, string> = {}) => paymentListQuerySchema.parse(params);
const list = (params: Record<string, string> = {}) => listPayments(database.db, SHOP, query(params), { locale: "en", now: NOW, linkTtlHours: TTL });

describe("the payment list", () => {
  it("pages through every payment of the shop newest first, and back, without gaps or repeats", async () => {
    const seen: string[] = [];
    let page = await list();
    expect(page.previousCursor).toBeNull();
    seen.push(...page.rows.map((row) => row.id));
    while (page.nextCursor) {
      page = await list({ after: page.nextCursor });
      seen.push(...page.rows.map((row) => row.id));
    }
    const expected = Array.from({ length: TOTAL }, (_, n) => `pay${String(n).padStart(4, "0")}`).reverse();
    expect(seen).toEqual(expected);

    // Back from the last page to the first.
    const back: string[][] = [page.rows.map((row) => row.id)];
    while (page.previousCursor) {
      page = await list({ before: page.previousCursor });
      back.unshift(page.rows.map((row) => row.id));
    }
    expect(back.flat()).toEqual(expected);
    expect(back[0]).toHaveLength(PAGE_SIZE);
  });

  it("counts per status and for needs attention, and never shows another shop's payment", async () => {
    const page = await list();
    expect(page.counts).toEqual({ ALL: TOTAL, ABANDONED: 0, OPEN: 0, PENDING: 1, RESOLVED: TOTAL - 1 - 12, REJECTED: 12, ATTENTION: 3 });
    expect(page.rows.some((row) => row.id === "otherpay")).toBe(false);
  });

  it("needs attention: the pending payment, the one whose delivery died, the authorization about to expire", async () => {
    const page = await list({ view: "attention" });
    expect(page.rows.map((row) => [row.id, row.attention])).toEqual([
      ["pay0020", ["delivery-failed"]],
      ["pay0008", ["authorization-expiring"]],
      ["pay0007", ["pending"]],
    ]);
  });

  it("marks an authorization expiring as the filter finds it: a rejected capture does not count, a capture under way does", async () => {
    const { db } = database;
    const shop = "expiring-shop.myshopify.com";
    await db.shop.create({ data: { domain: shop } });
    const base = { shop, amountMinor: 5000n, amount: "50.00", currency: "USD", test: true, merchantLocale: "en", proposedAt: NOW, shopifyApiVersion: "2026-04", requestHash: "h" };
    for (const n of [1, 2]) {
      await db.paymentSession.create({
        data: { ...base, id: `auth${n}`, shopifyId: `a${n}`, gid: `gid://shopify/PaymentSession/a${n}`, group: `ga${n}`, kind: "AUTHORIZATION", paymentMethodType: "offsite", cancelUrl: "https://x.test/c", shopifyRequestId: `areq${n}`, status: "RESOLVED", receivedAt: new Date(NOW.getTime() - n * 1000), authorizationExpiresAt: new Date(NOW.getTime() + 3_600_000) },
      });
    }
    const capture = (n: number, status: "REJECTED" | "RECEIVED") =>
      db.captureSession.create({ data: { ...base, shopifyId: `c${n}`, gid: `gid://shopify/CaptureSession/c${n}`, paymentSessionId: `auth${n}`, shopifyRequestId: `creq${n}`, status } });
    await capture(1, "REJECTED");
    await capture(2, "RECEIVED");

    const page = await listPayments(db, shop, query({ view: "attention" }), { locale: "en", now: NOW, linkTtlHours: TTL });
    expect(page.rows.map((row) => [row.id, row.attention, row.followUps.rejected.capture])).toEqual([["auth1", ["authorization-expiring"], 1]]);
    const all = await listPayments(db, shop, query(), { locale: "en", now: NOW, linkTtlHours: TTL });
    expect(all.rows.map((row) => [row.id, row.attention])).toEqual([
      ["auth1", ["authorization-expiring"]],
      ["auth2", []],
    ]);
  });

  it("filters by status, kind, mode, currency and dates together", async () => {
    const page = await list({ status: "authorized", kind: "AUTHORIZATION", mode: "test", currency: "EUR" });
    expect(page.rows.length).toBeGreaterThan(0);
    for (const row of page.rows) expect(row).toMatchObject({ status: "RESOLVED", statusWord: "Authorized", kind: "AUTHORIZATION", test: true, currency: "EUR" });
    expect((await list({ from: "2026-11-26", to: "2026-11-26" })).counts.ALL).toBe(TOTAL);
  });

  it.each([
    ["the session id", "s42", ["pay0042"]],
    ["the gid", "gid://shopify/PaymentSession/s43", ["pay0043"]],
    ["the group", "g44", ["pay0044"]],
    ["the Shopify request id", "req45", ["pay0045"]],
    ["a refund's id", "ref-1", ["pay0011"]],
    ["a refund's request id", "refreq-1", ["pay0011"]],
    ["something unknown", "nope", []],
  ])("finds a payment by %s", async (_name, q, ids) => {
    expect((await list({ q })).rows.map((row) => row.id)).toEqual(ids);
  });

  it("formats amounts for the reader's locale", async () => {
    const page = await listPayments(database.db, SHOP, query({ q: "s3" }), { locale: "de", now: NOW, linkTtlHours: TTL });
    expect(page.rows[0]?.formattedAmount).toBe("10,03\u00a0€");
  });

  it("refuses bad filters, naming the field", () => {
    const result = paymentListQuerySchema.safeParse({ currency: "usd", from: "yesterday", status: "LOST" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join(".")).sort()).toEqual(["currency", "from", "status"]);
  });

  it("reads only its own cursors", () => {
    expect(decodeCursor("garbage")).toBeNull();
    expect(decodeCursor(Buffer.from("1:abc; DROP TABLE").toString("base64url"))).toBeNull();
    const own = encodeCursor({ receivedAt: NOW, id: "pay0001" });
    expect(decodeCursor(own)).toEqual({ receivedAt: NOW, id: "pay0001" });
    // A leading zero, padding: not one the list made.
    expect(decodeCursor(Buffer.from(`0${NOW.getTime()}:pay0001`).toString("base64url"))).toBeNull();
    expect(decodeCursor(`${own}==`)).toBeNull();
  });

  const invalidField = (params: Record<string, string>) => paymentListQuerySchema.safeParse(params).error?.issues.map((issue) => issue.path.join("."));
  it.each([
    ["to", { to: "9999-12-31" }],
    ["to", { to: "3000-01-01" }],
    ["from", { from: "1999-12-31" }],
    ["from", { from: "2026-02-30" }],
    ["to", { from: "2026-11-29", to: "2026-11-28" }],
    ["after", { after: Buffer.from("999999999999999:abc").toString("base64url") }],
    ["after", { after: Buffer.from("32503680000000:abc").toString("base64url") }],
    ["before", { before: Buffer.from("1:abc").toString("base64url") }],
    ["after", { after: "x".repeat(101) }],
    ["before", { after: encodeCursor({ receivedAt: NOW, id: "a" }), before: encodeCursor({ receivedAt: NOW, id: "b" }) }],
    ["q", { q: "s1\u0000" }],
    ["q", { q: "a\nb" }],
  ])("refuses %s out of bounds or malformed before any query (%j)", (field, params) => {
    expect(invalidField(params)).toEqual([field]);
  });

  it("takes the widest dates it allows", async () => {
    expect((await list({ from: "2000-01-01", to: "2999-12-31" })).counts.ALL).toBe(TOTAL);
  });
});
