import { execFile } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { embeddedAppQuery } from "../../sandbox/shopify/session-token";
import { startApp, startAppExpectingFailure, TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, type AppProcess } from "../support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";
import { paymentBody, post, SHOP, shopifyHeaders } from "../support/shopify-requests";
import { ROOT } from "../support/paths";

/**
 * The build the tests run is the one `npm run build` makes, and it runs as
 * `npm start` runs it: same node flags, NODE_ENV=production, and the production
 * configuration (a TLS proxy vouching for Shopify, keys for customer data, no
 * sandbox). A build made in another mode is refused at start, with what to do.
 */
const exec = promisify(execFile);
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const PROXY_SECRET = "proxy-secret-0123456789abcdef-0123456789";
const PRODUCTION_ENV = {
  NODE_ENV: "production",
  SHOPIFY_REQUEST_AUTH: "proxy",
  PROXY_SHARED_SECRET: PROXY_SECRET,
  PII_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64")}`,
  PII_LOOKUP_KEY: Buffer.alloc(32, 9).toString("base64"),
  WORKER_ENABLED: "false",
};

/** `npm start`'s node flags: its script is `NODE_ENV=production node {flags} build/index.js`. */
function npmStartNodeFlags(): string[] {
  const start = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.start ?? "";
  const match = /^NODE_ENV=production node((?: --?[\w-]+(?:=\S+)?)*) build\/index\.js$/.exec(start);
  if (!match) throw new Error(`npm start is no longer "NODE_ENV=production node [flags] build/index.js": update this test (${start})`);
  return (match[1] ?? "").split(" ").filter(Boolean);
}

