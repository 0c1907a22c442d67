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

const customer = (email: string | null, phone: string, family = "Smith") => {
  const address = { given_name: "Alice", family_name: family, line1: "123 Street", line2: "Suite B", city: "Montreal", postal_code: "H2Z 0B3", province: "Quebec", province_code: "QC", country_code: "CA", phone_number: phone, company: "Acme" };
  return { ...(email === null ? {} : { email }), phone_number: phone, locale: "fr", billing_address: address, shipping_address: address };
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
    expect(await database.db.session.count({ where: { shop, isOnline: false } })).toBe(1);
    expect(await database.db.processedWebhook.count({ where: { shop } })).toBe(0);
  });

  it("refuses a webhook without a signature with 401", async () => {
    const shop = "unsigned.myshopify.com";
    await installShop(database.db, shop);
    const sent = await sender(shop).send("app/uninstalled", {}, { signature: "missing" });
    expect(sent.status).toBe(401);
    expect(await database.db.session.count({ where: { shop, isOnline: false } })).toBe(1);
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
    expect(await database.db.session.count({ where: { shop, isOnline: false } })).toBe(1);
  });

  it("names a missing header after a valid signature, and refuses GET", async () => {
    const raw = JSON.stringify({ shop_id: 1, shop_domain: "headers.myshopify.com" });
    const response = await fetch(`${app.url}/webhooks`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Topic": "shop/redact", "X-Shopify-Shop-Domain": "headers.myshopify.com", "X-Shopify-API-Version": "2026-04", "X-Shopify-Hmac-Sha256": signWebhookBody(raw, TEST_API_SECRET) },
      body: raw,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "INVALID_HEADER", problems: [{ field: "X-Shopify-Webhook-Id" }, { field: "X-Shopify-Triggered-At" }] } });
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

/** A webhook POSTed as Shopify would, signed with the app's secret, with headers of the caller's choosing. */
async function postSigned(topic: string, shopHeader: string, body: unknown, extraHeaders: Record<string, string | null> = {}) {
  const raw = JSON.stringify(body);
  const response = await fetch(`${app.url}/webhooks`, {
    method: "POST",
    // A null header is left out.
    headers: Object.fromEntries(Object.entries({
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": shopHeader,
      "X-Shopify-API-Version": "2026-04",
      "X-Shopify-Webhook-Id": `w-${Math.random().toString(36).slice(2)}`,
      "X-Shopify-Triggered-At": new Date().toISOString(),
      "X-Shopify-Hmac-Sha256": signWebhookBody(raw, TEST_API_SECRET),
      ...extraHeaders,
    }).filter((entry): entry is [string, string] => entry[1] !== null)),
    body: raw,
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; problems: { field: string }[] }; outcome?: string } };
}

/** What a webhook could have changed for a shop: its token, its payments' customers, its uninstall mark, its webhook ids. */
async function shopState(shop: string) {
  const db = database.db;
  return {
    sessions: await db.session.count({ where: { shop } }),
    payments: await db.paymentSession.count({ where: { shop } }),
    withEmail: await db.paymentSession.count({ where: { shop, customerEmail: { not: null } } }),
    uninstalledAt: (await db.shop.findUnique({ where: { domain: shop } }))?.uninstalledAt ?? null,
    exports: await db.customerDataExport.count({ where: { shop } }),
    webhooks: await db.processedWebhook.count({ where: { shop } }),
    deliveries: await db.delivery.count({ where: { shop } }),
    audit: await db.auditEntry.count({ where: { shop } }),
  };
}

