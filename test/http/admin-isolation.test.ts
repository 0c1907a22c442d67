import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPaymentsAppsSandbox, type PaymentsAppsSandbox } from "../../sandbox/payments-apps/server";
import { embeddedAppQuery, signSessionToken } from "../../sandbox/shopify/session-token";
import { startApp, TEST_API_KEY, TEST_API_SECRET, type AppProcess } from "../support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { paymentBody, post, shopifyHeaders } from "../support/shopify-requests";

/**
 * Every admin route authenticates itself and sees only the signed-in staff
 * member's shop: another shop's ids answer 404 and change nothing; a request
 * without a valid session token gets nothing at all.
 */
const A = "shop-a.myshopify.com";
const B = "shop-b.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";

let database: TestDatabase;
let shopify: PaymentsAppsSandbox;
let app: AppProcess;
const payments: Record<string, { id: string; shopifyId: string; deliveryId: string }> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  shopify = await startPaymentsAppsSandbox();
  for (const shop of [A, B]) {
    await installShop(database.db, shop);
    shopify.registerShop(shop, `shpat_test_${shop}`);
  }
  app = await startApp({ DATABASE_URL: database.url, PAYMENTS_APPS_API_ORIGIN: shopify.url, WORKER_ENABLED: "false" });
  for (const shop of [A, B]) {
    const body = paymentBody();
    expect((await post(app.url, "/sessions/payment", body, shopifyHeaders(shop))).status).toBe(201);
    const row = await database.db.paymentSession.findFirstOrThrow({ where: { shop, shopifyId: body.id } });
    // A dead delivery and an audit entry of its own shop on each.
    const delivery = await database.db.delivery.create({ data: { shop, operation: "PAYMENT_REJECT", sessionGid: row.gid, paymentSessionId: row.id, status: "DEAD" } });
    await database.db.auditEntry.create({ data: { shop, staffUserId: "7", action: "PII_REVEAL", paymentSessionId: row.id, subject: row.gid, reason: `secret reason of ${shop}` } });
    payments[shop] = { id: row.id, shopifyId: row.shopifyId, deliveryId: delivery.id };
  }
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await shopify?.stop();
  await database?.drop();
});

const tokenFor = (shop: string, secret = TEST_API_SECRET) => signSessionToken({ shop, apiKey: TEST_API_KEY, apiSecret: secret, userId: "42" });

/** A document load inside the admin frame (id_token in the URL), as staff of `shop`. */
function openAsStaff(shop: string, path: string) {
  const url = new URL(path, app.url);
  for (const [key, value] of embeddedAppQuery({ shop, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, userId: "42" })) url.searchParams.set(key, value);
  return fetch(url, { headers: { "User-Agent": BROWSER }, redirect: "manual" });
}

