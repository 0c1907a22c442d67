// Benchmark (not a test): the admin's payment list at scale. Seeds ROWS payment
// sessions over SHOPS shops into a migrated SQLite file (with follow-ups, pending
// payments and failing deliveries in realistic shares), starts the built app on
// it, and times the list's server response for one shop, as the embedded admin
// asks for it (Remix single-fetch data request with a session token): the first
// page, a deep page (keyset cursor ~90 % down the shop's rows), "needs
// attention", a status filter and a search. Prints p50/p95/p99 per case.
// Usage: npm run bench:admin-list [-- --rows 1000000 --shops 100 --requests 200 --fresh]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { cpus } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { encodeCursor } from "../app/admin/payment-list.server";
import { signSessionToken } from "../sandbox/shopify/session-token";
import { startApp } from "../test/support/app-process";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    shops: { type: "string", default: "100" },
    requests: { type: "string", default: "200" },
    // Seed again even when the database of a previous run has the same size.
    fresh: { type: "boolean", default: false },
  },
});
const ROWS = Number(values.rows);
const SHOPS = Number(values.shops);
const REQUESTS = Number(values.requests);
const DIR = path.resolve(".cache", "bench-admin-list");
const FILE = path.join(DIR, `payments-${ROWS}-${SHOPS}.sqlite`);
const API_KEY = "bench-api-key";
const API_SECRET = "bench-secret-0123456789abcdef";
const shopOf = (n: number) => `bench-${n % SHOPS}.myshopify.com`;
const SHOP = shopOf(42);