describe("webhooks bound to their signed body", () => {
  it("answers a valid signature with a shop header outside *.myshopify.com with 400, not a 5xx", async () => {
    for (const header of ["evil.example.com", "shop.myshopify.com.evil.example", "UPPER.myshopify.com", "a/b.myshopify.com"]) {
      const sent = await postSigned("shop/redact", header, { shop_id: 1, shop_domain: header });
      expect(sent.status, header).toBe(400);
      expect(sent.body).toMatchObject({ error: { code: "INVALID_HEADER", problems: [{ field: "X-Shopify-Shop-Domain" }] } });
    }
  });

  it("refuses app/uninstalled whose body names another shop than X-Shopify-Shop-Domain (422), and changes nothing", async () => {
    const victim = "uninstall-victim.myshopify.com";
    await shopWithPayments(victim, [customer("victim@example.com", "5145550020")]);
    const before = await shopState(victim);
    const other = "uninstall-attacker.myshopify.com";
    const bodies = [
      { id: 1, name: "attacker", domain: other, myshopify_domain: other },
      // The custom domain is not the shop's name; the myshopify domain is.
      { id: 1, name: "attacker", domain: "shop.example.com", myshopify_domain: other },
      // A myshopify `domain` that contradicts the header counts as well.
      { id: 1, name: "attacker", domain: other, myshopify_domain: victim },
      // A body that names no shop cannot be bound to the header.
      { id: 1, name: "attacker" },
    ];
    for (const body of bodies) {
      const sent = await postSigned("app/uninstalled", victim, body);
      expect(sent.status, JSON.stringify(body)).toBe(422);
      expect(sent.body.error?.code).toBe("INVALID_BODY");
    }
    expect(await shopState(victim)).toEqual(before);
  });

  it("refuses a privacy webhook whose shop_domain is another shop (422), and changes nothing", async () => {
    const victim = "privacy-victim.myshopify.com";
    await shopWithPayments(victim, [customer("privacy-victim@example.com", "5145550021")]);
    const before = await shopState(victim);
    const elsewhere = { shop_id: 1, shop_domain: "privacy-attacker.myshopify.com" };
    const who = { id: 1, email: "privacy-victim@example.com", phone: null };
    for (const [topic, body] of [
      ["customers/redact", { ...elsewhere, customer: who, orders_to_redact: [] }],
      ["customers/data_request", { ...elsewhere, customer: who, orders_requested: [], data_request: { id: 5 } }],
      ["shop/redact", elsewhere],
    ] as const) {
      const sent = await postSigned(topic, victim, body);
      expect(sent.status, topic).toBe(422);
      expect(sent.body).toMatchObject({ error: { code: "INVALID_BODY", problems: [{ field: "shop_domain" }] } });
    }
    expect(await shopState(victim)).toEqual(before);
  });

  it("refuses every body sent under another topic than its own (422), and changes nothing", async () => {
    const shop = "topic-swap.myshopify.com";
    await shopWithPayments(shop, [customer("swap@example.com", "5145550022")]);
    // Uninstalled, so a shop/redact that slipped through would erase everything.
    await database.db.session.deleteMany({ where: { shop } });
    await database.db.shop.update({ where: { domain: shop }, data: { uninstalledAt: new Date(Date.now() - 60_000) } });
    const before = await shopState(shop);
    const bodies = createWebhookSender({ appUrl: app.url, apiSecret: TEST_API_SECRET, shop }).bodyFor;
    const topics = ["app/uninstalled", "customers/data_request", "customers/redact", "shop/redact"] as const;
    for (const bodyTopic of topics) {
      for (const headerTopic of topics) {
        if (bodyTopic === headerTopic) continue;
        const sent = await postSigned(headerTopic, shop, bodies(bodyTopic, { email: "swap@example.com", phone: "5145550022" }));
        expect(sent.status, `${bodyTopic} body as ${headerTopic}`).toBe(422);
      }
    }
    expect(await shopState(shop)).toEqual(before);
    expect(before.payments).toBe(1);
  });

  it("refuses keys Shopify never sends in a topic's fixed payload (a customer in shop/redact), naming them", async () => {
    const shop = "strict-body.myshopify.com";
    await shopWithPayments(shop, [customer("strict@example.com", "5145550023")]);
    const before = await shopState(shop);
    const redact = await postSigned("shop/redact", shop, { shop_id: 1, shop_domain: shop, customer: { email: "strict@example.com" } });
    expect(redact.status).toBe(422);
    expect(redact.body.error?.problems.map((p) => p.field)).toContain("customer");
    const nested = await postSigned("customers/redact", shop, { shop_id: 1, shop_domain: shop, customer: { email: "strict@example.com", role: "admin" }, orders_to_redact: [] });
    expect(nested.status).toBe(422);
    expect(await shopState(shop)).toEqual(before);
  });

  it("refuses an X-Shopify-Triggered-At that is not a time (400), and changes nothing", async () => {
    const shop = "bad-trigger.myshopify.com";
    await installShop(database.db, shop);
    const sent = await postSigned("app/uninstalled", shop, { id: 1, myshopify_domain: shop }, { "X-Shopify-Triggered-At": "yesterday" });
    expect(sent.status).toBe(400);
    expect(sent.body).toMatchObject({ error: { code: "INVALID_HEADER", problems: [{ field: "X-Shopify-Triggered-At" }] } });
    expect(await database.db.session.count({ where: { shop, isOnline: false } })).toBe(1);
  });
});

