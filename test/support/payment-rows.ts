import type { Prisma } from "@prisma/client";
import { createTestDatabase, type TestDatabase } from "./database";

/**
 * A fresh database with one installed shop, for tests of the admin's reads
 * (they read the PII keyring, which derives from the app's environment).
 */
export async function createShopDatabase(shop: string): Promise<TestDatabase> {
  process.env.SHOPIFY_APP_URL ??= "http://127.0.0.1:1";
  process.env.SHOPIFY_API_KEY ??= "test-api-key";
  process.env.SHOPIFY_API_SECRET ??= "test-secret-0123456789abcdef";
  process.env.SHOPIFY_REQUEST_AUTH ??= "none";
  const database = await createTestDatabase();
  await database.db.shop.create({ data: { domain: shop } });
  return database;
}

let rows = 0;

/** A resolved $30.00 test sale proposed, received and resolved at `at`, unless `overrides` say otherwise. */
export function createPaymentRow(db: TestDatabase["db"], shop: string, at: Date, overrides: Partial<Prisma.PaymentSessionUncheckedCreateInput> = {}) {
  rows += 1;
  return db.paymentSession.create({
    data: {
      shop,
      shopifyId: `p${rows}`,
      gid: `gid://shopify/PaymentSession/p${rows}`,
      group: `g${rows}`,
      amountMinor: 3000n,
      amount: "30.00",
      currency: "USD",
      test: true,
      merchantLocale: "en",
      kind: "SALE",
      paymentMethodType: "offsite",
      cancelUrl: "https://x.test/c",
      proposedAt: at,
      shopifyApiVersion: "2026-04",
      shopifyRequestId: `req${rows}`,
      requestHash: `h${rows}`,
      status: "RESOLVED",
      receivedAt: at,
      resolvedAt: at,
      ...overrides,
    },
  });
}
