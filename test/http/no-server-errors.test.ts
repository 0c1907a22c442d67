import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedAppQuery } from "../../sandbox/shopify/session-token";
import { startApp, TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, type AppProcess } from "../support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { paymentBody, post, SHOP } from "../support/shopify-requests";

/**
 * Every route a person can open, with what a person (or a scanner) can send:
 * no Shopify parameters, broken ones, hostile query strings, every method,
 * posts from other sites. Each answer is a 4xx or a page, never a 5xx; no
 * request writes an error-level line; and no line anywhere (stdout or stderr)
 * holds the buyer link's token.
 */
const BROWSER = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36" };
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

let database: TestDatabase;
let app: AppProcess;
let link: string;
let token: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  app = await startApp({ DATABASE_URL: database.url, WORKER_ENABLED: "false", LOG_LEVEL: "debug" });
  const created = await post(app.url, "/sessions/payment", paymentBody());
  expect(created.status).toBe(201);
  link = String(created.json.redirect_url).slice(TEST_APP_URL.length);
  token = link.slice("/pay/".length);
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await database?.drop();
});

const embedded = () => embeddedAppQuery({ shop: SHOP, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, userId: "42" }).toString();

/** The status of one request, and the error-level lines it caused. */
async function attempt(path: string, init: RequestInit = {}) {
  const before = app.logs.length;
  const response = await fetch(new URL(path, app.url), { redirect: "manual", ...init, headers: { ...BROWSER, ...init.headers } });
  const body = await response.text();
  const errors = app.logs.slice(before).filter((line) => line.level === "error" || line.level === "fatal");
  return { status: response.status, body, errors };
}