describe("webhooks bound to their signed body: the variants (issue 16 §1)", () => {
  const TOPICS = ["app/uninstalled", "customers/data_request", "customers/redact", "shop/redact"] as const;
  const bodyFor = (shop: string, topic: (typeof TOPICS)[number]) => createWebhookSender({ appUrl: app.url, apiSecret: TEST_API_SECRET, shop }).bodyFor(topic, { email: "variant@example.com", phone: "5145550040" });

  /** A shop whose data every topic could change: installed, or (uninstalled) what a shop/redact would erase. */
  async function exposedShop(shop: string, installed: boolean) {
    await shopWithPayments(shop, [customer("variant@example.com", "5145550040")]);
    if (!installed) {
      await database.db.session.deleteMany({ where: { shop } });
      await database.db.shop.update({ where: { domain: shop }, data: { uninstalledAt: new Date(Date.now() - 60_000) } });
    }
    return shopState(shop);
  }

  it("refuses every topic without X-Shopify-Triggered-At, or with one in the future (400), and changes nothing", async () => {
    for (const installed of [true, false]) {
      const shop = `no-trigger-${installed ? "in" : "out"}.myshopify.com`;
      const before = await exposedShop(shop, installed);
      for (const topic of TOPICS) {
        for (const at of [null, new Date(Date.now() + 3_600_000).toISOString(), "2999-01-01T00:00:00Z"]) {
          const sent = await postSigned(topic, shop, bodyFor(shop, topic), { "X-Shopify-Triggered-At": at });
          expect(sent.status, `${topic} at ${at}`).toBe(400);
          expect(sent.body.error?.problems.map((p) => p.field)).toEqual(["X-Shopify-Triggered-At"]);
        }
      }
      expect(await shopState(shop)).toEqual(before);
    }
  });

  it("knows a topic only by its exact lowercase name: another case is a 400, another spelling is not a topic (200, ignored); nothing changes", async () => {
    const shop = "topic-spelling.myshopify.com";
    const before = await exposedShop(shop, false);
    for (const topic of TOPICS) {
      const upper = await postSigned(topic.toUpperCase(), shop, bodyFor(shop, topic));
      expect(upper.status, topic.toUpperCase()).toBe(400);
      expect(upper.body.error?.problems.map((p) => p.field)).toEqual(["X-Shopify-Topic"]);
      for (const spelling of [topic.replace("/", "."), topic.replace("/", "_")]) {
        const sent = await postSigned(spelling, shop, bodyFor(shop, topic));
        expect(sent, spelling).toMatchObject({ status: 200, body: { outcome: "ignored" } });
      }
    }
    expect(await shopState(shop)).toEqual(before);
  });

  it("refuses a signed body with a key twice (400) in every topic, whichever copy names the header's shop, and changes nothing", async () => {
    const shop = "duplicate-keys.myshopify.com";
    const before = await exposedShop(shop, false);
    for (const topic of TOPICS) {
      const field = topic === "app/uninstalled" ? "myshopify_domain" : "shop_domain";
      const json = JSON.stringify(bodyFor(shop, topic));
      for (const raw of [json.replace("{", `{"${field}":"other.myshopify.com",`), json.replace(/}$/, `,"${field}":"other.myshopify.com"}`)]) {
        const response = await fetch(`${app.url}/webhooks`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Shopify-Topic": topic, "X-Shopify-Shop-Domain": shop, "X-Shopify-API-Version": "2026-04", "X-Shopify-Webhook-Id": `w-dup-${Math.random()}`, "X-Shopify-Triggered-At": new Date().toISOString(), "X-Shopify-Hmac-Sha256": signWebhookBody(raw, TEST_API_SECRET) },
          body: raw,
        });
        expect(response.status, `${topic}: ${raw}`).toBe(400);
        expect(await response.json()).toMatchObject({ error: { code: "MALFORMED_JSON", problems: [{ field: "body" }] } });
      }
    }
    expect(await shopState(shop)).toEqual(before);
  });

  it("refuses app/uninstalled whose shop object carries a compliance payload's keys, or another shop in capitals or with a trailing dot (422), and changes nothing", async () => {
    const shop = "uninstall-keys.myshopify.com";
    const before = await exposedShop(shop, true);
    const base = { id: 1, name: "Keys", myshopify_domain: shop };
    const bodies = [
      { ...base, shop_domain: "other.myshopify.com" },
      { ...base, shop_domain: shop },
      { ...base, customer: { email: "variant@example.com" } },
      { ...base, shop_id: 1, orders_to_redact: [] },
      { ...base, domain: "OTHER.MYSHOPIFY.COM" },
      { ...base, domain: "other.myshopify.com." },
      { ...base, domain: shop.toUpperCase() },
    ];
    for (const body of bodies) {
      const sent = await postSigned("app/uninstalled", shop, body);
      expect(sent.status, JSON.stringify(body)).toBe(422);
      expect(sent.body.error?.code).toBe("INVALID_BODY");
    }
    expect(await shopState(shop)).toEqual(before);
  });

  it("after a reinstall, an app/uninstalled replayed without its trigger time keeps the new token and holds no delivery", async () => {
    const shop = "uninstall-replay-no-time.myshopify.com";
    await shopWithPayments(shop, [customer("replay@example.com", "5145550041")]);
    const body = { id: 1, name: "Replay", myshopify_domain: shop };
    expect((await postSigned("app/uninstalled", shop, body)).body.outcome).toBe("processed");
    await installShop(database.db, shop);
    await database.db.shop.update({ where: { domain: shop }, data: { installedAt: new Date(), uninstalledAt: null } });
    const before = await shopState(shop);
    const replay = await postSigned("app/uninstalled", shop, body, { "X-Shopify-Triggered-At": null });
    expect(replay.status).toBe(400);
    expect(await shopState(shop)).toEqual(before);
    expect(before.sessions).toBeGreaterThan(0);
  });
});

