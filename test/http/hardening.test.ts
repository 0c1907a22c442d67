import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signSessionToken } from "../../sandbox/shopify/session-token";
import { createWebhookSender } from "../../sandbox/shopify/webhooks";
import { startApp, TEST_API_KEY, TEST_API_SECRET, type AppProcess } from "../support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { paymentBody, post, SHOP, shopifyHeaders } from "../support/shopify-requests";

/**
 * The app's surfaces under abuse: rate limits (low here, to see them), security
 * headers on every kind of response, body size limits, and why admin requests
 * cannot be forged from another site (CSRF).
 */
let database: TestDatabase;
let app: AppProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  await installShop(database.db, "neighbour.myshopify.com");
  app = await startApp({
    DATABASE_URL: database.url,
    WORKER_ENABLED: "false",
    // Buckets that refill one token in 1,000 s: however slowly this machine runs
    // the requests, none comes back during the file (its tests take seconds).
    RATE_LIMIT_SESSIONS_BURST: "3",
    RATE_LIMIT_SESSIONS_PER_SECOND: "0.001",
    RATE_LIMIT_BUYER_BURST: "2",
    RATE_LIMIT_BUYER_PER_SECOND: "0.001",
  });
});

afterAll(async () => {
  await app?.stop();
  await database?.drop();
});

describe("rate limits", () => {
  /** Retry-After: the wait for one token at 0.001/s, less the (few) seconds since the bucket emptied. */
  const expectRetryAfterOfOneToken = (response: Response) => {
    const seconds = Number(response.headers.get("retry-after"));
    expect(Number.isInteger(seconds) && seconds > 900 && seconds <= 1000, `Retry-After: ${String(seconds)}`).toBe(true);
  };

  it("limit the session endpoints per shop: 429 with Retry-After, nothing recorded, other shops unaffected", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(app.url, "/sessions/payment", paymentBody())).status);
    const refused = paymentBody();
    const response = await fetch(`${app.url}/sessions/payment`, { method: "POST", headers: shopifyHeaders(), body: JSON.stringify(refused) });

    expect(statuses).toEqual([201, 201, 201]);
    expect(response.status).toBe(429);
    expectRetryAfterOfOneToken(response);
    expect(await response.json()).toMatchObject({ error: { code: "RATE_LIMITED" } });
    expect(await database.db.paymentSession.count({ where: { shopifyId: refused.id } })).toBe(0);
    expect((await post(app.url, "/sessions/payment", paymentBody(), shopifyHeaders("neighbour.myshopify.com"))).status).toBe(201);
  });

  it("limit the buyer pages per client: 429 with Retry-After", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${app.url}/pay/not-a-real-token`)).status);
    expect(statuses.slice(0, 2).every((status) => status !== 429)).toBe(true);
    const limited = await fetch(`${app.url}/pay/not-a-real-token`);
    expect(limited.status).toBe(429);
    expectRetryAfterOfOneToken(limited);
    // A buyer's browser gets a page in words, in its language, not a JSON body.
    expect(limited.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await limited.text()).toContain('<html lang="en" dir="ltr">');
    const french = await fetch(`${app.url}/pay/not-a-real-token`, { headers: { "Accept-Language": "fr-CA,fr;q=0.9" } });
    expect(french.status).toBe(429);
    const page = await french.text();
    expect(page).toContain('<html lang="fr" dir="ltr">');
    expect(page).toContain("<h2>Trop de tentatives</h2>");
    expect(page).toContain('rel="stylesheet" href="data:text/css');
  });
});

describe("security headers", () => {
  it("every response says nosniff; JSON answers to Shopify are not cached", async () => {
    const health = await fetch(`${app.url}/healthz`);
    expect(health.headers.get("x-content-type-options")).toBe("nosniff");
    const session = await fetch(`${app.url}/sessions/payment`, { method: "POST", headers: shopifyHeaders("neighbour.myshopify.com"), body: "{" });
    expect(session.status).toBe(400);
    expect(session.headers.get("x-content-type-options")).toBe("nosniff");
    expect(session.headers.get("cache-control")).toBe("no-store");
    const webhook = await fetch(`${app.url}/webhooks`, { method: "POST", body: "{}" });
    expect(webhook.status).toBe(401);
    expect([webhook.headers.get("x-content-type-options"), webhook.headers.get("cache-control")]).toEqual(["nosniff", "no-store"]);
  });

  it("pages outside the embedded admin may not be framed and send no referrer; HTTPS is enforced on the public URL", async () => {
    const page = await fetch(`${app.url}/`);
    expect(page.headers.get("content-security-policy")).toBe("frame-ancestors 'none'");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    // startApp's SHOPIFY_APP_URL is https.
    expect(page.headers.get("strict-transport-security")).toBe("max-age=31536000");
  });

  it("an embedded admin page may be framed by the shop's admin only", async () => {
    const page = await fetch(`${app.url}/app?shop=${SHOP}&embedded=1`, { redirect: "manual" });
    expect(page.headers.get("content-security-policy")).toContain(`frame-ancestors https://${SHOP} https://admin.shopify.com`);
  });
});

