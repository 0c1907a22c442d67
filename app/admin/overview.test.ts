import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { loadOverview, overviewQuerySchema } from "./overview.server";
import { listPayments, paymentListQuerySchema } from "./payment-list.server";

/** The overview on a seeded shop: its figures are the list's counts under the same filters. */
const SHOP = "overview-shop.myshopify.com";
const OTHER = "overview-other.myshopify.com";
const NOW = new Date("2026-12-03T12:00:00.000Z");
const TTL = 72;
const HOUR = 3_600_000;

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await db.shop.createMany({ data: [{ domain: SHOP }, { domain: OTHER }] });
  const statuses = ["RESOLVED", "RESOLVED", "REJECTED", "OPEN", "PENDING", "RESOLVED"] as const;
  const rows = Array.from({ length: 60 }, (_, n) => ({
    id: `ov${n}`,
    shop: SHOP,
    shopifyId: `ov${n}`,
    gid: `gid://shopify/PaymentSession/ov${n}`,
    group: `g${n}`,
    amountMinor: BigInt(1000 + n * 10),
    amount: ((1000 + n * 10) / 100).toFixed(2),
    currency: n % 3 === 0 ? "EUR" : n % 3 === 1 ? "USD" : "JPY",
    test: n % 2 === 0,
    merchantLocale: "en",
    kind: n % 4 === 0 ? ("AUTHORIZATION" as const) : ("SALE" as const),
    paymentMethodType: "offsite",
    cancelUrl: "https://x.test/c",
    proposedAt: NOW,
    shopifyApiVersion: "2026-04",
    shopifyRequestId: `req${n}`,
    requestHash: "h",
    status: statuses[n % statuses.length]!,
    // Spread over five days, some past the link's lifetime (abandoned if still open).
    receivedAt: new Date(NOW.getTime() - n * 2 * HOUR),
  }));
  await db.paymentSession.createMany({ data: rows });
  await db.paymentSession.create({ data: { ...rows[0]!, id: "elsewhere", shop: OTHER } });
  // Shopify accepted two outcomes: 30 s and 90 s after the payments arrived.
  for (const [id, seconds] of [["ov0", 30], ["ov1", 90]] as const) {
    const payment = rows.find((row) => row.id === id)!;
    await db.delivery.create({ data: { shop: SHOP, operation: "PAYMENT_RESOLVE", sessionGid: payment.gid, paymentSessionId: id, status: "SUCCEEDED", attempts: 1, succeededAt: new Date(payment.receivedAt.getTime() + seconds * 1000) } });
  }
  await db.delivery.create({ data: { shop: SHOP, operation: "PAYMENT_REJECT", sessionGid: rows[2]!.gid, paymentSessionId: "ov2", status: "DEAD", attempts: 9 } });
  await db.delivery.create({ data: { shop: SHOP, operation: "PAYMENT_RESOLVE", sessionGid: rows[5]!.gid, paymentSessionId: "ov5", status: "PENDING", attempts: 2 } });
});

afterAll(async () => {
  await database?.drop();
});

const context = { now: NOW, linkTtlHours: TTL };
const overview = (params: Record<string, string>) => loadOverview(database.db, SHOP, overviewQuerySchema.parse(params), context);
/** How many payments the list shows: its "All" count, or with a status filter its rows (fewer than a page here). */
const listCount = async (params: Record<string, string>) => {
  const page = await listPayments(database.db, SHOP, paymentListQuerySchema.parse(params), { locale: "en", ...context });
  if (!params.status) return page.counts.ALL;
  expect(page.nextCursor).toBeNull();
  return page.rows.length;
};

describe("the overview", () => {
  it.each([
    [{ from: "2026-11-28", to: "2026-12-03" }],
    [{ from: "2026-12-01", to: "2026-12-02" }],
    [{ from: "2026-11-28", to: "2026-12-03", currency: "USD" }],
    [{ from: "2026-11-28", to: "2026-12-03", mode: "test", kind: "SALE" }],
    [{ from: "2026-11-28", to: "2026-12-03", status: "abandoned" }],
    [{ from: "2026-11-28", to: "2026-12-03", status: "paid" }],
    [{ from: "2026-11-28", to: "2026-12-03", amountMin: "11", amountMax: "14" }],
  ])("counts what the list counts with the same filters (%j)", async (params) => {
    const figures = await overview(params);
    const expected = await listCount(params);
    expect(expected).toBeGreaterThan(0);
    expect(figures.totals.payments).toBe(expected);
    const perDay = figures.days.reduce((sum, day) => sum + Object.values(day.byCurrency).reduce((daySum, cell) => daySum + cell.count, 0), 0);
    expect(perDay).toBe(expected);
    for (const day of figures.days) expect(await listCount({ ...params, from: day.day, to: day.day })).toBe(Object.values(day.byCurrency).reduce((sum, cell) => sum + cell.count, 0));
  });

  it("sums volume per currency exactly, in the currency's units", async () => {
    const figures = await overview({ from: "2026-12-03", to: "2026-12-03" });
    // Today (12:00): ov0..ov6 arrived 0..12 hours ago, ov6 at midnight sharp. EUR: 10.00 + 10.30 + 10.60.
    expect(figures.totals.byCurrency).toEqual({ EUR: { count: 3, volume: "30.90" }, USD: { count: 2, volume: "20.50" }, JPY: { count: 2, volume: "2070" } });
  });

  it("gives the approval rate, the time until Shopify has the outcome, deliveries and deadlines", async () => {
    const figures = await overview({ from: "2026-11-28", to: "2026-12-03" });
    expect(figures.finished).toEqual({ resolved: 30, rejected: 10 });
    expect(figures.approvalRate).toBe(0.75);
    expect(figures.timeToOutcome).toEqual({ count: 2, medianMs: 30_000, p90Ms: 90_000 });
    expect(figures.deliveries).toEqual({ retrying: 1, dead: 1, failed: 0 });
    expect(figures.deadlines.pending).toBe(10);
  });

  it("gives the same figures by its one statement (plain filters) as by the list's where, a query per day (amounts and status words)", async () => {
    const ranges: Record<string, string>[] = [{ from: "2026-11-28", to: "2026-12-03" }, { from: "2026-11-28", to: "2026-12-03", currency: "JPY", mode: "test" }];
    for (const params of ranges) {
      // Every payment here is worth at least 0: the same payments, the other way.
      expect(await overview({ ...params, amountMin: "0" })).toEqual(await overview(params));
    }
  });

  it("defaults to the last 30 days and refuses a range longer than the charts draw", async () => {
    const figures = await overview({});
    expect([figures.from, figures.to, figures.days.length]).toEqual(["2026-11-04", "2026-12-03", 30]);
    expect(overviewQuerySchema.safeParse({ from: "2026-01-01", to: "2026-12-01" }).error?.issues.map((issue) => issue.path.join("."))).toEqual(["from"]);
  });
});