describe("the production build, started as npm start starts it", () => {
  let database: TestDatabase;
  let app: AppProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    await installShop(database.db, SHOP);
    app = await startApp({ ...PRODUCTION_ENV, DATABASE_URL: database.url }, npmStartNodeFlags());
  });

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  it("runs in production mode", () => {
    expect(app.logs.find((line) => line.msg === "listening")).toMatchObject({ mode: "production", requestAuth: "proxy" });
  });

  it("renders the buyer's payment page, and its scripts are served", async () => {
    const headers = shopifyHeaders(SHOP, { "X-Payments-Proxy-Secret": PROXY_SECRET, "X-Client-Cert-Verified": "SUCCESS" });
    const created = await post(app.url, "/sessions/payment", paymentBody({ amount: "123.45", currency: "CAD" }), headers);
    expect(created.status).toBe(201);
    const link = new URL(created.json.redirect_url as string);
    expect(link.origin).toBe(TEST_APP_URL);

    const page = await fetch(new URL(link.pathname, app.url), { headers: { "User-Agent": BROWSER } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toMatch(/123,45\s*\$/);
    await expectScriptsServed(html);
  });

  it("renders the embedded admin (/app) for a signed-in staff member", async () => {
    const url = new URL("/app", app.url);
    for (const [key, value] of embeddedAppQuery({ shop: SHOP, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, userId: "42" })) url.searchParams.set(key, value);
    const page = await fetch(url, { headers: { "User-Agent": BROWSER }, redirect: "manual" });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("Payments");
    expect(html).toContain("Polaris");
    await expectScriptsServed(html);
  });

  /** The page's own module scripts (Remix's bundles under /build/) answer 200: the assets of this build. */
  async function expectScriptsServed(html: string) {
    const scripts = [...html.matchAll(/(?:src|href)="(\/build\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of new Set(scripts)) expect((await fetch(new URL(script, app.url))).status, script).toBe(200);
  }
});

describe("a build made in another mode (npm run dev's)", () => {
  it("is refused by a production start, with what to do", async () => {
    // What `npm run dev` does (scripts/dev.ts), into a directory of this run's own.
    const dir = path.join(inject("testRun").dir, "dev-build");
    await exec("npx", ["remix", "build"], { cwd: ROOT, env: { ...process.env, NODE_ENV: "development", BUILD_DIR: dir } });

    const started = await startAppExpectingFailure({ ...PRODUCTION_ENV, SHOPIFY_APP_URL: TEST_APP_URL, SHOPIFY_API_KEY: TEST_API_KEY, SHOPIFY_API_SECRET: TEST_API_SECRET, DATABASE_URL: `file:${dir}/never-opened.sqlite` }, path.join(dir, "build", "index.js"));

    expect(started.code).toBe(1);
    expect(started.stderr).toContain("made for NODE_ENV=development and cannot run with NODE_ENV=production");
    expect(started.stderr).toContain("npm run build");
  }, 240_000);
});

describe("a production build stopped half-way", () => {
  const productionStart = () => ({ ...PRODUCTION_ENV, SHOPIFY_APP_URL: TEST_APP_URL, SHOPIFY_API_KEY: TEST_API_KEY, SHOPIFY_API_SECRET: TEST_API_SECRET });

  /**
   * A copy of the run's build, as `remix build` interrupted leaves one: it empties
   * public/build/ first and writes build/index.js last, so the old server remains
   * and its browser files are gone. The copy's server is pointed at the copy's
   * public/build/ (the compiler writes that path into it).
   */
  function copyOfTheBuild(name: string): { server: string; assets: string } {
    const { dir } = inject("testRun");
    const copy = path.join(dir, name);
    cpSync(path.join(dir, "build"), path.join(copy, "build"), { recursive: true });
    cpSync(path.join(dir, "public"), path.join(copy, "public"), { recursive: true });
    const server = path.join(copy, "build", "index.js");
    const source = readFileSync(server, "utf8");
    const named = /assetsBuildDirectory = "[^"]*"/;
    expect(source, "the build names its assets directory").toMatch(named);
    writeFileSync(server, source.replace(named, `assetsBuildDirectory = ${JSON.stringify(path.join(copy, "public", "build"))}`));
    return { server, assets: path.join(copy, "public", "build") };
  }

  it("is refused when its browser files are gone (public/build/ emptied), with what to do", async () => {
    const { server, assets } = copyOfTheBuild("interrupted-build");
    rmSync(assets, { recursive: true });
    mkdirSync(assets);
    const started = await startAppExpectingFailure({ ...productionStart(), DATABASE_URL: `file:${assets}/never-opened.sqlite` }, server);

    expect(started.code).toBe(1);
    expect(started.stderr).toContain("This build is incomplete");
    expect(started.stderr).toContain("npm run build");
  }, 120_000);

  it("is refused when one script of a page is missing", async () => {
    const { server, assets } = copyOfTheBuild("build-missing-a-file");
    const entry = readdirSync(assets).find((file) => file.startsWith("entry.client-") && file.endsWith(".js"));
    expect(entry).toBeDefined();
    rmSync(path.join(assets, entry!));
    const started = await startAppExpectingFailure({ ...productionStart(), DATABASE_URL: `file:${assets}/never-opened.sqlite` }, server);

    expect(started.code).toBe(1);
    expect(started.stderr).toContain(`/build/${entry}`);
  }, 120_000);
});

describe("npm start without a production build (a fresh clone after npm run dev)", () => {
  it("is refused with what to do, not a stack trace", async () => {
    // npm start's scripts in a folder of their own that has no build/.
    const folder = path.join(inject("testRun").dir, "no-build");
    mkdirSync(folder, { recursive: true });
    cpSync(path.join(ROOT, "package.json"), path.join(folder, "package.json"));
    const started = await exec("npm", ["start"], { cwd: folder }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? "" }),
    );

    expect(started.code).not.toBe(0);
    expect(started.stderr).toContain("There is no production build in build/");
    expect(started.stderr).toContain("npm run build");
    expect(started.stderr).not.toContain("MODULE_NOT_FOUND");
  }, 60_000);
});
