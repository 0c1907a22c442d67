import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { createPaymentReceiptStore, type PaymentReceiptStore } from "../payments/receipt/payment-receipt-store.server";
import { receivePaymentSession } from "../payments/receipt/payment-sessions.server";
import { paymentSessionRequestSchema } from "../payments/receipt/session-request-schemas";
import { buyerSearchDigest, reindexBuyerSearch, searchWords } from "../privacy/buyer-search.server";
import { redactCustomer } from "../privacy/customer-data.server";
import { emailLookup, keyedDigest, piiKeyringFromEnv } from "../privacy/pii-crypto.server";
import { deleteShopData } from "../privacy/shop-data.server";
import { listPayments, paymentListQuerySchema } from "./payment-list.server";

/**
 * Finding payments by the buyer (decision 0016): payments received through the
 * real receipt path (receivePaymentSession and the driver-level store, on the
 * run's database), searched through the list as the admin asks it.
 */
const SHOP = "search-shop.myshopify.com";
const OTHER_SHOP = "other-search-shop.myshopify.com";
const keyring = piiKeyringFromEnv({ SHOPIFY_API_SECRET: "search-test-secret-search-test-secret" });

let database: TestDatabase;
let store: PaymentReceiptStore;
let counter = 0;

interface Buyer {
  given: string | null;
  family: string;
  email?: string;
  phone?: string;
  shipping?: { given: string; family: string };
}

async function receive(shop: string, buyer: Buyer | null): Promise<string> {
  const id = `pay-${++counter}`;
  const address = (given: string | null, family: string) => ({ given_name: given, family_name: family, line1: "1 Main St", city: "Montréal", postal_code: "H3B 1K9", country_code: "CA" });
  const body = paymentSessionRequestSchema.parse({
    id, gid: `gid://shopify/PaymentSession/${id}`, group: `group-${id}`, session_id: `session-${id}`, amount: "10.00", currency: "CAD", test: true, merchant_locale: "en",
    payment_method: { type: "offsite", data: { cancel_url: "https://search-shop.myshopify.com/cancel" } }, proposed_at: "2026-12-01T08:00:00Z", kind: "sale",
    ...(buyer
      ? {
          customer: {
            email: buyer.email, phone_number: buyer.phone, locale: "fr",
            billing_address: address(buyer.given, buyer.family),
            ...(buyer.shipping ? { shipping_address: address(buyer.shipping.given, buyer.shipping.family) } : {}),
          },
        }
      : {}),
  });
  const { row } = await receivePaymentSession(store, keyring, { shop, requestId: `req-${id}`, apiVersion: "2026-04" }, body);
  return row.id;
}

const search = async (q: string, shop = SHOP, withKeyring = true) =>
  (await listPayments(database.db, shop, paymentListQuerySchema.parse({ q }), { locale: "en", linkTtlHours: 72, keyring: withKeyring ? keyring : null })).rows.map((row) => row.id).sort();

const ids: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  store = createPaymentReceiptStore(database.url);
  ids.camille = await receive(SHOP, { given: "Camille", family: "Roy", email: "Camille.Roy@Example.com", phone: "+1 (514) 555-0100" });
  ids.camilleAgain = await receive(SHOP, { given: "Camille", family: "Roy" });
  ids.camilleMartin = await receive(SHOP, { given: "Camille", family: "Martin", email: "cm@example.com" });
  ids.helene = await receive(SHOP, { given: "Hélène", family: "Lefèvre-Dubois", email: "helene@example.com" });
  ids.gift = await receive(SHOP, { given: "Mary", family: "Jones", shipping: { given: "Tom", family: "Roy" } });
  ids.noName = await receive(SHOP, { given: null, family: "佐藤" });
  ids.anonymous = await receive(SHOP, null);
  ids.elsewhere = await receive(OTHER_SHOP, { given: "Camille", family: "Roy", email: "camille.roy@example.com" });
}, 60_000);

