import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, TEST_APP_URL, type AppProcess } from "../support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { paymentBody, post, SHOP } from "../support/shopify-requests";

/**
 * What the logs say when a route fails: its pattern (/pay/:token), never the path
 * with a buyer's token; a path nobody serves is a 404 page in words and no error;
 * a real error names its class, code and stack frames, never its message.
 */
let database: TestDatabase;
let app: AppProcess;
let path: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  app = await startApp({ DATABASE_URL: database.url, WORKER_ENABLED: "false", LOG_LEVEL: "info" });
  const created = await post(app.url, "/sessions/payment", paymentBody());
  expect(created.status).toBe(201);
  path = String(created.json.redirect_url).slice(TEST_APP_URL.length);
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await database?.drop();
});

/** Everything the process wrote, to search for what must never be there. */
const output = () => JSON.stringify(app.logs) + app.stderr.join("\n");

/** Log lines are written before the response (synchronous outside production), but stderr may trail: wait for it by deadline. */
async function eventually(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe("a path nobody serves", () => {
  it.each([
    ["/.env", () => "/.env"],
    ["/nonexistent", () => "/nonexistent"],
    ["/wp-login.php?x=1", () => "/wp-login.php?x=1"],
    ["/pay/{a genuine token}/not-a-page", () => `${path}/not-a-page`],
  ])("%s is a 404 page in words, not an error in the logs", async (_target, target) => {
    const before = app.logs.length;
    const response = await fetch(`${app.url}${target()}`);
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain("<h1>Page not found</h1>");
    expect(html).toContain("There is no page at this address");
    expect(app.logs.slice(before).filter((entry) => entry.level === "error")).toEqual([]);
  });

  it("a post to one is a 404 too, and nothing about any of them reaches stderr", async () => {
    const response = await fetch(`${app.url}/nonexistent`, { method: "POST", body: "x=1", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(response.status).toBe(404);
    // A marker request whose line follows everything above on stdout.
    await fetch(`${app.url}/healthz`);
    expect(app.stderr).toEqual([]);
    expect(output()).not.toContain(path.slice("/pay/".length));
  });
});

describe("an unhandled error in a buyer page's loader", () => {
  it("is logged with the route's pattern and the error's class, code and frames; never the token or the message", async () => {
    // The payments table gone: the loader's query fails, as in a broken deploy.
    await database.db.$executeRawUnsafe(`ALTER TABLE "PaymentSession" RENAME TO "PaymentSessionAway"`);
    let response: Response;
    try {
      response = await fetch(`${app.url}${path}`);
    } finally {
      await database.db.$executeRawUnsafe(`ALTER TABLE "PaymentSessionAway" RENAME TO "PaymentSession"`);
    }
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("PaymentSession");

    await eventually(() => app.logs.some((entry) => entry.msg === "unhandled error in a route"));
    const line = app.logs.find((entry) => entry.msg === "unhandled error in a route") as { level: string; route: string; method: string; err: { type: string; code?: string; frames?: string[] } };
    expect(line).toMatchObject({ level: "error", route: "/pay/:token", method: "GET" });
    expect(line.err.type).toMatch(/^PrismaClient\w+Error$/);
    expect(line.err.code).toMatch(/^P\d{4}$/);
    expect(line.err.frames?.some((frame) => /build\/index\.js:\d+:\d+\)?$/.test(frame))).toBe(true);
    // The message (Prisma's names the table and the query) stays out.
    expect(JSON.stringify(line)).not.toMatch(/PaymentSessionAway|does not exist|no such table/i);
    expect(output()).not.toContain(path.slice("/pay/".length));
  });
});