/** A fetch from the embedded app (App Bridge adds the bearer token), as staff of `shop`. */
function postAsStaff(shop: string, path: string, form: Record<string, string>, token = tokenFor(shop)) {
  return fetch(new URL(path, app.url), {
    method: "POST",
    headers: { "User-Agent": BROWSER, Authorization: `Bearer ${token}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
    redirect: "manual",
  });
}

async function unchanged<T>(read: () => Promise<T>, act: () => Promise<void>): Promise<void> {
  const before = await read();
  await act();
  expect(await read()).toEqual(before);
}

const shopBState = () =>
  Promise.all([
    database.db.paymentSession.findUniqueOrThrow({ where: { id: payments[B]!.id } }),
    database.db.delivery.findUniqueOrThrow({ where: { id: payments[B]!.deliveryId } }),
    database.db.auditEntry.count({ where: { shop: B } }),
    database.db.shop.findUnique({ where: { domain: B } }),
  ]);

describe("the payments list (/app)", () => {
  it("lists the staff member's shop only", async () => {
    const response = await openAsStaff(A, "/app");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(payments[A]!.shopifyId);
    expect(html).not.toContain(payments[B]!.shopifyId);
  });

  it("shows the shop's own payments only under needs attention (both shops have a dead delivery)", async () => {
    const html = await (await openAsStaff(A, "/app?view=attention")).text();
    expect(html).toContain(`/app/payments/${payments[A]!.id}`);
    expect(html).not.toContain(`/app/payments/${payments[B]!.id}`);
  });

  it("finds nothing of another shop by search", async () => {
    const html = await (await openAsStaff(A, `/app?q=${payments[B]!.shopifyId}`)).text();
    // (The search box repeats what was searched; no row links to the payment.)
    expect(html).not.toContain(`/app/payments/${payments[B]!.id}`);
    expect(html).toContain("No payments match these filters");
  });

  it("answers 400 naming the field for a bad filter", async () => {
    const response = await openAsStaff(A, "/app?currency=dollars");
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("must be a three-letter ISO 4217 code");
  });

  // A forged cursor: a 15-digit time (year 33658), as base64url like the list's own.
  const forgedCursor = Buffer.from("999999999999999:abc").toString("base64url");
  it.each([
    ["a date the database cannot hold (year 10000 once the day is included)", "to=9999-12-31", "to"],
    ["a date before any payment", "from=0001-01-01", "from"],
    ["dates in the wrong order", "from=2026-11-29&to=2026-11-01", "to"],
    ["a forged cursor with a 15-digit time", `after=${forgedCursor}`, "after"],
    ["a forged cursor going back", `before=${forgedCursor}`, "before"],
    ["a cursor that is not base64url", "after=%2B%2B%2B", "after"],
    ["both cursors", `after=${Buffer.from("1764410000000:abc").toString("base64url")}&before=${Buffer.from("1764410000000:abd").toString("base64url")}`, "before"],
    ["a search with a NUL", "q=s%00x", "q"],
    ["an unknown status", "status=LOST", "status"],
    ["an unknown kind", "kind=PREAUTH", "kind"],
    ["an unknown mode", "mode=prod", "mode"],
    ["an unknown view", "view=everything", "view"],
  ])("answers 400 naming the field for %s, never a 500", async (_what, query, field) => {
    const response = await openAsStaff(A, `/app?${query}`);
    expect(response.status).toBe(400);
    // React separates the field and its message with a comment node.
    expect(await response.text()).toMatch(new RegExp(`<li>${field}(<!-- -->)?: `));
  });
});

describe("a payment's page (/app/payments/:id)", () => {
  it("shows the shop's own payment", async () => {
    expect((await openAsStaff(A, `/app/payments/${payments[A]!.id}`)).status).toBe(200);
  });

  it("is 404 for another shop's payment", async () => {
    const response = await openAsStaff(A, `/app/payments/${payments[B]!.id}`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(payments[B]!.shopifyId);
  });

  it.each([
    ["resolve-payment", {}],
    ["reject-payment", { code: "CARD_DECLINED", message: "no" }],
    ["pend-payment", { pendingReason: "MERCHANT_ACTION_REQUIRED", expiresInHours: "5" }],
    ["reveal-customer", {}],
  ])("refuses %s on another shop's payment with 404 and changes nothing", async (intent, fields) => {
    await unchanged(shopBState, async () => {
      const response = await postAsStaff(A, `/app/payments/${payments[B]!.id}`, { intent, reason: "cross-shop attempt", ...fields });
      expect(response.status).toBe(404);
    });
  });

  it("refuses to retry another shop's delivery through the shop's own payment (404)", async () => {
    await unchanged(shopBState, async () => {
      const response = await postAsStaff(A, `/app/payments/${payments[A]!.id}`, { intent: "retry-delivery", deliveryId: payments[B]!.deliveryId, reason: "cross-shop attempt" });
      expect(response.status).toBe(404);
    });
  });

  it("answers 422 naming the field when the reason is missing, and changes nothing", async () => {
    const before = await database.db.paymentSession.findUniqueOrThrow({ where: { id: payments[A]!.id } });
    const response = await postAsStaff(A, `/app/payments/${payments[A]!.id}`, { intent: "resolve-payment", reason: "" });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("reason");
    expect(await database.db.paymentSession.findUniqueOrThrow({ where: { id: payments[A]!.id } })).toEqual(before);
  });

  it("performs and audits an allowed action on the shop's own payment", async () => {
    const response = await postAsStaff(A, `/app/payments/${payments[A]!.id}`, { intent: "retry-delivery", deliveryId: payments[A]!.deliveryId, reason: "Shopify is back" });
    expect(response.status).toBe(200);
    expect(await database.db.delivery.findUniqueOrThrow({ where: { id: payments[A]!.deliveryId } })).toMatchObject({ status: "PENDING", attempts: 0 });
    expect(await database.db.auditEntry.findFirst({ where: { shop: A, action: "DELIVERY_RETRY" } })).toMatchObject({ staffUserId: "42", reason: "Shopify is back", beforeState: "DEAD" });
  });
});

describe("the audit trail (/app/audit, /app/audit.csv)", () => {
  it("shows and exports the shop's own entries only", async () => {
    const html = await (await openAsStaff(A, "/app/audit")).text();
    expect(html).toContain(`secret reason of ${A}`);
    expect(html).not.toContain(`secret reason of ${B}`);
    const csv = await fetch(new URL("/app/audit.csv", app.url), { headers: { "User-Agent": BROWSER, Authorization: `Bearer ${tokenFor(A)}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toBe("time,staff_user_id,action,payment_session_id,subject,before,after,reason");
    expect(text).toContain(`secret reason of ${A}`);
    expect(text).not.toContain(`secret reason of ${B}`);
  });
});