function iso(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

function seed(): void {
  rmSync(FILE, { force: true });
  mkdirSync(DIR, { recursive: true });
  const migrate = spawnSync("npx", ["prisma", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL: `file:${FILE}` }, stdio: ["ignore", "ignore", "inherit"] });
  if (migrate.status !== 0) throw new Error("prisma migrate deploy failed");
  const db = new Database(FILE);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const now = Date.now();
  const started = performance.now();
  const shops = Array.from({ length: SHOPS }, (_, i) => shopOf(i));
  db.transaction(() => {
    const shop = db.prepare(`INSERT INTO "Shop" ("domain", "createdAt", "ready") VALUES (?, ?, 1)`);
    const session = db.prepare(`INSERT INTO "Session" ("id", "shop", "state", "isOnline", "scope", "accessToken") VALUES (?, ?, 'bench', 0, 'write_payment_gateways,write_payment_sessions', ?)`);
    for (const domain of shops) {
      shop.run(domain, iso(now));
      session.run(`offline_${domain}`, domain, `shpat_bench_${domain}`);
    }
  })();

  const payment = db.prepare(`INSERT INTO "PaymentSession" ("id", "shop", "shopifyId", "gid", "group", "amountMinor", "amount", "currency", "test", "merchantLocale", "kind", "paymentMethodType", "cancelUrl", "proposedAt", "customerEmail", "shopifyApiVersion", "shopifyRequestId", "requestHash", "status", "receivedAt", "resolvedAt", "rejectedAt", "pendingAt", "pendingExpiresAt", "authorizationExpiresAt", "rejectionCode", "ledgerVersion", "updatedAt")
    VALUES (@id, @shop, @shopifyId, @gid, @group, @amountMinor, @amount, @currency, @test, 'en', @kind, 'offsite', 'https://example.myshopify.com/cancel', @at, @email, '2026-04', @requestId, @requestId, @status, @at, @resolvedAt, @rejectedAt, @pendingAt, @pendingExpiresAt, @authorizationExpiresAt, @rejectionCode, 0, @at)`);
  const refund = db.prepare(`INSERT INTO "RefundSession" ("id", "shop", "shopifyId", "gid", "paymentSessionId", "amountMinor", "amount", "currency", "test", "merchantLocale", "proposedAt", "shopifyApiVersion", "shopifyRequestId", "requestHash", "status", "receivedAt", "resolvedAt", "processAfter", "updatedAt")
    VALUES (?, ?, ?, ?, ?, 500, '5.00', ?, ?, 'en', ?, '2026-04', ?, ?, 'RESOLVED', ?, ?, ?, ?)`);
  const delivery = db.prepare(`INSERT INTO "Delivery" ("id", "shop", "operation", "sessionGid", "paymentSessionId", "status", "attempts", "nextAttemptAt", "lastError", "createdAt", "updatedAt")
    VALUES (?, ?, 'PAYMENT_RESOLVE', ?, ?, ?, ?, ?, ?, ?, ?)`);
  const currencies = ["USD", "USD", "USD", "EUR", "CAD", "JPY", "KWD"];
  const span = 90 * 86_400_000;
  const batch = db.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      // Shares are taken over each shop's own rows (k), not over n, which picks the shop.
      const k = Math.floor(n / SHOPS);
      const id = `c${n.toString(36).padStart(9, "0")}bench`;
      const shopifyId = `pay_${n.toString(36)}`;
      const at = iso(now - span + Math.floor((n / ROWS) * span));
      // 85 % resolved, 8 % rejected, 5 % open, 2 % pending; 30 % test; 25 % authorizations.
      const roll = k % 100;
      const status = roll < 85 ? "RESOLVED" : roll < 93 ? "REJECTED" : roll < 98 ? "OPEN" : "PENDING";
      const currency = currencies[k % currencies.length] ?? "USD";
      const kind = k % 4 === 0 ? "AUTHORIZATION" : "SALE";
      payment.run({
        id,
        shop: shopOf(n),
        shopifyId,
        gid: `gid://shopify/PaymentSession/${shopifyId}`,
        group: `grp_${n.toString(36)}`,
        amountMinor: currency === "JPY" ? 4999 : currency === "KWD" ? 49_999 : 4999,
        amount: currency === "JPY" ? "4999" : currency === "KWD" ? "49.999" : "49.99",
        currency,
        test: k % 10 < 3 ? 1 : 0,
        kind,
        at,
        email: `buyer${n}@example.com`,
        requestId: `req_${n.toString(36)}`,
        status,
        resolvedAt: status === "RESOLVED" ? at : null,
        rejectedAt: status === "REJECTED" ? at : null,
        rejectionCode: status === "REJECTED" ? "CARD_DECLINED" : null,
        pendingAt: status === "PENDING" ? at : null,
        pendingExpiresAt: status === "PENDING" ? iso(now + 86_400_000) : null,
        authorizationExpiresAt: status === "RESOLVED" && kind === "AUTHORIZATION" ? iso(Date.parse(at) + 7 * 86_400_000) : null,
      });
      // One in ten resolved payments has a refund; one in 2,000 a failing delivery.
      if (status === "RESOLVED" && k % 10 === 1) refund.run(`r${id}`, shopOf(n), `ref_${n.toString(36)}`, `gid://shopify/RefundSession/ref_${n.toString(36)}`, id, currency, k % 10 < 3 ? 1 : 0, at, `rreq_${n.toString(36)}`, `rreq_${n.toString(36)}`, at, at, at, at);
      if (status === "RESOLVED" && k % 2000 === 5) delivery.run(`d${id}`, shopOf(n), `gid://shopify/PaymentSession/${shopifyId}`, id, k % 4000 === 5 ? "DEAD" : "PENDING", 3, at, "HTTP 503", at, at);
    }
  });
  for (let from = 0; from < ROWS; from += 50_000) {
    batch(from, Math.min(ROWS, from + 50_000));
    process.stdout.write(`\r  seeding ${Math.min(ROWS, from + 50_000).toLocaleString("en")} / ${ROWS.toLocaleString("en")}`);
  }
  db.exec("ANALYZE");
  db.close();
  console.log(`\n  seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main() {
  console.log(`Admin list benchmark: ${ROWS.toLocaleString("en")} payment sessions over ${SHOPS} shops, SQLite, ${cpus().length} cores, Node ${process.version}`);
  if (values.fresh || !existsSync(FILE)) seed();
  else console.log(`  reusing ${path.relative(process.cwd(), FILE)} (--fresh to seed again)`);

  const build = spawnSync("npx", ["remix", "build"], { stdio: ["ignore", "ignore", "inherit"] });
  if (build.status !== 0) throw new Error("remix build failed");

  const raw = new Database(FILE, { readonly: true });
  const shopRows = (raw.prepare(`SELECT COUNT(*) AS n FROM "PaymentSession" WHERE "shop" = ?`).get(SHOP) as { n: number }).n;
  const deep = raw.prepare(`SELECT "id", "receivedAt" FROM "PaymentSession" WHERE "shop" = ? ORDER BY "receivedAt" DESC, "id" DESC LIMIT 1 OFFSET ?`).get(SHOP, Math.floor(shopRows * 0.9)) as { id: string; receivedAt: string };
  const searched = (raw.prepare(`SELECT "shopifyId" FROM "PaymentSession" WHERE "shop" = ? LIMIT 1 OFFSET 777`).get(SHOP) as { shopifyId: string }).shopifyId;
  raw.close();

  const app = await startApp({
    NODE_ENV: "production",
    DATABASE_URL: `file:${FILE}`,
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET,
    SHOPIFY_APP_URL: "https://payments-app.bench",
    SHOPIFY_REQUEST_AUTH: "proxy",
    PROXY_SHARED_SECRET: "bench-proxy-secret-0123456789abcdef",
    WORKER_ENABLED: "false",
    // Production requires the customer-data keys (decision 0006); any will do here.
    PII_ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 7).toString("base64")}`,
    PII_LOOKUP_KEY: Buffer.alloc(32, 9).toString("base64"),
  });
  const cases: [string, string][] = [
    ["first page", ""],
    [`deep page (row ${Math.floor(shopRows * 0.9).toLocaleString("en")} of ${shopRows.toLocaleString("en")})`, `after=${encodeCursor({ receivedAt: new Date(deep.receivedAt), id: deep.id })}`],
    ["needs attention", "view=attention"],
    ["status = pending", "status=PENDING"],
    ["search by session id", `q=${searched}`],
  ];
  console.log(`  shop ${SHOP}: ${shopRows.toLocaleString("en")} payments; ${REQUESTS} requests per case after 20 to warm up, one at a time\n`);
  console.log("  case                                   p50 ms   p95 ms   p99 ms   rows");
  try {
    for (const [name, query] of cases) {
      const url = `${app.url}/app.data?${query}`;
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < REQUESTS + 20; i++) {
        const token = signSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, userId: "1" });
        const started = performance.now();
        const response = await fetch(url, { headers: { Authorization: `Bearer ${token}`, "User-Agent": "Mozilla/5.0 (bench) Chrome/156.0" } });
        const body = await response.text();
        const elapsed = performance.now() - started;
        if (response.status !== 200) throw new Error(`${name}: HTTP ${response.status}: ${body.slice(0, 300)}`);
        if (i >= 20) times.push(elapsed);
        // turbo-stream names each key once; the payments' own ids tell how many rows came back.
        rows = new Set(body.match(/pay_[0-9a-z]+/g) ?? []).size;
      }
      times.sort((a, b) => a - b);
      const fmt = (value: number) => value.toFixed(1).padStart(8);
      console.log(`  ${name.padEnd(38)}${fmt(percentile(times, 50))} ${fmt(percentile(times, 95))} ${fmt(percentile(times, 99))}   ${rows}`);
    }
  } finally {
    await app.stop();
  }
  console.log("\n  Goal (issue 5): p50 ≤ 50 ms for the first page, a deep page and needs attention.");
}

await main();
