import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { providerOf } from "../../db/prisma-client";
import { createTestDatabase, type TestDatabase } from "../../../test/support/database";
import { createPaymentReceiptStore, type NewPaymentAddress, type NewPaymentSession, type PaymentReceiptStore } from "./payment-receipt-store.server";

const SHOP = "receipts.myshopify.com";

const session = (shopifyId: string): NewPaymentSession => ({
  shop: SHOP,
  shopifyId,
  gid: `gid://shopify/PaymentSession/${shopifyId}`,
  group: "group-1",
  sessionId: null,
  amountMinor: 12_345_678_901_234n,
  amount: "123456789012.34",
  currency: "USD",
  test: false,
  merchantLocale: "en",
  kind: "AUTHORIZATION",
  paymentMethodType: "offsite",
  cancelUrl: "https://receipts.myshopify.com/cancel",
  proposedAt: new Date("2026-11-29T08:00:00.123Z"),
  customerEmail: "sealed-email",
  customerPhoneNumber: null,
  customerEmailLookup: "email-digest",
  customerPhoneLookup: null,
  customerLocale: "fr",
  shopifyApiVersion: "2026-04",
  shopifyRequestId: "req-1",
  requestHash: "hash-1",
});

const address = (role: "BILLING" | "SHIPPING"): NewPaymentAddress => ({ role, sealed: `sealed-${role}`, countryCode: "CA" });

