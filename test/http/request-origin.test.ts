import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, TEST_APP_URL, type AppProcess } from "../support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { paymentBody, post, SHOP } from "../support/shopify-requests";

/**
 * A page's post (a buyer paying or cancelling, staff acting in the admin) must
 * come from the app's own pages: its Origin (else its Referer) is compared with
 * SHOPIFY_APP_URL's origin, not with Host, which a proxy may rewrite. Another
 * site's post is a 403 in words that changes nothing, never a 500.
 */
let database: TestDatabase;
let app: AppProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  app = await startApp({ DATABASE_URL: database.url, WORKER_ENABLED: "false" });
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await database?.drop();
});

interface RawAnswer {
  status: number;
  location: string | undefined;
  body: string;
}

/** A form post with exactly these headers (fetch would not let a test set Host). */
function postForm(path: string, headers: Record<string, string>, form: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port, path, method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(form), ...headers } }, (response) => {
      let body = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, location: response.headers.location, body }));
    });
    request.on("error", reject);
    request.end(form);
  });
}

async function newPayment(): Promise<{ path: string; id: string; cancelUrl: string }> {
  const body = paymentBody();
  const created = await post(app.url, "/sessions/payment", body);
  expect(created.status).toBe(201);
  const row = await database.db.paymentSession.findFirstOrThrow({ where: { shopifyId: body.id }, select: { id: true, cancelUrl: true } });
  return { path: String(created.json.redirect_url).slice(TEST_APP_URL.length), ...row };
}

const statusOf = async (id: string) => (await database.db.paymentSession.findUniqueOrThrow({ where: { id } })).status;

describe("a buyer's post from another site", () => {
  it.each([
    ["another site's Origin", { Origin: "https://evil.example" }],
    ["the app's host on another scheme", { Origin: "http://payments-app.test" }],
    ["Origin: null and another site's Referer", { Origin: "null", Referer: "https://evil.example/page" }],
    ["Origin: null without a Referer", { Origin: "null" }],
    ["no Origin and another site's Referer", { Referer: "https://evil.example/page" }],
  ])("with %s is a 403 in words, and pays nothing", async (_what, headers) => {
    const payment = await newPayment();
    const answer = await postForm(payment.path, headers, "intent=pay&scenario=approve");
    expect(answer.status).toBe(403);
    expect(answer.body).toContain("this request was not sent from the app's own pages");
    expect(answer.body).toContain("Nothing was changed");
    expect(await statusOf(payment.id)).toBe("OPEN");
    expect(await database.db.providerCall.count({ where: { paymentSessionId: payment.id } })).toBe(0);
  });

  it("is logged as refused, at info level, with the route's label and not its path", async () => {
    const payment = await newPayment();
    await postForm(payment.path, { Origin: "https://evil.example" }, "intent=cancel");
    // The line reaches this process through the app's stdout, which may come after its response.
    await expect.poll(() => app.logs.find((entry) => entry.msg === "refused a post from another site"), { timeout: 60_000 }).toMatchObject({ level: "info", route: "pay", method: "POST" });
    expect(JSON.stringify(app.logs)).not.toContain(payment.path.slice("/pay/".length));
  });
});

describe("a buyer's post from the app's own page", () => {
  it("is served when a proxy rewrote Host: Origin is compared with SHOPIFY_APP_URL", async () => {
    const payment = await newPayment();
    const answer = await postForm(payment.path, { Host: "app-internal:3000", Origin: TEST_APP_URL }, "intent=cancel");
    expect(answer).toMatchObject({ status: 302, location: payment.cancelUrl });
  });

  it("is served with Origin: null and the app's Referer", async () => {
    const payment = await newPayment();
    const answer = await postForm(payment.path, { Origin: "null", Referer: `${TEST_APP_URL}${payment.path}` }, "intent=cancel");
    expect(answer).toMatchObject({ status: 302, location: payment.cancelUrl });
  });

  it("is served with neither Origin nor Referer (not a browser's cross-site post)", async () => {
    const payment = await newPayment();
    expect(await postForm(payment.path, {}, "intent=cancel")).toMatchObject({ status: 302, location: payment.cancelUrl });
  });
});

describe("an admin post from another site", () => {
  it.each([
    ["the payments list (single fetch)", "/app.data?index"],
    ["the settings page", "/app/settings"],
  ])("to %s is a 403 before anything else runs", async (_what, path) => {
    const answer = await postForm(path, { Origin: "https://evil.example", Authorization: "Bearer not-checked-first" }, "intent=configure");
    expect(answer.status).toBe(403);
    expect(answer.body).toContain("this request was not sent from the app's own pages");
  });
});

describe("Shopify's webhooks", () => {
  it("are not subject to the check (server-to-server posts proven by their HMAC): an unsigned one is still a 401", async () => {
    const answer = await postForm("/webhooks", { Origin: "https://evil.example" }, "{}");
    expect(answer.status).toBe(401);
  });
});