afterAll(async () => {
  await store?.close();
  await database?.drop();
});

describe("searching the payment list by the buyer", () => {
  it("finds a buyer's payments by full name, in any order and case, and by one name", async () => {
    expect(await search("Camille Roy")).toEqual([ids.camille, ids.camilleAgain].sort());
    expect(await search("roy camille")).toEqual([ids.camille, ids.camilleAgain].sort());
    expect(await search("  CAMILLE   roy ")).toEqual([ids.camille, ids.camilleAgain].sort());
    expect(await search("camille")).toEqual([ids.camille, ids.camilleAgain, ids.camilleMartin].sort());
    // The shipping address's name counts too (a gift).
    expect(await search("roy")).toEqual([ids.camille, ids.camilleAgain, ids.gift].sort());
    expect(await search("Tom Roy")).toEqual([ids.gift]);
  });

  it("ignores accents and splits compound names", async () => {
    expect(await search("helene lefevre")).toEqual([ids.helene]);
    expect(await search("Hélène Lefèvre-Dubois")).toEqual([ids.helene]);
    expect(await search("dubois")).toEqual([ids.helene]);
    expect(await search("佐藤")).toEqual([ids.noName]);
  });

  it("finds by email and by phone, exactly, and by an email with a name", async () => {
    expect(await search("camille.roy@example.com")).toEqual([ids.camille]);
    expect(await search("514-555-0100")).toEqual([ids.camille]);
    expect(await search("camille cm@example.com")).toEqual([ids.camilleMartin]);
    expect(await search("camille.roy@example")).toEqual([]);
  });

  it("needs every word: a name no buyer has in full finds nothing, nor does a part of a word", async () => {
    expect(await search("Camille Jones")).toEqual([]);
    expect(await search("cam")).toEqual([]);
    expect(await search("Camille Roy Smith")).toEqual([]);
  });

  it("keeps the search by id, alone or with a name", async () => {
    const payment = await database.db.paymentSession.findUniqueOrThrow({ where: { id: ids.camille ?? "" } });
    expect(await search(payment.shopifyId)).toEqual([ids.camille]);
    expect(await search(payment.gid)).toEqual([ids.camille]);
    expect(await search(`camille ${payment.shopifyId}`)).toEqual([ids.camille]);
    expect(await search(`martin ${payment.shopifyId}`)).toEqual([]);
  });

  it("finds a payment by its gid through its id, and nothing by a gid of another type, another payment or none", async () => {
    const payment = await database.db.paymentSession.findUniqueOrThrow({ where: { id: ids.camille ?? "" } });
    expect(await search(`gid://shopify/PaymentSession/${payment.shopifyId}`)).toEqual([ids.camille]);
    expect(await search(`gid://shopify/RefundSession/${payment.shopifyId}`)).toEqual([]);
    expect(await search("gid://shopify/PaymentSession/")).toEqual([]);
    expect(await search("gid://shopify/PaymentSession/no-such-payment")).toEqual([]);
    // A row whose gid does not name its id (none is received so; an older row could be) is not found by that id's gid.
    await database.db.paymentSession.update({ where: { id: payment.id }, data: { gid: "gid://shopify/PaymentSession/elsewhere" } });
    expect(await search(`gid://shopify/PaymentSession/${payment.shopifyId}`)).toEqual([]);
  });

  it("stays within the shop, and finds no one without the keys", async () => {
    expect(await search("Camille Roy", OTHER_SHOP)).toEqual([ids.elsewhere]);
    expect(await search("Camille Roy", SHOP, false)).toEqual([]);
  });

  it("stores keyed digests only: no name in clear, and none equal to the email lookup or the fingerprint digest of the same text", async () => {
    const terms = await database.db.paymentSearchTerm.findMany({ where: { paymentSessionId: ids.camille } });
    expect(terms.map((term) => term.digest).sort()).toEqual(["camille", "roy"].map((word) => buyerSearchDigest(keyring, SHOP, word)).sort());
    const stored = JSON.stringify(terms).toLowerCase();
    expect(stored).not.toContain("camille");
    expect(stored).not.toContain("roy");
    const digest = buyerSearchDigest(keyring, SHOP, "camille");
    expect(digest).not.toBe(emailLookup(keyring, "camille"));
    expect(digest).not.toBe(keyedDigest(keyring, "camille"));
    expect(buyerSearchDigest(piiKeyringFromEnv({ SHOPIFY_API_SECRET: "another-secret-another-secret-another" }), SHOP, "camille")).not.toBe(digest);
    // The same name in another shop: no equal digest to link the two shops' buyers.
    const elsewhere = await database.db.paymentSearchTerm.findMany({ where: { paymentSessionId: ids.elsewhere } });
    expect(elsewhere.map((term) => term.digest)).not.toContain(digest);
  });

  it("refuses a query of more than 8 words, naming the field", () => {
    const result = paymentListQuerySchema.safeParse({ q: "a b c d e f g h i" });
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([["q", "must be at most 8 words"]]);
  });
});