describe("settings (/app/settings)", () => {
  it("configures the staff member's shop only", async () => {
    await unchanged(shopBState, async () => {
      const response = await postAsStaff(A, "/app/settings", { externalHandle: "Shop A account", ready: "true" });
      expect(response.status).toBe(200);
    });
    expect(shopify.configuration(A)).toMatchObject({ externalHandle: "Shop A account", ready: true });
    expect(shopify.configuration(B)).toBeUndefined();
    expect(await database.db.shop.findUniqueOrThrow({ where: { domain: A } })).toMatchObject({ externalHandle: "Shop A account", ready: true });
  });

  it("answers 422 naming the account name when it is empty, and tells Shopify nothing", async () => {
    const calls = shopify.calls.length;
    const response = await postAsStaff(A, "/app/settings", { externalHandle: " ", ready: "true" });
    expect(response.status).toBe(422);
    expect(shopify.calls.length).toBe(calls);
  });
});

describe("without a valid session token", () => {
  const routes = ["/app", "/app/payments/:id", "/app/audit", "/app/audit.csv", "/app/settings"];

  it.each(routes)("GET %s outside the admin gets no data", async (path) => {
    const response = await fetch(new URL(path.replace(":id", payments[A]!.id), app.url), { headers: { "User-Agent": BROWSER }, redirect: "manual" });
    expect(response.status).not.toBe(200);
    expect(await response.text()).not.toContain(payments[A]!.shopifyId);
  });

  it("refuses a token signed with another secret (401) and changes nothing", async () => {
    await unchanged(shopBState, async () => {
      const response = await postAsStaff(B, `/app/payments/${payments[B]!.id}`, { intent: "resolve-payment", reason: "forged" }, tokenFor(B, "another-secret-0123456789"));
      expect(response.status).toBe(401);
    });
  });

  it("refuses a cross-site form post that carries no session token (no CSRF through cookies)", async () => {
    await unchanged(shopBState, async () => {
      const response = await fetch(new URL(`/app/payments/${payments[B]!.id}`, app.url), {
        method: "POST",
        headers: { "User-Agent": BROWSER, "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example", Cookie: "shopify_app_session=anything" },
        body: new URLSearchParams({ intent: "resolve-payment", reason: "csrf attempt" }),
        redirect: "manual",
      });
      expect(response.status).not.toBe(200);
    });
  });
});
