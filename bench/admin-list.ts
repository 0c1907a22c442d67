// Benchmark (not a test): the admin's payment list at scale. Seeds ROWS payment
// sessions over SHOPS shops into a migrated SQLite file (with follow-ups, pending
// payments and failing deliveries in realistic shares), starts the built app on
// it, and times the list's server response for one shop, as the embedded admin
// asks for it (Remix single-fetch data request with a session token): the first
// page, a deep page (keyset cursor ~90 % down the shop's rows), "needs
// attention", a status filter and a search. Prints p50/p95/p99 per case.
// Usage: npm run bench:admin-list [-- --rows 1000000 --shops 100 --requests 200 --fresh --only overview]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { encodeCursor } from "../app/admin/payment-list.server";
import { signSessionToken } from "../sandbox/shopify/session-token";
import { startApp } from "../test/support/app-process";
import { BENCH_POSTGRES_URL, createBenchPostgresDatabase, seedPaymentsPostgres } from "./support/postgres";
import { seedPayments, shopOf as benchShop } from "./support/seed-payments";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    shops: { type: "string", default: "100" },
    requests: { type: "string", default: "200" },
    // Seed again even when the database of a previous run has the same size.
    fresh: { type: "boolean", default: false },
    database: { type: "string", default: "sqlite" },
    // Only the cases whose name contains this (e.g. "overview").
    only: { type: "string", default: "" },
  },
});
const ROWS = Number(values.rows);
const SHOPS = Number(values.shops);
const REQUESTS = Number(values.requests);
const DIR = path.resolve(".cache", "bench-admin-list");
const FILE = path.join(DIR, `payments-${ROWS}-${SHOPS}.sqlite`);
const API_KEY = "bench-api-key";
const API_SECRET = "bench-secret-0123456789abcdef";
const SHOP = benchShop(42, SHOPS);

function seed(): void {
  const started = performance.now();
  seedPayments(FILE, { rows: ROWS, shops: SHOPS, extras: true, progress: true });
  console.log(`\n  seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

interface Probe {
  shopRows: number;
  deep: { id: string; receivedAt: string };
  searched: string;
}

// The shop's size, the row 90 % down its list (for the deep page's cursor), and an id to search for.
function probeSqlite(): Probe {
  const raw = new Database(FILE, { readonly: true });
  try {
    const shopRows = (raw.prepare(`SELECT COUNT(*) AS n FROM "PaymentSession" WHERE "shop" = ?`).get(SHOP) as { n: number }).n;
    const deep = raw.prepare(`SELECT "id", "receivedAt" FROM "PaymentSession" WHERE "shop" = ? ORDER BY "receivedAt" DESC, "id" DESC LIMIT 1 OFFSET ?`).get(SHOP, Math.floor(shopRows * 0.9)) as Probe["deep"];
    const searched = (raw.prepare(`SELECT "shopifyId" FROM "PaymentSession" WHERE "shop" = ? LIMIT 1 OFFSET ?`).get(SHOP, Math.floor(shopRows / 2)) as { shopifyId: string }).shopifyId;
    return { shopRows, deep, searched };
  } finally {
    raw.close();
  }
}

async function probePostgres(url: string): Promise<Probe> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const shopRows = Number((await client.query(`SELECT COUNT(*) AS n FROM "PaymentSession" WHERE "shop" = $1`, [SHOP])).rows[0].n);
    const deepRow = (await client.query(`SELECT "id", "receivedAt" FROM "PaymentSession" WHERE "shop" = $1 ORDER BY "receivedAt" DESC, "id" DESC LIMIT 1 OFFSET $2`, [SHOP, Math.floor(shopRows * 0.9)])).rows[0] as { id: string; receivedAt: Date };
    const searched = (await client.query(`SELECT "shopifyId" FROM "PaymentSession" WHERE "shop" = $1 LIMIT 1 OFFSET $2`, [SHOP, Math.floor(shopRows / 2)])).rows[0].shopifyId as string;
    return { shopRows, deep: { id: deepRow.id, receivedAt: deepRow.receivedAt.toISOString() }, searched };
  } finally {
    await client.end();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main() {
  const postgres = values.database === "postgresql";
  console.log(`Admin list benchmark: ${ROWS.toLocaleString("en")} payment sessions over ${SHOPS} shops, ${postgres ? "PostgreSQL" : "SQLite"}, ${cpus().length} cores, Node ${process.version}`);
  let databaseUrl = `file:${FILE}`;
  let dropDatabase = async () => {};
  if (postgres) {
    const started = performance.now();
    const created = await createBenchPostgresDatabase(BENCH_POSTGRES_URL, "bench_admin_list");
    await seedPaymentsPostgres(created.url, { rows: ROWS, shops: SHOPS, extras: true });
    console.log(`  seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    databaseUrl = created.url;
    dropDatabase = created.drop;
  } else if (values.fresh || !existsSync(FILE)) seed();
  else console.log(`  reusing ${path.relative(process.cwd(), FILE)} (--fresh to seed again)`);

  const build = spawnSync("npm", ["run", "--silent", "build"], { stdio: ["ignore", "ignore", "inherit"] });
  if (build.status !== 0) throw new Error("npm run build failed");

  const { shopRows, deep, searched } = postgres ? await probePostgres(databaseUrl) : probeSqlite();

  const app = await startApp({
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
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
  // [name, the page's data URL, query]
  const cases: [string, string, string][] = [
    ["first page", "/app.data", ""],
    [`deep page (row ${Math.floor(shopRows * 0.9).toLocaleString("en")} of ${shopRows.toLocaleString("en")})`, "/app.data", `after=${encodeCursor({ receivedAt: new Date(deep.receivedAt), id: deep.id })}`],
    ["needs attention", "/app.data", "view=attention"],
    ["status = pending", "/app.data", "status=pending"],
    ["status = abandoned", "/app.data", "status=abandoned"],
    ["search by session id", "/app.data", `q=${searched}`],
    // Issue 15: the overview's figures over the default 30 days, the widest range the seed fills (90 days), and 7 days in one currency.
    ["overview (30 days)", "/app/overview.data", ""],
    ["overview (90 days)", "/app/overview.data", `from=${new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10)}&to=${new Date().toISOString().slice(0, 10)}`],
    ["overview (7 days, USD)", "/app/overview.data", `from=${new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10)}&to=${new Date().toISOString().slice(0, 10)}&currency=USD`],
  ];
  console.log(`  shop ${SHOP}: ${shopRows.toLocaleString("en")} payments; ${REQUESTS} requests per case after 20 to warm up, one at a time\n`);
  console.log("  case                                   p50 ms   p95 ms   p99 ms   rows");
  try {
    for (const [name, route, query] of cases.filter(([name]) => name.includes(values.only))) {
      const url = `${app.url}${route}?${query}`;
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < REQUESTS + 20; i++) {
        const token = signSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, userId: "1" });
        const started = performance.now();
        const response = await fetch(url, { headers: { Authorization: `Bearer ${token}`, "User-Agent": "Mozilla/5.0 (bench) Chrome/156.0" } });
        const body = await response.text();
        const elapsed = performance.now() - started;
        if (response.status !== 200) {
          const errors = app.logs.slice(-4);
          throw new Error(`${name}: HTTP ${response.status}: ${body.slice(0, 300)}\n${JSON.stringify(errors, null, 1)}\n${app.stderr.slice(-10).join("\n")}`);
        }
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
    await dropDatabase();
  }
  console.log("\n  Goal (issue 5): p50 ≤ 50 ms for the first page, a deep page and needs attention. Goal (issue 15): p50 ≤ 100 ms for the overview.");
}

await main();