describe("normalizing names for the index", () => {
  it("lower-cases, drops accents and compatibility forms, and splits on what is not a letter or a digit", () => {
    expect(searchWords("  Hélène  LEFÈVRE-Dubois ")).toEqual(["helene", "lefevre", "dubois"]);
    expect(searchWords("O'Brien")).toEqual(["o", "brien"]);
    expect(searchWords("Ｃａｍｉｌｌｅ")).toEqual(["camille"]);
    expect(searchWords("Zoë Ñúñez")).toEqual(["zoe", "nunez"]);
    expect(searchWords("佐藤 陽翔")).toEqual(["佐藤", "陽翔"]);
    expect(searchWords(" - ")).toEqual([]);
  });
});

describe("erasing and rebuilding the index", () => {
  it("backfills payments received before the index existed, and rebuilds it after the lookup key changed", async () => {
    await database.db.paymentSearchTerm.deleteMany({ where: { shop: SHOP } });
    expect(await search("Camille Roy")).toEqual([]);
    // Seven payments have a buyer's address (one has no customer), in batches of three.
    expect(await reindexBuyerSearch(database.db, keyring, 3)).toBe(7);
    expect(await search("Camille Roy")).toEqual([ids.camille, ids.camilleAgain].sort());
    expect(await search("Tom Roy")).toEqual([ids.gift]);
    // Again: the same rows, not twice as many.
    const before = await database.db.paymentSearchTerm.count();
    await reindexBuyerSearch(database.db, keyring);
    expect(await database.db.paymentSearchTerm.count()).toBe(before);
  });

  it("customers/redact deletes the digests of the customer's payments, and only theirs", async () => {
    const redacted = await database.db.$transaction((tx) => redactCustomer(tx, keyring, SHOP, { webhookId: "w-1", customer: { email: "camille.roy@example.com" }, triggeredAt: null }));
    expect(redacted).toBe(1);
    expect(await database.db.paymentSearchTerm.count({ where: { paymentSessionId: ids.camille } })).toBe(0);
    expect(await search("Camille Roy")).toEqual([ids.camilleAgain]);
    expect(await search("camille.roy@example.com")).toEqual([]);
    expect(await search("Camille Roy", OTHER_SHOP)).toEqual([ids.elsewhere]);
    // The index is not rebuilt for an erased payment.
    await reindexBuyerSearch(database.db, keyring);
    expect(await database.db.paymentSearchTerm.count({ where: { paymentSessionId: ids.camille } })).toBe(0);
  });

  it("shop/redact deletes every digest of the shop", async () => {
    await database.db.$transaction((tx) => deleteShopData(tx, OTHER_SHOP));
    expect(await database.db.paymentSearchTerm.count({ where: { shop: OTHER_SHOP } })).toBe(0);
    expect(await database.db.paymentSearchTerm.count({ where: { shop: SHOP } })).toBeGreaterThan(0);
  });
});