const ROUTES = ["/", "/app", "/app/payments/x", "/app/audit", "/app/audit.csv", "/app/overview", "/app/settings", "/app/data-requests", "/app/data-requests/x.json", "/app.data", "/auth", "/auth/login", "/auth/callback", "/auth/session-token", "/auth/exit-iframe", "/auth/x/y", "/pay/x", "/pay/x/return", "/pay/x/cancel", "/pay/x/challenge", "/webhooks", "/providers/stripe/webhooks", "/nonexistent"];
const REQUESTS: [string, () => RequestInit][] = [
  ["GET", () => ({})],
  ["HEAD", () => ({ method: "HEAD" })],
  ["OPTIONS", () => ({ method: "OPTIONS" })],
  ["POST from the app's origin", () => ({ method: "POST", headers: { ...FORM, Origin: TEST_APP_URL }, body: "shop=&intent=x" })],
  ["POST with Origin: null", () => ({ method: "POST", headers: { ...FORM, Origin: "null" }, body: "a=1" })],
  ["POST from another site", () => ({ method: "POST", headers: { ...FORM, Origin: "https://evil.example" }, body: "a=1" })],
  ["POST without Origin", () => ({ method: "POST", headers: FORM, body: "a=1" })],
  ["POST with a broken multipart body", () => ({ method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=z", Origin: TEST_APP_URL }, body: "--z\r\nbroken" })],
  ["PUT", () => ({ method: "PUT", headers: { ...FORM, Origin: TEST_APP_URL }, body: "a=1" })],
  ["DELETE", () => ({ method: "DELETE", headers: { Origin: TEST_APP_URL } })],
];

describe("every route without Shopify's parameters", () => {
  for (const route of ROUTES) {
    it.each(REQUESTS)(`${route}: %s is a 4xx or a page, and logs no error`, async (_what, init) => {
      const { status, errors } = await attempt(route, init());
      expect(status).toBeLessThan(500);
      expect(errors).toEqual([]);
    });
  }
});

describe("the exit-iframe page", () => {
  it.each([
    ["without exitIframe", "/auth/exit-iframe"],
    ["without exitIframe, with the admin's parameters", `/auth/exit-iframe?${embedded()}`],
  ])("%s is a 400 naming the parameter", async (_what, path) => {
    const { status, body, errors } = await attempt(path);
    expect(status).toBe(400);
    expect(body).toContain("exitIframe is missing");
    expect(errors).toEqual([]);
  });
});

describe("the legacy ?_data protocol (the app uses single fetch)", () => {
  it.each(["/app?_data=routes/app", "/?_data=root", "/pay/x?_data=routes/pay.$token", "/auth/login?_data=routes/auth.login"])("%s is a 400 naming _data, and no error line", async (path) => {
    const { status, body, errors } = await attempt(path);
    expect(status).toBe(400);
    expect(body).toContain("_data is not a parameter of this app");
    expect(errors).toEqual([]);
  });

  it("a buyer's genuine link with ?_data is refused the same, and the token is written nowhere", async () => {
    const { status, errors } = await attempt(`${link}?_data=routes/pay.$token`);
    expect(status).toBe(400);
    expect(errors).toEqual([]);
  });
});

describe("a path whose percent-encoding is broken", () => {
  it.each([
    ["after a buyer's token", () => `${link}/%`],
    ["inside a buyer's token", () => `${link}%`],
    ["under a buyer's return page", () => `${link}/return%zz`],
    ["in the admin", () => "/app/payments/%"],
  ])("%s is a 400 that quotes nothing, and nothing reaches stderr", async (_what, path) => {
    const stderrBefore = app.stderr.length;
    const { status, body, errors } = await attempt(path());
    expect(status).toBe(400);
    expect(body).toContain("path has a % that is not followed by an encoded character");
    expect(body).not.toContain(token);
    expect(errors).toEqual([]);
    // A marker request: everything the refused one wrote is out before it answers.
    await fetch(`${app.url}/healthz`);
    expect(app.stderr.slice(stderrBefore)).toEqual([]);
  });
});

describe("the admin's query strings, inside the admin", () => {
  const forged = (cursor: string) => Buffer.from(cursor).toString("base64url");
  const QUERIES = [
    "to=9999-12-31", "from=0000-01-01", "from=2026-02-30", "to=2026-13-01", "from=%2B002026-01-01", "from=2026-11-30T00:00:00Z", "to=275760-09-13",
    "amountMin=-5", `amountMin=${"9".repeat(30)}`, "amountMax=1e5", "amountMin=NaN", "amountMin=0x10",
    "status=OPEN&status=LOST", "currency=ZZZ", "currency=usd", `q=${"x".repeat(10_000)}`, "q=%00", "q=%F0%9F",
    `after=${forged("999999999999999:abc")}`, `after=${forged("1:")}`, `after=${forged("-1:x")}`, `after=${forged("1e20:x")}`, `after=${forged("8640000000000001:x")}`, "after=abc", `before=${forged("0:a")}`,
    "view=x", "sort=x", `staff=${"x".repeat(200)}`, "action=x", "from=2026-01-01&to=2025-01-01", "from=1970-01-01&to=2026-01-01", "__proto__=1", "constructor=1",
  ];
  const PAGES = ["/app", "/app/overview", "/app/audit", "/app/audit.csv", "/app/data-requests", "/app/payments/x", "/app/data-requests/x.json"];
  for (const page of PAGES) {
    it.each(QUERIES)(`${page}?%s is a 4xx or a page, and logs no error`, async (query) => {
      const { status, errors } = await attempt(`${page}?${embedded()}&${query}`);
      expect(status).toBeLessThan(500);
      expect(errors).toEqual([]);
    });
  }
});

describe("a field given twice", () => {
  // Object.fromEntries kept the last value: the page acted on half of what was asked, silently.
  it.each([
    ["/app", "status=OPEN&status=FAILED"],
    ["/app", "currency=USD&currency=CAD"],
    ["/app/overview", "from=2026-11-01&from=2026-10-01"],
    ["/app/audit", "action=x&action=y"],
  ])("%s?%s is a 400 that names it", async (page, query) => {
    const { status, body, errors } = await attempt(`${page}?${embedded()}&${query}`);
    expect(status).toBe(400);
    expect(body).toContain("is given more than once; give it once");
    expect(errors).toEqual([]);
  });
});

describe("a buyer's link and its sub-pages", () => {
  const SUB_PAGES = ["", "/return", "/cancel", "/challenge", ".data", "/return.data", "/x"];
  for (const sub of SUB_PAGES) {
    it.each(REQUESTS)(`{link}${sub}: %s is a 4xx or a page, and logs no error`, async (_what, init) => {
      const { status, errors } = await attempt(`${link}${sub}`, init());
      expect(status).toBeLessThan(500);
      expect(errors).toEqual([]);
    });
  }

  it("never puts the token in any line the process wrote (run last: after every request above)", async () => {
    await fetch(`${app.url}/healthz`);
    expect(JSON.stringify(app.logs)).not.toContain(token);
    expect(app.stderr.join("\n")).not.toContain(token);
  });
});