describe("the payment receipt store (driver-level writes, read back through Prisma)", () => {
  let database: TestDatabase;
  let store: PaymentReceiptStore;
  beforeEach(async () => {
    database = await createTestDatabase();
    store = createPaymentReceiptStore(database.url);
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  it("writes the shop, the session and its addresses in the formats Prisma reads", async () => {
    const created = await store.insert(session("pay-1"), [address("BILLING"), address("SHIPPING")]);
    expect(created).toMatchObject({ shopifyId: "pay-1", requestHash: "hash-1" });
    const row = await database.db.paymentSession.findUniqueOrThrow({ where: { id: created?.id }, include: { addresses: { orderBy: { role: "asc" } }, shopRef: true } });
    expect(row).toMatchObject({
      shop: SHOP,
      amountMinor: 12_345_678_901_234n,
      test: false,
      kind: "AUTHORIZATION",
      status: "OPEN",
      proposedAt: new Date("2026-11-29T08:00:00.123Z"),
      receivedAt: created?.receivedAt,
      updatedAt: created?.receivedAt,
      ledgerVersion: 0,
      sessionId: null,
      customerPhoneNumber: null,
    });
    expect(row.addresses.map((a) => [a.role, a.sealed, a.familyName, a.countryCode])).toEqual([
      ["BILLING", "sealed-BILLING", null, "CA"],
      ["SHIPPING", "sealed-SHIPPING", null, "CA"],
    ]);
    expect(row.shopRef.domain).toBe(SHOP);
    expect(await store.find(SHOP, "pay-1")).toEqual(created);
    expect(await store.find(SHOP, "pay-2")).toBeNull();
  });

  it("writes nothing for a (shop, Shopify id) stored already", async () => {
    const first = await store.insert(session("pay-1"), [address("BILLING")]);
    expect(await store.insert({ ...session("pay-1"), requestHash: "other" }, [address("BILLING"), address("SHIPPING")])).toBeNull();
    expect(await database.db.paymentSession.findMany({ include: { addresses: true } })).toMatchObject([{ id: first?.id, requestHash: "hash-1", addresses: [{ role: "BILLING" }] }]);
  });

  it("writes the buyer's search digests with the session, and none for a copy it does not store", async () => {
    const created = await store.insert(session("pay-1"), [address("BILLING")], ["digest-a", "digest-b"]);
    expect(await store.insert(session("pay-1"), [address("BILLING")], ["digest-c"])).toBeNull();
    await store.insert(session("pay-2"), [], []);
    const terms = await database.db.paymentSearchTerm.findMany({ orderBy: { digest: "asc" } });
    expect(terms).toEqual([
      { shop: SHOP, digest: "digest-a", paymentSessionId: created?.id },
      { shop: SHOP, digest: "digest-b", paymentSessionId: created?.id },
    ]);
  });

  it("stores receipts that arrive together, each with its own rows, and settles copies among them", async () => {
    const created = await Promise.all([
      ...Array.from({ length: 100 }, (_, i) => store.insert(session(`pay-${i}`), [address("BILLING"), address("SHIPPING")], [`digest-${i}`])),
      store.insert({ ...session("pay-7"), requestHash: "copy" }, [address("BILLING")], ["digest-copy"]),
    ]);
    expect(created.filter((row) => row !== null)).toHaveLength(100);
    // The copy of pay-7 came after the original in the same turn: it lost, and wrote nothing.
    expect(created[100]).toBeNull();
    const stored = await database.db.paymentSession.findMany({ include: { addresses: true, searchTerms: true } });
    expect(stored).toHaveLength(100);
    for (const row of stored) {
      const i = row.shopifyId.slice("pay-".length);
      expect(row.requestHash).toBe("hash-1");
      expect(row.addresses.map((a) => a.role).sort()).toEqual(["BILLING", "SHIPPING"]);
      expect(row.searchTerms.map((term) => term.digest)).toEqual([`digest-${i}`]);
    }
  });

  it("refuses a receipt that cannot be written and keeps the others that arrived with it, leaving none of its rows", async () => {
    const broken = { ...address("SHIPPING"), role: null } as unknown as NewPaymentAddress;
    const answers = await Promise.allSettled([
      store.insert(session("pay-1"), [address("BILLING")], ["digest-1"]),
      // Its session row is written before its address fails: it must go with it.
      store.insert(session("pay-2"), [address("BILLING"), broken], ["digest-2"]),
      store.insert(session("pay-3"), [address("BILLING")], ["digest-3"]),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const stored = await database.db.paymentSession.findMany({ include: { addresses: true }, orderBy: { shopifyId: "asc" } });
    expect(stored.map((row) => [row.shopifyId, row.addresses.length])).toEqual([
      ["pay-1", 1],
      ["pay-3", 1],
    ]);
    expect((await database.db.paymentSearchTerm.findMany()).map((term) => term.digest).sort()).toEqual(["digest-1", "digest-3"]);
    expect(await database.db.paymentAddress.count()).toBe(2);
    // And the refused one can be written once it is whole (Shopify's retry).
    expect(await store.insert(session("pay-2"), [address("BILLING")], ["digest-2"])).not.toBeNull();
  });

  it("records retries and conflicting copies for the timeline", async () => {
    await store.insert(session("pay-1"), []);
    await store.recordReplay({ shop: SHOP, shopifyId: "pay-1", shopifyRequestId: "req-2", conflict: false });
    await store.recordReplay({ shop: SHOP, shopifyId: "pay-1", shopifyRequestId: "req-3", conflict: true });
    const replays = await database.db.sessionReplay.findMany({ orderBy: { shopifyRequestId: "asc" } });
    expect(replays.map((r) => [r.kind, r.shopifyId, r.shopifyRequestId, r.conflict])).toEqual([
      ["PAYMENT", "pay-1", "req-2", false],
      ["PAYMENT", "pay-1", "req-3", true],
    ]);
    expect(Math.abs(Date.now() - (replays[0]?.receivedAt.getTime() ?? 0))).toBeLessThan(60_000);
  });

  it("on SQLite, waits for a Prisma transaction that holds the write lock without blocking the event loop", async () => {
    if (providerOf(database.db) !== "sqlite") return;
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    let ticksAtInsert = Number.POSITIVE_INFINITY;
    let committedAt = 0;
    let holdingTheLock!: () => void;
    const locked = new Promise<void>((resolve) => (holdingTheLock = resolve));
    const transaction = database.db.$transaction(
      async (tx) => {
        await tx.$executeRaw`INSERT INTO "Shop" ("domain", "createdAt") VALUES ('holder.myshopify.com', ${new Date()})`;
        holdingTheLock();
        // Held until the event loop has run several times while the insert below
        // waits (never, if the insert busy-waited: then it fails on its own).
        await vi.waitFor(() => expect(ticks - ticksAtInsert).toBeGreaterThanOrEqual(5), { timeout: 20_000, interval: 10 }).catch(() => undefined);
        committedAt = Date.now();
      },
      { timeout: 30_000 },
    );
    // Waits for the lock to be taken, however long that takes here.
    await locked;
    ticksAtInsert = ticks;
    const created = await store.insert(session("pay-1"), [address("BILLING")]);
    const insertedAt = Date.now();
    await transaction;
    clearInterval(ticker);
    expect(created).not.toBeNull();
    expect(insertedAt).toBeGreaterThanOrEqual(committedAt);
    // The event loop ran all along (a synchronous busy-wait would have frozen the ticker and the transaction).
    expect(ticks - ticksAtInsert).toBeGreaterThanOrEqual(5);
  });
});
