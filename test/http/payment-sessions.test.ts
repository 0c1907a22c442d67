import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readBuyerToken } from "../../app/payments/rules/buyer-link-token.server";
import { getPaymentCustomer } from "../../app/privacy/customer-data.server";
import { piiKeyIdOf } from "../../app/privacy/pii-crypto.server";
import { startApp, TEST_API_SECRET, TEST_APP_URL, type AppProcess } from "../support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { testPiiKeyring } from "../support/pii";
import { paymentBody, post, SHOP, shopifyHeaders } from "../support/shopify-requests";

let database: TestDatabase;
let app: AppProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  app = await startApp({ DATABASE_URL: database.url });
});

afterAll(async () => {
  await app?.stop();
  await database?.drop();
});

describe("POST /sessions/payment", () => {
  it("records the payment with every field and answers 201 with a signed buyer link on SHOPIFY_APP_URL", async () => {
    const body = paymentBody({ amount: "123.45", currency: "CAD", kind: "authorization" });
    const headers = shopifyHeaders(SHOP, { Host: "evil.example.com", "X-Forwarded-Host": "evil.example.com" });

    const response = await post(app.url, "/sessions/payment", body, headers);

    expect(response.status).toBe(201);
    const redirectUrl: string = response.json.redirect_url;
    expect(redirectUrl.startsWith(`${TEST_APP_URL}/pay/`)).toBe(true);
    const row = await database.db.paymentSession.findUniqueOrThrow({
      where: { shop_shopifyId: { shop: SHOP, shopifyId: body.id } },
      include: { addresses: { orderBy: { role: "asc" } } },
    });
    const token = redirectUrl.slice(`${TEST_APP_URL}/pay/`.length);
    expect(readBuyerToken({ appUrl: TEST_APP_URL, secret: TEST_API_SECRET, ttlHours: 72 }, token)).toBe(row.id);
    expect(row).toMatchObject({
      gid: body.gid,
      group: body.group,
      sessionId: body.session_id,
      amount: "123.45",
      amountMinor: 12345n,
      currency: "CAD",
      test: true,
      merchantLocale: "en",
      kind: "AUTHORIZATION",
      paymentMethodType: "offsite",
      cancelUrl: "https://demo-shop.myshopify.com/checkouts/c/abc",
      proposedAt: new Date("2026-11-29T08:00:00Z"),
      customerLocale: "fr",
      shopifyApiVersion: "2026-04",
      shopifyRequestId: headers["Shopify-Request-Id"],
      status: "OPEN",
    });
    // Stored encrypted (decision 0006): nothing of the customer is readable in the row…
    const stored = JSON.stringify(row, (_, value: unknown) => (typeof value === "bigint" ? String(value) : value));
    for (const pii of ["buyer@example.com", "5555555555", "Smith", "Alice", "123 Street", "Suite B", "Montreal", "H2Z 0B3"]) expect(stored).not.toContain(pii);
    // …and each address is one sealed value (decision 0019), its per-field columns left empty.
    for (const address of row.addresses) {
      expect(piiKeyIdOf(address.sealed ?? "")).toBe(testPiiKeyring().current.id);
      expect([address.givenName, address.familyName, address.line1, address.line2, address.city, address.postalCode, address.province, address.provinceCode, address.phoneNumber, address.company]).toEqual(Array(10).fill(null));
    }
    // …and all of it through the read API.
    const customer = await getPaymentCustomer(database.db, testPiiKeyring(), SHOP, row.id);
    expect(customer).toMatchObject({ email: "buyer@example.com", phone: "5555555555", locale: "fr", redactedAt: null });
    expect(customer?.addresses.map((a) => [a.role, a.givenName, a.familyName, a.line1, a.line2, a.city, a.postalCode, a.provinceCode, a.countryCode])).toEqual([
      ["BILLING", "Alice", "Smith", "123 Street", "Suite B", "Montreal", "H2Z 0B3", "QC", "CA"],
      ["SHIPPING", "Alice", "Smith", "123 Street", "Suite B", "Montreal", "H2Z 0B3", "QC", "CA"],
    ]);
    expect(await getPaymentCustomer(database.db, testPiiKeyring(), "other-shop.myshopify.com", row.id)).toBeNull();
  });

  it("stores a payment without a customer", async () => {
    const body = paymentBody({ customer: undefined });
    expect((await post(app.url, "/sessions/payment", body)).status).toBe(201);
    const row = await database.db.paymentSession.findUniqueOrThrow({
      where: { shop_shopifyId: { shop: SHOP, shopifyId: body.id } },
      include: { addresses: true },
    });
    expect(row.customerEmail).toBeNull();
    expect(row.addresses).toEqual([]);
  });

  it.each([
    ["JPY", "1500", 1500n],
    ["USD", "10.5", 1050n],
    ["KWD", "7.125", 7125n],
  ])("keeps %s %s exactly as %s minor units, with the original string", async (currency, amount, minor) => {
    const body = paymentBody({ currency, amount });
    expect((await post(app.url, "/sessions/payment", body)).status).toBe(201);
    const row = await database.db.paymentSession.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId: body.id } } });
    expect(row.amountMinor).toBe(minor);
    expect(row.amount).toBe(amount);
  });

  it("answers a retry with the identical response and writes nothing", async () => {
    const body = paymentBody();
    const first = await post(app.url, "/sessions/payment", body);
    const before = await database.db.paymentSession.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId: body.id } } });

    // Shopify retries with the same body, keys in another order, and a new request id.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const second = await post(app.url, "/sessions/payment", reordered);

    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    const after = await database.db.paymentSession.findUniqueOrThrow({ where: { id: before.id } });
    expect(after).toEqual(before);
    expect(await database.db.paymentSession.count({ where: { shopifyId: body.id } })).toBe(1);
  });

  it("records 50 concurrent copies of a request once and gives all 50 the same answer", async () => {
    const body = paymentBody();
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(app.url, "/sessions/payment", body)));

    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(await database.db.paymentSession.count({ where: { shopifyId: body.id } })).toBe(1);
    expect(await database.db.paymentAddress.count({ where: { paymentSession: { shopifyId: body.id } } })).toBe(2);
  });

  it("refuses the same id with a different payload with 409 and changes nothing", async () => {
    const body = paymentBody({ amount: "20.00" });
    await post(app.url, "/sessions/payment", body);
    const before = await database.db.paymentSession.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId: body.id } } });

    const conflict = await post(app.url, "/sessions/payment", { ...body, amount: "25.00" });

    expect(conflict.status).toBe(409);
    expect(conflict.json.error.code).toBe("IDEMPOTENCY_CONFLICT");
    expect(conflict.json.error.problems).toEqual([{ field: "id", message: expect.any(String) }]);
    expect(await database.db.paymentSession.findUniqueOrThrow({ where: { id: before.id } })).toEqual(before);
  });

  it("keeps the same Shopify id apart per shop", async () => {
    const otherShop = "other-shop.myshopify.com";
    await installShop(database.db, otherShop);
    const body = paymentBody();
    expect((await post(app.url, "/sessions/payment", body)).status).toBe(201);
    expect((await post(app.url, "/sessions/payment", { ...body, amount: "1.00" }, shopifyHeaders(otherShop))).status).toBe(201);
    const rows = await database.db.paymentSession.findMany({ where: { shopifyId: body.id }, orderBy: { shop: "asc" } });
    expect(rows.map((r) => [r.shop, r.amount])).toEqual([
      [SHOP, "123.00"],
      [otherShop, "1.00"],
    ]);
  });

  it("writes one log line per request with shop, kind, id, request id, outcome and duration, and no buyer data", async () => {
    const body = paymentBody();
    const headers = shopifyHeaders();
    await post(app.url, "/sessions/payment", body, headers);
    await post(app.url, "/sessions/payment", body, headers);

    // The log line is written as the response goes out; give stdout a moment.
    const lines = await vi.waitFor(() => {
      const found = app.logs.filter((l) => l.msg === "session request" && l.requestId === headers["Shopify-Request-Id"]);
      expect(found).toHaveLength(2);
      return found;
    }, { timeout: 60_000, interval: 50 });
    expect(lines.map((l) => l.outcome)).toEqual(["created", "replayed"]);
    for (const line of lines) {
      expect(line).toMatchObject({ kind: "payment", shop: SHOP, id: body.id, status: 201 });
      expect(typeof line.durationMs).toBe("number");
    }
    const everything = app.logs.map((l) => JSON.stringify(l)).join("\n");
    for (const secret of ["buyer@example.com", "5555555555", "Smith", "123 Street", "shpat_"]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe("bad session requests get a 4xx naming the problem, and store nothing", () => {
  const cases: [string, () => { body: unknown; headers?: Record<string, string> }, number, string][] = [
    ["malformed JSON", () => ({ body: '{"id": "x",' }), 400, "body"],
    ["a JSON array", () => ({ body: "[]" }), 422, "body"],
    ["a wrong content type", () => ({ body: JSON.stringify(paymentBody()), headers: shopifyHeaders(SHOP, { "Content-Type": "text/plain" }) }), 415, "Content-Type"],
    ["amount with too many decimals for USD", () => ({ body: paymentBody({ currency: "USD", amount: "12.345" }) }), 422, "amount"],
    ["a negative amount", () => ({ body: paymentBody({ amount: "-1" }) }), 422, "amount"],
    ["a non-numeric amount", () => ({ body: paymentBody({ amount: "abc" }) }), 422, "amount"],
    ["an exponent amount", () => ({ body: paymentBody({ amount: "1e3" }) }), 422, "amount"],
    ["a number instead of a string amount", () => ({ body: paymentBody({ amount: 12.5 }) }), 422, "amount"],
    ["decimals on JPY", () => ({ body: paymentBody({ currency: "JPY", amount: "100.5" }) }), 422, "amount"],
    ["an unknown currency", () => ({ body: paymentBody({ currency: "ABC" }) }), 422, "currency"],
    ["an impossible date", () => ({ body: paymentBody({ proposed_at: "2026-02-30T10:00:00Z" }) }), 422, "proposed_at"],
    ["a date without a time zone", () => ({ body: paymentBody({ proposed_at: "2026-02-03T10:00:00" }) }), 422, "proposed_at"],
    ["a missing id", () => ({ body: paymentBody({ id: undefined }) }), 422, "id"],
    ["a gid of another session", () => ({ body: paymentBody({ gid: "gid://shopify/PaymentSession/someone-else" }) }), 422, "gid"],
    ["an unknown kind", () => ({ body: paymentBody({ kind: "preauth" }) }), 422, "kind"],
    ["test as a string", () => ({ body: paymentBody({ test: "true" }) }), 422, "test"],
    ["a missing cancel_url", () => ({ body: paymentBody({ payment_method: { type: "offsite", data: {} } }) }), 422, "payment_method.data.cancel_url"],
    ["a customer without a billing address", () => ({ body: paymentBody({ customer: { email: "a@b.c", locale: "en" } }) }), 422, "customer.billing_address"],
    ["a bad country code", () => ({ body: paymentBody({ customer: { ...paymentBody().customer, billing_address: { ...paymentBody().customer.billing_address, country_code: "Canada" } } }) }), 422, "customer.billing_address.country_code"],
    ["a missing shop header", () => ({ body: paymentBody(), headers: withoutHeader("Shopify-Shop-Domain") }), 400, "Shopify-Shop-Domain"],
    ["a shop header that is not a myshopify domain", () => ({ body: paymentBody(), headers: shopifyHeaders("evil.example.com") }), 400, "Shopify-Shop-Domain"],
    ["a missing request id", () => ({ body: paymentBody(), headers: withoutHeader("Shopify-Request-Id") }), 400, "Shopify-Request-Id"],
    ["a missing API version", () => ({ body: paymentBody(), headers: withoutHeader("Shopify-Api-Version") }), 400, "Shopify-Api-Version"],
    ["a shop that never installed the app", () => ({ body: paymentBody(), headers: shopifyHeaders("stranger.myshopify.com") }), 404, "Shopify-Shop-Domain"],
    ["a body over 64 KiB", () => ({ body: paymentBody({ padding: "x".repeat(70 * 1024) }) }), 413, "body"],
  ];

  it.each(cases)("%s", async (_name, make, status, field) => {
    const { body, headers } = make();
    const before = await database.db.paymentSession.count();

    const response = await post(app.url, "/sessions/payment", body, headers ?? shopifyHeaders());

    expect(response.status).toBe(status);
    expect(response.json.error.problems.map((p: { field: string }) => p.field)).toContain(field);
    expect(await database.db.paymentSession.count()).toBe(before);
  });

  it("tolerates fields it does not know", async () => {
    const body = paymentBody({ brand_new_field: { nested: true }, customer: { ...paymentBody().customer, loyalty: "gold" } });
    expect((await post(app.url, "/sessions/payment", body)).status).toBe(201);
  });

  it("accepts the older top-level cancel_url", async () => {
    const body = paymentBody({ payment_method: { type: "offsite" }, cancel_url: "https://demo-shop.myshopify.com/old" });
    expect((await post(app.url, "/sessions/payment", body)).status).toBe(201);
    const row = await database.db.paymentSession.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId: body.id } } });
    expect(row.cancelUrl).toBe("https://demo-shop.myshopify.com/old");
  });

  it("answers GET with 405", async () => {
    const response = await fetch(`${app.url}/sessions/payment`);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(await response.json()).toMatchObject({ error: { code: "METHOD_NOT_ALLOWED" } });
  });

  it("answers a session path it does not serve with a JSON 404", async () => {
    const response = await post(app.url, "/sessions/payments", paymentBody());
    expect(response.status).toBe(404);
    expect(response.json).toMatchObject({ error: { code: "NOT_FOUND" } });
  });
});

function withoutHeader(name: string): Record<string, string> {
  const headers = shopifyHeaders(SHOP);
  delete headers[name];
  return headers;
}
