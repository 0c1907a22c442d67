import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCustomerDataExportDocument, getPaymentCustomer } from "../../app/privacy/customer-data.server";
import { createWebhookSender, signWebhookBody, type WebhookSender } from "../../sandbox/shopify/webhooks";
import { startApp, TEST_API_SECRET, type AppProcess } from "../support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { testPiiKeyring } from "../support/pii";
import { followUpBody, paymentBody, post, shopifyHeaders } from "../support/shopify-requests";

/**
 * Shopify's webhooks against the app as its own process: HMAC, idempotency by
 * webhook id, validation, and each topic's effect checked in the database.
 */
let database: TestDatabase;
let app: AppProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startApp({ DATABASE_URL: database.url, WORKER_ENABLED: "false" });
});

afterAll(async () => {
  await app?.stop();
  await database?.drop();
});

const sender = (shop: string, apiSecret = TEST_API_SECRET): WebhookSender => createWebhookSender({ appUrl: app.url, apiSecret, shop, attempts: 1 });

const customer = (email: string, phone: string, family = "Smith") => {
  const address = { given_name: "Alice", family_name: family, line1: "123 Street", line2: "Suite B", city: "Montreal", postal_code: "H2Z 0B3", province: "Quebec", province_code: "QC", country_code: "CA", phone_number: phone, company: "Acme" };
  return { email, phone_number: phone, locale: "fr", billing_address: address, shipping_address: address };
};

/** A shop with the app installed and one payment per customer given. */
async function shopWithPayments(shop: string, customers: ReturnType<typeof customer>[]) {
  await installShop(database.db, shop);
  const ids: string[] = [];
  for (const who of customers) {
    const body = paymentBody({ customer: who });
    const response = await post(app.url, "/sessions/payment", body, shopifyHeaders(shop));
    expect(response.status).toBe(201);
    ids.push((await database.db.paymentSession.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: body.id } } })).id);
  }
  return ids;
}

describe("webhook authentication (HMAC of the raw body with the app's secret)", () => {
  it("refuses a forged signature with 401 and changes nothing", async () => {
    const shop = "forged.myshopify.com";
    const [paymentId = ""] = await shopWithPayments(shop, [customer("forged@example.com", "5145550001")]);

    const wrongSecret = await sender(shop, "another-secret-0123456789").send("shop/redact");
    const wrongHeader = await sender(shop).send("customers/redact", { email: "forged@example.com" }, { signature: "wrong" });

    expect([wrongSecret.status, wrongHeader.status]).toEqual([401, 401]);
    expect(wrongHeader.response).toMatchObject({ error: { code: "INVALID_HMAC", problems: [{ field: "X-Shopify-Hmac-Sha256" }] } });
    expect(await database.db.paymentSession.count({ where: { shop } })).toBe(1);
    expect((await getPaymentCustomer(database.db, testPiiKeyring(), shop, paymentId))?.email).toBe("forged@example.com");
    expect(await database.db.session.count({ where: { shop } })).toBe(1);
    expect(await database.db.processedWebhook.count({ where: { shop } })).toBe(0);
  });

  it("refuses a webhook without a signature with 401", async () => {
    const shop = "unsigned.myshopify.com";
    await installShop(database.db, shop);
    const sent = await sender(shop).send("app/uninstalled", {}, { signature: "missing" });
    expect(sent.status).toBe(401);
    expect(await database.db.session.count({ where: { shop } })).toBe(1);
  });

  it("refuses a body signed correctly but changed on the way (the signature covers the raw bytes)", async () => {
    const shop = "tampered.myshopify.com";
    await installShop(database.db, shop);
    const raw = JSON.stringify({ shop_id: 1, shop_domain: shop });
    const response = await fetch(`${app.url}/webhooks`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Topic": "shop/redact", "X-Shopify-Shop-Domain": shop, "X-Shopify-API-Version": "2026-04", "X-Shopify-Webhook-Id": "w-tampered", "X-Shopify-Hmac-Sha256": signWebhookBody(raw, TEST_API_SECRET) },
      body: raw.replace("1", "2"),
    });
    expect(response.status).toBe(401);
    expect(await database.db.session.count({ where: { shop } })).toBe(1);
  });

  it("names a missing header after a valid signature, and refuses GET", async () => {
    const raw = JSON.stringify({ shop_id: 1, shop_domain: "headers.myshopify.com" });
    const response = await fetch(`${app.url}/webhooks`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Topic": "shop/redact", "X-Shopify-Shop-Domain": "headers.myshopify.com", "X-Shopify-API-Version": "2026-04", "X-Shopify-Hmac-Sha256": signWebhookBody(raw, TEST_API_SECRET) },
      body: raw,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "INVALID_HEADER", problems: [{ field: "X-Shopify-Webhook-Id" }] } });
    expect((await fetch(`${app.url}/webhooks`)).status).toBe(405);
  });

  it("validates the body after the signature: a 422 names the field, and a body for another shop is refused", async () => {
    const shop = "invalid-body.myshopify.com";
    await installShop(database.db, shop);
    const missingCustomer = await sender(shop).send("customers/redact", {}, { body: { shop_id: 1, shop_domain: shop } });
    expect(missingCustomer.status).toBe(422);
    expect(missingCustomer.response).toMatchObject({ error: { code: "INVALID_BODY", problems: [{ field: "customer", message: "is required" }] } });
    const otherShop = await sender(shop).send("shop/redact", {}, { body: { shop_id: 1, shop_domain: "victim.myshopify.com" } });
    expect(otherShop.status).toBe(422);
    expect(otherShop.response).toMatchObject({ error: { problems: [{ field: "shop_domain" }] } });
    expect(await database.db.processedWebhook.count({ where: { shop } })).toBe(0);
  });
});