describe("body size limits", () => {
  it("refuse a webhook body over 256 KiB with 413 before reading it all", async () => {
    const response = await fetch(`${app.url}/webhooks`, { method: "POST", headers: { "Content-Type": "application/json", "X-Shopify-Hmac-Sha256": "x" }, body: `{"pad":"${"x".repeat(300 * 1024)}"}` });
    expect(response.status).toBe(413);
  });

  it("accept a signed webhook of ordinary size", async () => {
    const sent = await createWebhookSender({ appUrl: app.url, apiSecret: TEST_API_SECRET, shop: "neighbour.myshopify.com", attempts: 1 }).send("customers/data_request", { email: "nobody@example.com" });
    expect(sent.status).toBe(200);
  });
});

describe("CSRF: admin requests are authenticated by a session token in the Authorization header, never by cookies", () => {
  // Remix single fetch: the loaders' data for /app, as the embedded UI fetches it.
  const dataUrl = () => `${app.url}/app.data?_routes=routes%2Fapp._index`;
  // The library answers bots with 410; these are a browser's requests.
  const browser = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36" };
  const crossSite = { ...browser, Origin: "https://evil.example", Cookie: "shopify_app_session=stolen; _session=anything", "Sec-Fetch-Site": "cross-site" };

  it("refuses a cross-site request that carries only cookies", async () => {
    const read = await fetch(dataUrl(), { headers: crossSite, redirect: "manual" });
    // Sent to log in (a single-fetch redirect), never given the shop's data.
    expect(read.headers.get("location")).toBe("/auth/login");
    expect(await read.text()).not.toContain("payments");
    const write = await fetch(`${app.url}/app.data?index`, { method: "POST", headers: { ...crossSite, "Content-Type": "application/x-www-form-urlencoded" }, body: "intent=refund", redirect: "manual" });
    // Refused at the edge, before any loader or action: its Origin is another site.
    expect(write.status).toBe(403);
    expect(await write.text()).toContain("not sent from the app's own pages");
  });

  it("refuses a session token signed with another secret (forged) with 401", async () => {
    const forged = signSessionToken({ shop: SHOP, apiKey: TEST_API_KEY, apiSecret: "not-the-app-secret-0123", userId: "1001" });
    const response = await fetch(dataUrl(), { headers: { ...browser, Authorization: `Bearer ${forged}` }, redirect: "manual" });
    expect(response.status).toBe(401);
  });

  it("serves the same request with a valid session token", async () => {
    const token = signSessionToken({ shop: SHOP, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, userId: "1001" });
    const response = await fetch(dataUrl(), { headers: { ...browser, Authorization: `Bearer ${token}` }, redirect: "manual" });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`"shop","${SHOP}"`);
  });
});
