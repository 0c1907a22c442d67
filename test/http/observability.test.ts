import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPaymentsAppsSandbox, type PaymentsAppsSandbox } from "../../sandbox/payments-apps/server";
import { startApp, type AppProcess } from "../support/app-process";
import { submit, waitUntilRedirected } from "../support/buyer";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { paymentBody, post, SHOP, shopifyHeaders } from "../support/shopify-requests";

const METRICS_TOKEN = "metrics-token-0123456789abcdef";
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function scrape(app: AppProcess, token = METRICS_TOKEN) {
  const response = await fetch(`${app.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return response.text();
}

/** The value of one series, by its exact labels (prom-client writes them in declaration order). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const rendered = Object.entries(labels).map(([key, value]) => `${key}="${value}"`).join(",");
  const prefix = rendered ? `${name}{${rendered}} ` : `${name} `;
  const line = text.split("\n").find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(prefix.length));
}

describe("GET /metrics", () => {
  let database: TestDatabase;
  let shopify: PaymentsAppsSandbox;
  let app: AppProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    await installShop(database.db, SHOP);
    shopify = await startPaymentsAppsSandbox();
    shopify.registerShop(SHOP, `shpat_test_${SHOP}`);
    app = await startApp({
      DATABASE_URL: database.url,
      PAYMENTS_APPS_API_ORIGIN: shopify.url,
      WORKER_POLL_MS: "50",
      METRICS_TOKEN,
      // Every scrape reads the database, so the test sees each change at once.
      METRICS_CACHE_SECONDS: "0",
    });
    cleanups.push(() => database.drop(), () => shopify.stop(), () => app.stop());
  });

  it("counts requests by route, method and status, sessions by kind and status, and delivery attempts by outcome", async () => {
    const paid = paymentBody();
    const open = paymentBody();
    shopify.registerSession({ gid: paid.gid, shop: SHOP, kind: "payment", paymentKind: "sale" });
    const created = await post(app.url, "/sessions/payment", paid);
    expect(created.status).toBe(201);
    expect((await post(app.url, "/sessions/payment", paid)).status).toBe(201); // Shopify's retry: replayed
    expect((await post(app.url, "/sessions/payment", open)).status).toBe(201);
    expect((await post(app.url, "/sessions/payment", { ...paymentBody(), amount: "1.234" })).status).toBe(422);

    // The buyer approves: one provider charge, one delivery to Shopify.
    const link = (created.json.redirect_url as string).replace("https://payments-app.test", app.url);
    await submit(app.url, link, { intent: "pay", scenario: "approve" });
    await waitUntilRedirected(app.url, link);
    // A delivery that waits (not due for an hour), queued two minutes ago: the queue's depth and age.
    await database.db.delivery.create({
      data: { shop: SHOP, operation: "PAYMENT_RESOLVE", sessionGid: open.gid, nextAttemptAt: new Date(Date.now() + 3_600_000), createdAt: new Date(Date.now() - 120_000) },
    });

    const text = await scrape(app);
    expect(sample(text, "payments_app_http_requests_total", { route: "sessions/payment", method: "POST", status: "201" })).toBe(3);
    expect(sample(text, "payments_app_http_requests_total", { route: "sessions/payment", method: "POST", status: "422" })).toBe(1);
    expect(sample(text, "payments_app_http_request_duration_seconds_count", { route: "sessions/payment", method: "POST", status: "201" })).toBe(3);
    // The buyer page under one label, whatever its token.
    expect(text).toMatch(/payments_app_http_requests_total\{route="pay",method="POST",status="\d+"\} \d+/);
    expect(text).toMatch(/payments_app_http_requests_total\{route="pay",method="GET",status="\d+"\} \d+/);

    expect(sample(text, "payments_app_sessions", { kind: "payment", status: "RESOLVED" })).toBe(1);
    expect(sample(text, "payments_app_sessions", { kind: "payment", status: "OPEN" })).toBe(1);
    expect(sample(text, "payments_app_delivery_attempts_total", { outcome: "SUCCESS", status: "SUCCEEDED" })).toBe(1);
    expect(sample(text, "payments_app_deliveries", { status: "SUCCEEDED" })).toBe(1);
    expect(sample(text, "payments_app_delivery_queue_depth")).toBe(1);
    expect(sample(text, "payments_app_delivery_oldest_pending_age_seconds")).toBeGreaterThanOrEqual(120);
    expect(sample(text, "payments_app_delivery_oldest_pending_age_seconds")).toBeLessThan(180);
    expect(sample(text, "payments_app_provider_call_duration_seconds_count", { operation: "CHARGE", result: "approved" })).toBe(1);
    expect(sample(text, "payments_app_database_stats_up")).toBe(1);
    // Node's default process metrics.
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);

    // Labels are a fixed set: no buyer-link token, session id or shop in any series.
    const token = link.split("/pay/")[1] ?? "";
    expect(token.length).toBeGreaterThan(10);
    expect(text).not.toContain(token);
    expect(text).not.toContain(paid.id);
    expect(text).not.toContain(SHOP);
  });

  it("is refused without the token (401) and with a wrong one", async () => {
    const none = await fetch(`${app.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    expect(await none.text()).not.toContain("payments_app");
    expect((await fetch(`${app.url}/metrics`, { headers: { Authorization: "Bearer wrong-token-0123456789abcdef" } })).status).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: { Authorization: METRICS_TOKEN } })).status).toBe(401);
  });

  it("does not exist when no METRICS_TOKEN is configured (404)", async () => {
    const bare = await startApp({ DATABASE_URL: database.url, WORKER_ENABLED: "false" });
    cleanups.push(() => bare.stop());
    const response = await fetch(`${bare.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("payments_app");
  });
});

describe("GET /readyz", () => {
  it("answers 200 on a migrated database, and 503 naming the migration whose row is missing", async () => {
    const database = await createTestDatabase();
    const app = await startApp({ DATABASE_URL: database.url, WORKER_ENABLED: "false" });
    cleanups.push(() => database.drop(), () => app.stop());

    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", database: "ok" });

    const [last] = await database.db.$queryRaw<{ migration_name: string }[]>`SELECT "migration_name" FROM "_prisma_migrations" ORDER BY "migration_name" DESC LIMIT 1`;
    expect(last).toBeDefined();
    await database.db.$executeRaw`DELETE FROM "_prisma_migrations" WHERE "migration_name" = ${last?.migration_name}`;

    const notReady = await fetch(`${app.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ status: "not_ready", database: "ok", migrations: { missing: [last?.migration_name] } });
  });

  it("answers 503 naming every migration on a database never migrated", async () => {
    const empty = await createTestDatabase();
    // Not the template: an empty SQLite file, or an empty PostgreSQL schema.
    if (empty.url.startsWith("file:")) {
      writeFileSync(empty.url.slice("file:".length), "");
    } else {
      await empty.db.$executeRawUnsafe("DROP SCHEMA public CASCADE");
      await empty.db.$executeRawUnsafe("CREATE SCHEMA public");
    }
    const app = await startApp({ DATABASE_URL: empty.url, WORKER_ENABLED: "false" });
    cleanups.push(() => empty.drop(), () => app.stop());

    const response = await fetch(`${app.url}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { migrations: { missing: string[] } };
    expect(body.migrations.missing).toContain("20261129090000_init");
    expect(body.migrations.missing.length).toBeGreaterThanOrEqual(5);
  });
});

describe("request ids in logs", () => {
  let database: TestDatabase;
  let app: AppProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    await installShop(database.db, SHOP);
    app = await startApp({ DATABASE_URL: database.url, WORKER_ENABLED: "false" });
    cleanups.push(() => database.drop(), () => app.stop());
  });

  it("uses Shopify's request id for the request's log lines and echoes it in X-Request-Id", async () => {
    const headers = shopifyHeaders();
    const response = await fetch(`${app.url}/sessions/payment`, { method: "POST", headers, body: JSON.stringify(paymentBody()) });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-request-id")).toBe(headers["Shopify-Request-Id"]);
    await expect.poll(() => app.logs.filter((l) => l.msg === "session request" && l.requestId === headers["Shopify-Request-Id"]).length).toBe(1);
  });

  it("generates an id when Shopify sent none, for every line the request writes", async () => {
    // A webhook with a wrong signature: the webhook endpoint logs one line and never passes an id itself.
    const response = await fetch(`${app.url}/webhooks`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Topic": "app/uninstalled", "X-Shopify-Hmac-Sha256": "d3Jvbmc=", "X-Shopify-Shop-Domain": SHOP, "X-Shopify-Webhook-Id": "wh-1", "X-Shopify-API-Version": "2026-04" },
      body: "{}",
    });
    expect(response.status).toBe(401);
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => app.logs.filter((l) => l.msg === "webhook" && l.requestId === requestId).length).toBe(1);
    // Lines written outside any request (start-up, the worker) carry none.
    expect(app.logs.find((l) => l.msg === "listening")).not.toHaveProperty("requestId");
  });

  it("keeps the generated id on a session request's line when Shopify-Request-Id is missing", async () => {
    const { "Shopify-Request-Id": _omitted, ...headers } = shopifyHeaders();
    const response = await fetch(`${app.url}/sessions/payment`, { method: "POST", headers, body: JSON.stringify(paymentBody()) });
    expect(response.status).toBe(400);
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => app.logs.filter((l) => l.msg === "session request" && l.requestId === requestId).length).toBe(1);
  });

  it("replaces a request id that cannot be echoed safely", async () => {
    const response = await fetch(`${app.url}/healthz`, { headers: { "Shopify-Request-Id": "has spaces in it" } });
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