describe("app/uninstalled", () => {
  it("revokes the shop's tokens, marks it uninstalled, keeps its payments, and a replay (same webhook id) changes nothing", async () => {
    const shop = "uninstalling.myshopify.com";
    await shopWithPayments(shop, [customer("keep@example.com", "5145550002")]);
    const webhooks = sender(shop);

    const first = await webhooks.send("app/uninstalled");
    expect(first).toMatchObject({ status: 200, response: { outcome: "processed" } });
    expect(await database.db.session.count({ where: { shop } })).toBe(0);
    const row = await database.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(row.uninstalledAt).toBeInstanceOf(Date);
    expect(await database.db.paymentSession.count({ where: { shop } })).toBe(1);

    // Shopify retries with the same id: answered 200, nothing happens again.
    await installShop(database.db, shop);
    const replay = await webhooks.send("app/uninstalled", {}, { webhookId: first.webhookId });
    expect(replay).toMatchObject({ status: 200, response: { outcome: "duplicate" } });
    expect(await database.db.session.count({ where: { shop } })).toBe(1);
    expect((await database.db.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toEqual(row.uninstalledAt);
  });

  it("holds the shop's deliveries: a delivery of an uninstalled shop is never claimed", async () => {
    const { claimDueDeliveries } = await import("../../app/delivery/claims.server");
    const shop = "held.myshopify.com";
    const [paymentId = ""] = await shopWithPayments(shop, [customer("held@example.com", "5145550003")]);
    const payment = await database.db.paymentSession.findUniqueOrThrow({ where: { id: paymentId } });
    await database.db.delivery.create({ data: { shop, operation: "PAYMENT_RESOLVE", sessionGid: payment.gid, paymentSessionId: payment.id } });
    expect((await sender(shop).send("app/uninstalled")).status).toBe(200);
    expect(await claimDueDeliveries(database.db, "test-worker", 100, 60_000, new Date(Date.now() + 1000))).toEqual([]);
    await database.db.shop.update({ where: { domain: shop }, data: { uninstalledAt: null } });
    expect((await claimDueDeliveries(database.db, "test-worker", 100, 60_000, new Date(Date.now() + 1000))).map((d) => d.shop)).toEqual([shop]);
  });
});

describe("customers/data_request", () => {
  it("stores an encrypted export of everything held about the customer, matched by email or phone, and logs only counts", async () => {
    const shop = "data-request.myshopify.com";
    const [byEmail = "", byPhone = ""] = await shopWithPayments(shop, [customer("Export.Me@example.com", "+1 514 555 0004"), customer("other-address@example.com", "514-555-0004", "Jones"), customer("stranger@example.com", "5145559999", "Stranger")]);
    await post(app.url, "/sessions/refund", followUpBody("RefundSession", (await database.db.paymentSession.findUniqueOrThrow({ where: { id: byEmail } })).shopifyId), shopifyHeaders(shop));

    const sent = await sender(shop).send("customers/data_request", { email: "export.me@example.com", phone: "5145550004" });

    expect(sent.status).toBe(200);
    const row = await database.db.customerDataExport.findFirstOrThrow({ where: { shop } });
    expect(row.paymentCount).toBe(2);
    expect(row.document).not.toContain("example.com");
    const document = JSON.parse((await getCustomerDataExportDocument(database.db, testPiiKeyring(), shop, row.id)) ?? "null");
    expect(document).toMatchObject({ format: "payments-app.customer-data-export", version: 1, shop, request: { webhookId: sent.webhookId, matchedBy: ["email", "phone"] } });
    const ids = await database.db.paymentSession.findMany({ where: { id: { in: [byEmail, byPhone] } }, select: { shopifyId: true } });
    expect(document.payments.map((p: { id: string }) => p.id).sort()).toEqual(ids.map((p) => p.shopifyId).sort());
    const first = document.payments.find((p: { customer: { email: string } }) => p.customer.email === "Export.Me@example.com");
    expect(first.customer.addresses[0]).toMatchObject({ role: "BILLING", givenName: "Alice", line1: "123 Street", city: "Montreal" });
    expect(first.refunds).toHaveLength(1);
    expect(JSON.stringify(document)).not.toContain("stranger@example.com");
    // Another shop cannot read it.
    expect(await getCustomerDataExportDocument(database.db, testPiiKeyring(), "redact.myshopify.com", row.id)).toBeNull();

    const line = app.logs.find((entry) => entry.msg === "webhook" && entry.webhookId === sent.webhookId);
    expect(line).toMatchObject({ topic: "customers/data_request", outcome: "processed", counts: { payments: 2 }, exportId: row.id, status: 200 });
    expect(JSON.stringify(app.logs)).not.toMatch(/export\.me@example\.com|5145550004/i);
  });
});

describe("customers/redact", () => {
  it("erases the customer's PII from every matching session and their exports, and leaves other customers and shops alone", async () => {
    const shop = "redact.myshopify.com";
    const [target = "", samePhone = "", other = ""] = await shopWithPayments(shop, [customer("gone@example.com", "5145550005"), customer("gone-too@example.com", "+15145550005"), customer("stays@example.com", "5145550006", "Stays")]);
    const [elsewhere = ""] = await shopWithPayments("redact-other.myshopify.com", [customer("gone@example.com", "5145550005")]);
    const webhooks = sender(shop);
    expect((await webhooks.send("customers/data_request", { email: "gone@example.com" })).status).toBe(200);

    const sent = await webhooks.send("customers/redact", { email: "gone@example.com", phone: "514-555-0005" });

    expect(sent).toMatchObject({ status: 200, response: { outcome: "processed" } });
    for (const id of [target, samePhone]) {
      const row = await database.db.paymentSession.findUniqueOrThrow({ where: { id }, include: { addresses: true } });
      expect(row).toMatchObject({ customerEmail: null, customerPhoneNumber: null, customerLocale: null, customerEmailLookup: null, customerPhoneLookup: null, addresses: [] });
      expect(row.customerRedactedAt).toBeInstanceOf(Date);
      // Nothing left can confirm a guess of what was erased: not even the request's fingerprint.
      expect(row.requestHash).toMatch(/^redacted:/);
      // The payment itself stays for the merchant's books.
      expect(row.amount).toBe("123.00");
    }
    expect(await database.db.customerDataExport.count({ where: { shop } })).toBe(0);
    expect((await getPaymentCustomer(database.db, testPiiKeyring(), shop, other))?.email).toBe("stays@example.com");
    expect((await getPaymentCustomer(database.db, testPiiKeyring(), "redact-other.myshopify.com", elsewhere))?.email).toBe("gone@example.com");
    expect(await getPaymentCustomer(database.db, testPiiKeyring(), shop, target)).toMatchObject({ email: null, phone: null, addresses: [], redactedAt: expect.any(String) });
  });
});

describe("shop/redact", () => {
  it("deletes all of the shop's data but the webhook ids, and a retried shop/redact is still answered 200", async () => {
    const shop = "redact-shop.myshopify.com";
    const [paymentId = ""] = await shopWithPayments(shop, [customer("shop-gone@example.com", "5145550007")]);
    const payment = await database.db.paymentSession.findUniqueOrThrow({ where: { id: paymentId } });
    await post(app.url, "/sessions/refund", followUpBody("RefundSession", payment.shopifyId), shopifyHeaders(shop));
    await database.db.delivery.create({ data: { shop, operation: "PAYMENT_RESOLVE", sessionGid: payment.gid, paymentSessionId: payment.id, attemptLog: { create: { number: 1, startedAt: new Date(), durationMs: 5, outcome: "RETRYABLE" } } } });
    await database.db.sandboxCharge.create({ data: { paymentId, kind: "sale", amountMinor: 12300n, currency: "CAD", scenario: "approve", settlesAt: new Date() } });
    await database.db.auditEntry.create({ data: { shop, staffUserId: "1001", action: "PII_REVEAL", paymentSessionId: paymentId, subject: payment.gid, reason: "buyer called" } });
    await database.db.providerCall.create({ data: { shop, paymentSessionId: paymentId, operation: "CHARGE", provider: "sandbox", startedAt: new Date(), durationMs: 3, result: "approved" } });
    await database.db.sessionReplay.create({ data: { shop, kind: "PAYMENT", shopifyId: payment.shopifyId, shopifyRequestId: "retry-1" } });
    const [kept = ""] = await shopWithPayments("redact-shop-neighbour.myshopify.com", [customer("neighbour@example.com", "5145550008")]);
    const webhooks = sender(shop);
    await webhooks.send("customers/data_request", { email: "shop-gone@example.com" });
    await webhooks.send("app/uninstalled");

    const sent = await webhooks.send("shop/redact");

    expect(sent.status).toBe(200);
    const db = database.db;
    const left = await Promise.all([
      db.shop.count({ where: { domain: shop } }),
      db.session.count({ where: { shop } }),
      db.paymentSession.count({ where: { shop } }),
      db.paymentAddress.count({ where: { paymentSessionId: paymentId } }),
      db.refundSession.count({ where: { shop } }),
      db.delivery.count({ where: { shop } }),
      db.deliveryAttempt.count({ where: { delivery: { shop } } }),
      db.sandboxCharge.count({ where: { paymentId } }),
      db.customerDataExport.count({ where: { shop } }),
      db.auditEntry.count({ where: { shop } }),
      db.providerCall.count({ where: { paymentSessionId: paymentId } }),
      db.sessionReplay.count({ where: { shop } }),
    ]);
    expect(left).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(await db.processedWebhook.count({ where: { shop } })).toBe(3);
    expect(await db.paymentSession.count({ where: { id: kept } })).toBe(1);

    expect(await webhooks.send("shop/redact", {}, { webhookId: sent.webhookId })).toMatchObject({ status: 200, response: { outcome: "duplicate" } });
  });
});
