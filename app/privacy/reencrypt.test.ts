import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { getPaymentCustomer } from "./customer-data.server";
import { emailLookup, encryptPii, piiKeyIdOf, piiKeyringFromEnv } from "./pii-crypto.server";
import { reencryptCustomerData } from "./reencrypt.server";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const SHOP = "rotation.myshopify.com";
const key = () => randomBytes(32).toString("base64");

async function payment(id: string, email: string, familyName: string) {
  await database.db.shop.upsert({ where: { domain: SHOP }, create: { domain: SHOP }, update: {} });
  return database.db.paymentSession.create({
    data: {
      id, shop: SHOP, shopifyId: id, gid: `gid://shopify/PaymentSession/${id}`, group: "g", amountMinor: 100n, amount: "1.00", currency: "USD", test: true,
      merchantLocale: "en", kind: "SALE", paymentMethodType: "offsite", cancelUrl: "https://x", proposedAt: new Date(), shopifyApiVersion: "2026-04",
      shopifyRequestId: "r", requestHash: "h", customerEmail: email,
      addresses: { create: { role: "BILLING", familyName, line1: "1 Way", city: "Town", countryCode: "CA" } },
    },
  });
}

describe("re-encrypting customer data after a key rotation", () => {
  it("moves clear values from before encryption and values under a retired key to the current key, and is idempotent", async () => {
    const k1 = key();
    const old = piiKeyringFromEnv({ SHOPIFY_API_SECRET: "0123456789abcdef", PII_ENCRYPTION_KEYS: `k1:${k1}` });
    await payment("legacy", "legacy@example.com", "Legacy");
    await payment("old-key", encryptPii(old, "PaymentSession.customerEmail", "old@example.com"), encryptPii(old, "PaymentAddress.familyName", "Oldkey"));

    const rotated = piiKeyringFromEnv({ SHOPIFY_API_SECRET: "0123456789abcdef", PII_ENCRYPTION_KEYS: `k2:${key()},k1:${k1}` });
    expect(await reencryptCustomerData(database.db, rotated, 1)).toEqual({ payments: 2, addresses: 2, exports: 0 });

    const rows = await database.db.paymentSession.findMany({ where: { shop: SHOP }, include: { addresses: true }, orderBy: { id: "asc" } });
    for (const row of rows) {
      expect(piiKeyIdOf(row.customerEmail ?? "")).toBe("k2");
      expect(piiKeyIdOf(row.addresses[0]?.familyName ?? "")).toBe("k2");
    }
    const legacy = await getPaymentCustomer(database.db, rotated, SHOP, "legacy");
    expect(legacy).toMatchObject({ email: "legacy@example.com", addresses: [{ familyName: "Legacy", line1: "1 Way" }] });
    expect(rows.find((r) => r.id === "legacy")?.customerEmailLookup).toBe(emailLookup(rotated, "legacy@example.com"));
    expect((await getPaymentCustomer(database.db, rotated, SHOP, "old-key"))?.email).toBe("old@example.com");

    // k1 can now be retired.
    const k2Only = piiKeyringFromEnv({ SHOPIFY_API_SECRET: "0123456789abcdef", PII_ENCRYPTION_KEYS: rotated.current.id + ":" + rotated.current.key.toString("base64") });
    expect((await getPaymentCustomer(database.db, k2Only, SHOP, "old-key"))?.addresses[0]?.familyName).toBe("Oldkey");
    expect(await reencryptCustomerData(database.db, rotated)).toEqual({ payments: 0, addresses: 0, exports: 0 });
  });
});
