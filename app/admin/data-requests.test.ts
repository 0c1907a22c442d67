import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { encryptPii, piiKeyringFromEnv } from "../privacy/pii-crypto.server";
import { downloadCustomerDataExport } from "./data-requests.server";

/** Downloading a customer data export: the document, decrypted, and an audit entry naming who took it. */
const SHOP = "requests-shop.myshopify.com";
const OTHER = "requests-other.myshopify.com";
const NOW = new Date("2026-12-03T08:00:00.000Z");
const keyring = piiKeyringFromEnv({ SHOPIFY_API_SECRET: "data-requests-test-secret-0123456789" });
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.shop.createMany({ data: [{ domain: SHOP }, { domain: OTHER }] });
  await database.db.customerDataExport.create({
    data: { id: "export1", shop: SHOP, webhookId: "w1", dataRequestId: "9999", paymentCount: 2, document: encryptPii(keyring, "CustomerDataExport.document", '{"payments":[]}'), expiresAt: new Date(NOW.getTime() + 86_400_000) },
  });
});

afterAll(async () => {
  await database?.drop();
});

describe("a customer data export's download", () => {
  it("gives the document and records the download in the audit trail", async () => {
    const found = await downloadCustomerDataExport(database.db, keyring, { shop: SHOP, staffUserId: "42", staffName: "Sam Support", staffEmail: null }, "export1", NOW);
    expect(found).toEqual({ document: '{"payments":[]}', dataRequestId: "9999" });
    const entries = await database.db.auditEntry.findMany({ where: { shop: SHOP } });
    expect(entries.map((entry) => [entry.staffUserId, entry.action, entry.subject, entry.reason])).toEqual([["42", "CUSTOMER_DATA_EXPORT_DOWNLOAD", "export1", "Downloaded the customer data export for data request 9999"]]);
  });

  it("is not found for another shop's staff, and records nothing", async () => {
    expect(await downloadCustomerDataExport(database.db, keyring, { shop: OTHER, staffUserId: "7", staffName: null, staffEmail: null }, "export1", NOW)).toBeNull();
    expect(await database.db.auditEntry.count({ where: { shop: OTHER } })).toBe(0);
  });
});