describe("app/uninstalled", () => {
  it("acknowledges an app/uninstalled triggered before the shop's current installation and keeps its token", async () => {
    const shop = "uninstall-stale.myshopify.com";
    await shopWithPayments(shop, [customer("uninstall-stale@example.com", "5145550026")]);
    const installedAt = new Date(Date.now() - 60_000);
    await database.db.shop.update({ where: { domain: shop }, data: { installedAt } });
    const sent = await sender(shop).send("app/uninstalled", {}, { triggeredAt: new Date(installedAt.getTime() - 1000).toISOString() });
    expect(sent).toMatchObject({ status: 200, response: { outcome: "acknowledged" } });
    expect(await database.db.session.count({ where: { shop, isOnline: false } })).toBe(1);
    expect((await database.db.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toBeNull();
  });

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
    expect(await database.db.session.count({ where: { shop, isOnline: false } })).toBe(1);
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
  it("stores an encrypted export of everything held about the customer, matched exactly (decision 0009), and logs only counts", async () => {
    const shop = "data-request.myshopify.com";
    const [byEmail = "", otherBuyerSamePhone = "", , byPhone = ""] = await shopWithPayments(shop, [
      customer("Export.Me@example.com", "+1 514 555 0004"),
      // Another buyer who shares the phone: never theirs.
      customer("other-address@example.com", "514-555-0004", "Jones"),
      customer("stranger@example.com", "5145559999", "Stranger"),
      // No email: the phone is all there is to match.
      customer(null, "514-555-0004", "NoEmail"),
    ]);
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
    expect(JSON.stringify(document)).not.toContain("other-address@example.com");
    expect(ids).toHaveLength(2);
    // The audit trail records the request on each payment it covered, as done by Shopify.
    const audit = await database.db.auditEntry.findMany({ where: { shop, action: "CUSTOMER_DATA_REQUEST" } });
    expect(audit.map((entry) => entry.paymentSessionId).sort()).toEqual([byEmail, byPhone].sort());
    expect(audit.every((entry) => entry.staffUserId === "Shopify" && !entry.reason.includes("@"))).toBe(true);
    expect(await database.db.auditEntry.count({ where: { paymentSessionId: otherBuyerSamePhone } })).toBe(0);
    // Another shop cannot read it.
    expect(await getCustomerDataExportDocument(database.db, testPiiKeyring(), "redact.myshopify.com", row.id)).toBeNull();

    // The line reaches this process through the app's stdout, which may come after its response.
    await expect.poll(() => app.logs.find((entry) => entry.msg === "webhook" && entry.webhookId === sent.webhookId), { timeout: 60_000 }).toMatchObject({ topic: "customers/data_request", outcome: "processed", counts: { payments: 2 }, exportId: row.id, status: 200 });
    expect(JSON.stringify(app.logs)).not.toMatch(/export\.me@example\.com|5145550004/i);
  });
});

describe("customers/redact", () => {
  it("erases the customer's PII from the sessions that are exactly theirs and their exports, and leaves other customers and shops alone", async () => {
    const shop = "redact.myshopify.com";
    const [target = "", samePhone = "", other = "", noEmail = ""] = await shopWithPayments(shop, [
      customer("gone@example.com", "5145550005"),
      // Another buyer with the same phone (the sandbox gives every buyer one): kept.
      customer("gone-too@example.com", "+15145550005"),
      customer("stays@example.com", "5145550006", "Stays"),
      // No email, the same phone: the phone is all there is, so it is theirs.
      customer(null, "514 555 0005", "NoEmail"),
    ]);
    const [elsewhere = ""] = await shopWithPayments("redact-other.myshopify.com", [customer("gone@example.com", "5145550005")]);
    const webhooks = sender(shop);
    expect((await webhooks.send("customers/data_request", { email: "gone@example.com" })).status).toBe(200);
    expect((await webhooks.send("customers/data_request", { email: "gone-too@example.com", phone: "5145550005" })).status).toBe(200);

    const sent = await webhooks.send("customers/redact", { email: "gone@example.com", phone: "514-555-0005" });

    expect(sent).toMatchObject({ status: 200, response: { outcome: "processed" } });
    for (const id of [target, noEmail]) {
      const row = await database.db.paymentSession.findUniqueOrThrow({ where: { id }, include: { addresses: true } });
      expect(row).toMatchObject({ customerEmail: null, customerPhoneNumber: null, customerLocale: null, customerEmailLookup: null, customerPhoneLookup: null, addresses: [] });
      expect(row.customerRedactedAt).toBeInstanceOf(Date);
      // Nothing left can confirm a guess of what was erased: not even the request's fingerprint.
      expect(row.requestHash).toMatch(/^redacted:/);
      // The payment itself stays for the merchant's books.
      expect(row.amount).toBe("123.00");
    }
    // The export made for the other buyer with the same phone stays.
    expect(await database.db.customerDataExport.count({ where: { shop } })).toBe(1);
    expect((await getPaymentCustomer(database.db, testPiiKeyring(), shop, samePhone))?.email).toBe("gone-too@example.com");
    expect((await getPaymentCustomer(database.db, testPiiKeyring(), shop, other))?.email).toBe("stays@example.com");
    // The audit trail (and so the payment's timeline) records the erasure, by Shopify.
    const audit = await database.db.auditEntry.findMany({ where: { shop, action: "CUSTOMER_REDACT" } });
    expect(audit.map((entry) => entry.paymentSessionId).sort()).toEqual([target, noEmail].sort());
    expect(audit.every((entry) => entry.staffUserId === "Shopify")).toBe(true);
    expect((await getPaymentCustomer(database.db, testPiiKeyring(), "redact-other.myshopify.com", elsewhere))?.email).toBe("gone@example.com");
    expect(await getPaymentCustomer(database.db, testPiiKeyring(), shop, target)).toMatchObject({ email: null, phone: null, addresses: [], redactedAt: expect.any(String) });
  });
});

describe("customers/redact matching (decision 0009)", () => {
  it("with a phone only, erases only payments that have no email", async () => {
    const shop = "redact-phone-only.myshopify.com";
    const [withEmail = "", withoutEmail = ""] = await shopWithPayments(shop, [customer("has-email@example.com", "5145550030"), customer(null, "5145550030", "NoEmail")]);
    const sent = await sender(shop).send("customers/redact", { phone: "+1 514 555 0030" });
    expect(sent).toMatchObject({ status: 200, response: { outcome: "processed" } });
    expect((await getPaymentCustomer(database.db, testPiiKeyring(), shop, withEmail))?.email).toBe("has-email@example.com");
    expect(await getPaymentCustomer(database.db, testPiiKeyring(), shop, withoutEmail)).toMatchObject({ phone: null, redactedAt: expect.any(String) });
  });

  it("erases only what was received up to the request's trigger time", async () => {
    const shop = "redact-later.myshopify.com";
    const triggeredAt = new Date(Date.now() - 60_000).toISOString();
    const [later = ""] = await shopWithPayments(shop, [customer("later@example.com", "5145550031")]);
    const sent = await sender(shop).send("customers/redact", { email: "later@example.com" }, { triggeredAt });
    expect(sent).toMatchObject({ status: 200, response: { outcome: "processed" } });
    expect((await getPaymentCustomer(database.db, testPiiKeyring(), shop, later))?.email).toBe("later@example.com");
  });
});

describe("customers/redact and customers/data_request matching, the variants (issue 16 §2)", () => {
  it("matches an email in another case with spaces around it; never a buyer who only shares the phone, nor another shop's buyer with that email", async () => {
    const shop = "match-variants.myshopify.com";
    const [target = "", samePhone = ""] = await shopWithPayments(shop, [customer("Case.Buyer@Example.com", "5145550100"), customer("neighbour@example.com", "5145550100", "Neighbour")]);
    const [elsewhere = ""] = await shopWithPayments("match-variants-other.myshopify.com", [customer("case.buyer@example.com", "5145550100")]);
    const webhooks = sender(shop);

    const request = await webhooks.send("customers/data_request", { email: "  CASE.buyer@example.COM ", phone: "5145550100" });
    expect(request.status).toBe(200);
    expect((await database.db.customerDataExport.findFirstOrThrow({ where: { shop } })).paymentCount).toBe(1);
    const redact = await webhooks.send("customers/redact", { email: "  CASE.buyer@example.COM ", phone: "+1 (514) 555-0100" });
    expect(redact).toMatchObject({ status: 200, response: { outcome: "processed" } });

    expect(await getPaymentCustomer(database.db, testPiiKeyring(), shop, target)).toMatchObject({ email: null, redactedAt: expect.any(String) });
    expect((await getPaymentCustomer(database.db, testPiiKeyring(), shop, samePhone))?.email).toBe("neighbour@example.com");
    expect((await getPaymentCustomer(database.db, testPiiKeyring(), "match-variants-other.myshopify.com", elsewhere))?.email).toBe("case.buyer@example.com");
    const audit = await database.db.auditEntry.findMany({ where: { shop, action: { in: ["CUSTOMER_REDACT", "CUSTOMER_DATA_REQUEST"] } } });
    expect(audit.map((entry) => [entry.action, entry.paymentSessionId]).sort()).toEqual([["CUSTOMER_DATA_REQUEST", target], ["CUSTOMER_REDACT", target]].sort());
  });

  it("erases nothing for a customer named by Shopify's id or orders alone, and puts the request on record for the shop", async () => {
    const shop = "match-id-only.myshopify.com";
    const [payment = ""] = await shopWithPayments(shop, [customer("id-only@example.com", "5145550042")]);
    const sent = await sender(shop).send("customers/redact", {}, { body: { shop_id: 1, shop_domain: shop, customer: { id: 191167 }, orders_to_redact: [299938, 280263] } });
    expect(sent).toMatchObject({ status: 200, response: { outcome: "processed" } });
    expect((await getPaymentCustomer(database.db, testPiiKeyring(), shop, payment))?.email).toBe("id-only@example.com");
    const audit = await database.db.auditEntry.findMany({ where: { shop, action: "CUSTOMER_REDACT" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ staffUserId: "Shopify", paymentSessionId: null });
  });
});

describe("shop/redact", () => {
  it("acknowledges a shop/redact for a shop that has the app installed (200) and erases nothing", async () => {
    const shop = "redact-installed.myshopify.com";
    await shopWithPayments(shop, [customer("installed@example.com", "5145550024")]);
    const sent = await sender(shop).send("shop/redact");
    expect(sent).toMatchObject({ status: 200, response: { outcome: "acknowledged" } });
    expect(await database.db.paymentSession.count({ where: { shop, customerEmail: { not: null } } })).toBe(1);
    expect(await database.db.session.count({ where: { shop, isOnline: false } })).toBe(1);
    // The line reaches this process through the app's stdout, which may come after its response.
    await expect.poll(() => app.logs.find((entry) => entry.msg === "webhook" && entry.webhookId === sent.webhookId), { timeout: 60_000 }).toMatchObject({ topic: "shop/redact", outcome: "acknowledged", reason: "shop-installed", status: 200 });
  });

  it("acknowledges a shop/redact triggered before the shop's current installation and erases nothing, even once uninstalled again", async () => {
    const shop = "redact-stale.myshopify.com";
    await shopWithPayments(shop, [customer("stale@example.com", "5145550025")]);
    const installedAt = new Date(Date.now() - 60_000);
    await database.db.shop.update({ where: { domain: shop }, data: { installedAt } });
    await sender(shop).send("app/uninstalled");
    const sent = await sender(shop).send("shop/redact", {}, { triggeredAt: new Date(installedAt.getTime() - 1000).toISOString() });
    expect(sent).toMatchObject({ status: 200, response: { outcome: "acknowledged" } });
    expect(await database.db.paymentSession.count({ where: { shop, customerEmail: { not: null } } })).toBe(1);
    // The line reaches this process through the app's stdout, which may come after its response.
    await expect.poll(() => app.logs.find((entry) => entry.msg === "webhook" && entry.webhookId === sent.webhookId), { timeout: 60_000 }).toMatchObject({ outcome: "acknowledged", reason: "triggered-before-install" });
  });

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
