import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { getPaymentCustomer, sealAddress } from "./customer-data.server";
import { emailLookup, encryptPii, piiKeyIdOf, piiKeyringFromEnv } from "./pii-crypto.server";
import { reencryptCustomerData } from "./reencrypt.server";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const SHOP = "rotation.myshopify.com";
const key = () => randomBytes(32).toString("base64");

type AddressData = { familyName: string; line1: string; city: string } | { sealed: string };

async function payment(id: string, email: string, address: AddressData) {
  await database.db.shop.upsert({ where: { domain: SHOP }, create: { domain: SHOP }, update: {} });
  return database.db.paymentSession.create({
    data: {
      id, shop: SHOP, shopifyId: id, gid: `gid://shopify/PaymentSession/${id}`, group: "g", amountMinor: 100n, amount: "1.00", currency: "USD", test: true,
      merchantLocale: "en", kind: "SALE", paymentMethodType: "offsite", cancelUrl: "https://x", proposedAt: new Date(), shopifyApiVersion: "2026-04",
      shopifyRequestId: "r", requestHash: "h", customerEmail: email,
      addresses: { create: { role: "BILLING", countryCode: "CA", ...address } },
    },
  });
}

describe("re-encrypting customer data after a key rotation", () => {
  it("moves clear values from before encryption and values under a retired key to the current key, folds per-field addresses into one sealed value, and is idempotent", async () => {
    const k1 = key();
    const old = piiKeyringFromEnv({ SHOPIFY_API_SECRET: "0123456789abcdef", PII_ENCRYPTION_KEYS: `k1:${k1}` });
    const perField = (familyName: string) => ({ familyName, line1: "1 Way", city: "Town" });
    await payment("legacy", "legacy@example.com", perField("Legacy"));
    await payment("old-key", encryptPii(old, "PaymentSession.customerEmail", "old@example.com"), { ...perField(encryptPii(old, "PaymentAddress.familyName", "Oldkey")), line1: encryptPii(old, "PaymentAddress.line1", "1 Way") });
    const { sealed } = sealAddress(old, { role: "BILLING", givenName: "Sealed", familyName: "Once", line1: "2 Road", line2: null, city: "Ville", postalCode: "H2X", province: null, provinceCode: null, countryCode: "CA", phoneNumber: null, company: null });
    await payment("sealed-old-key", encryptPii(old, "PaymentSession.customerEmail", "sealed@example.com"), { sealed });

    const rotated = piiKeyringFromEnv({ SHOPIFY_API_SECRET: "0123456789abcdef", PII_ENCRYPTION_KEYS: `k2:${key()},k1:${k1}` });
    expect(await reencryptCustomerData(database.db, rotated, 1)).toEqual({ payments: 3, addresses: 3, exports: 0 });

    const rows = await database.db.paymentSession.findMany({ where: { shop: SHOP }, include: { addresses: true }, orderBy: { id: "asc" } });
    for (const row of rows) {
      expect(piiKeyIdOf(row.customerEmail ?? "")).toBe("k2");
      expect(row.addresses).toMatchObject([{ familyName: null, line1: null, city: null, countryCode: "CA" }]);
      expect(piiKeyIdOf(row.addresses[0]?.sealed ?? "")).toBe("k2");
    }
    const legacy = await getPaymentCustomer(database.db, rotated, SHOP, "legacy");
    expect(legacy).toMatchObject({ email: "legacy@example.com", addresses: [{ familyName: "Legacy", line1: "1 Way", city: "Town", line2: null, countryCode: "CA" }] });
    expect(rows.find((r) => r.id === "legacy")?.customerEmailLookup).toBe(emailLookup(rotated, "legacy@example.com"));
    expect((await getPaymentCustomer(database.db, rotated, SHOP, "old-key"))?.email).toBe("old@example.com");

    // k1 can now be retired.
    const k2Only = piiKeyringFromEnv({ SHOPIFY_API_SECRET: "0123456789abcdef", PII_ENCRYPTION_KEYS: rotated.current.id + ":" + rotated.current.key.export().toString("base64") });
    expect((await getPaymentCustomer(database.db, k2Only, SHOP, "old-key"))?.addresses[0]).toMatchObject({ familyName: "Oldkey", line1: "1 Way" });
    expect((await getPaymentCustomer(database.db, k2Only, SHOP, "sealed-old-key"))?.addresses[0]).toMatchObject({ givenName: "Sealed", familyName: "Once", line1: "2 Road", postalCode: "H2X", line2: null });
    expect(await reencryptCustomerData(database.db, rotated)).toEqual({ payments: 0, addresses: 0, exports: 0 });
  });
});
