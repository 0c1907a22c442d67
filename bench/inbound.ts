// Benchmark (not a test): POST /sessions/payment with unique ids at 50
// connections (autocannon), against the built app in production mode (behind a
// TLS proxy: SHOPIFY_REQUEST_AUTH=proxy, so plain HTTP here) and, in the same
// run, against a bare baseline (node:http + one INSERT of the same body). Prints
// req/s, p50 and p99 of each (median of RUNS runs), the ratio app/baseline, the
// app's peak RSS, and the growth of the app's p99 with 10k, 100k and 1M payment
// sessions already stored (SQLite).
// Usage: npm run bench:inbound [-- --database sqlite|postgresql|both --duration 10 --runs 3 --no-growth]
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { startApp, type AppProcess } from "../test/support/app-process";
import { BENCH_POSTGRES_URL, createBenchPostgresDatabase, seedPaymentsPostgres } from "./support/postgres";
import { seedPayments, shopOf } from "./support/seed-payments";

const { values } = parseArgs({
  options: {
    database: { type: "string", default: "sqlite" },
    duration: { type: "string", default: "10" },
    runs: { type: "string", default: "3" },
    connections: { type: "string", default: "50" },
    "no-growth": { type: "boolean", default: false },
    "postgres-url": { type: "string", default: BENCH_POSTGRES_URL },
  },
});
const DURATION = Number(values.duration);
const RUNS = Number(values.runs);
const CONNECTIONS = Number(values.connections);
const SHOPS = 100;
const DIR = path.resolve(".cache", "bench-inbound");
const PROXY_SECRET = "bench-proxy-secret-0123456789abcdef";

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] ?? NaN;

function paymentBody(): string {
  const id = randomBytes(18).toString("base64url");
  return JSON.stringify({
    id,
    gid: `gid://shopify/PaymentSession/${id}`,
    group: randomBytes(24).toString("base64"),
    session_id: randomBytes(24).toString("base64"),
    amount: "123.00",
    currency: "CAD",
    test: true,
    merchant_locale: "en",
    payment_method: { type: "offsite", data: { cancel_url: "https://bench-1.myshopify.com/checkouts/c/abc" } },
    proposed_at: "2026-11-29T08:00:00Z",
    customer: {
      email: "buyer@example.com",
      phone_number: "5555555555",
      locale: "fr",
      billing_address: { given_name: "Alice", family_name: "Smith", line1: "123 Street", city: "Montreal", postal_code: "H2Z 0B3", province_code: "QC", country_code: "CA" },
    },
    kind: "sale",
  });
}

/** One autocannon run of DURATION seconds: unique ids, shops spread over the installed ones. */
async function load(url: string): Promise<Figures> {
  let n = 0;
  const result = await autocannon({
    url: `${url}/sessions/payment`,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => ({
          ...request,
          headers: {
            "Content-Type": "application/json",
            "Shopify-Shop-Domain": shopOf(n++, SHOPS),
            "Shopify-Request-Id": randomBytes(16).toString("hex"),
            "Shopify-Api-Version": "2026-04",
            "X-Payments-Proxy-Secret": PROXY_SECRET,
            "X-Client-Cert-Verified": "SUCCESS",
          },
          body: paymentBody(),
        }),
      },
    ],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors + result.timeouts };
}

async function startBaseline(target: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/support/baseline-server.ts", target], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once("exit", (code) => reject(new Error(`baseline exited with ${code}`)));
  });
  return { url, stop: () => child.kill("SIGTERM") };
}

/** Node's flags of `npm start` (package.json) and the container (scripts/docker-entrypoint.sh). */
const START_NODE_ARGS = ["--max-semi-space-size=8"];

function startBenchApp(databaseUrl: string): Promise<AppProcess> {
  return startApp(
    {
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      SHOPIFY_APP_URL: "https://payments-app.bench",
      SHOPIFY_REQUEST_AUTH: "proxy",
      PROXY_SHARED_SECRET: PROXY_SECRET,
      PII_ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 7).toString("base64")}`,
      PII_LOOKUP_KEY: Buffer.alloc(32, 9).toString("base64"),
      // A provider sets its own limits; these measure the app, not the limiter.
      RATE_LIMIT_SESSIONS_BURST: "1000000",
      RATE_LIMIT_SESSIONS_PER_SECOND: "100000",
    },
    START_NODE_ARGS,
  );
}

/** Peak resident memory of a process so far (Linux: VmHWM). */
function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : NaN;
}

async function measure(label: string, target: () => Promise<{ url: string; stop: () => Promise<void> | void; pid?: number }>): Promise<Figures & { rssMb: number | null }> {
  const runs: Figures[] = [];
  let rssMb: number | null = null;
  for (let run = 0; run < RUNS; run++) {
    const server = await target();
    try {
      await load(server.url).catch(() => undefined); // warm-up pass, discarded
      runs.push(await load(server.url));
      if (server.pid) rssMb = Math.max(rssMb ?? 0, peakRssMb(server.pid));
    } finally {
      await server.stop();
    }
    process.stdout.write(`  ${label}: run ${run + 1}/${RUNS} ${runs.at(-1)?.rps.toFixed(0)} req/s\n`);
  }
  return { rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), errors: runs.reduce((sum, r) => sum + r.errors, 0), rssMb };
}

/**
 * A migrated SQLite file with `rows` payments already stored and the bench shops
 * installed: seeded once per size, copied afresh for each run (a run adds rows).
 */
function sqliteDatabase(rows: number): string {
  const template = path.join(DIR, `template-${rows}.sqlite`);
  if (!existsSync(template)) seedPayments(template, { rows, shops: SHOPS, extras: false });
  const file = path.join(DIR, "app-run.sqlite");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
  copyFileSync(template, file);
  return `file:${file}`;
}

/** A migrated PostgreSQL database with `rows` payments already stored and the bench shops installed. */
async function postgresDatabase(adminUrl: string, rows = 10_000): Promise<{ url: string; drop: () => Promise<void> }> {
  const created = await createBenchPostgresDatabase(adminUrl, "bench_inbound");
  await seedPaymentsPostgres(created.url, { rows, shops: SHOPS, extras: false });
  return created;
}

const row = (label: string, f: Figures & { rssMb?: number | null }) =>
  `  ${label.padEnd(36)}${f.rps.toFixed(0).padStart(8)}${f.p50.toFixed(1).padStart(9)}${f.p99.toFixed(1).padStart(9)}${(f.rssMb ? f.rssMb.toFixed(0) : "—").padStart(9)}${String(f.errors).padStart(8)}`;

async function main() {
  console.log(`Inbound benchmark: POST /sessions/payment, unique ids, ${CONNECTIONS} connections, ${DURATION} s per run, median of ${RUNS} runs`);
  console.log(`  machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load generator in this process\n`);
  const build = spawnSync("npm", ["run", "--silent", "build"], { stdio: ["ignore", "ignore", "inherit"] });
  if (build.status !== 0) throw new Error("npm run build failed");
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const lines: string[] = [];
  const databases = values.database === "both" ? ["sqlite", "postgresql"] : [values.database];

  for (const database of databases) {
    if (database === "sqlite") {
      const baseline = await measure("SQLite baseline", async () => {
        rmSync(path.join(DIR, "baseline.sqlite"), { force: true });
        return startBaseline(`file:${path.join(DIR, "baseline.sqlite")}`);
      });
      const app = await measure("SQLite app (10k stored)", async () => startBenchApp(sqliteDatabase(10_000)));
      lines.push(row("baseline: node:http + better-sqlite3", baseline), row("app on SQLite (10k stored)", app), `  ratio app/baseline: ${(app.rps / baseline.rps).toFixed(2)} (goal ≥ 0.40); app p99 ${app.p99.toFixed(1)} ms (goal ≤ 25); peak RSS ${app.rssMb?.toFixed(0)} MB (goal ≤ 250)`);
      if (!values["no-growth"]) {
        const growth: [number, Figures][] = [[10_000, app]];
        for (const rows of [100_000, 1_000_000]) growth.push([rows, await measure(`SQLite app (${rows.toLocaleString("en")} stored)`, async () => startBenchApp(sqliteDatabase(rows)))]);
        for (const [rows, figures] of growth.slice(1)) lines.push(row(`app on SQLite (${rows.toLocaleString("en")} stored)`, figures));
        const worst = Math.max(...growth.map(([, f]) => f.p99));
        lines.push(`  growth: p99 at 1M stored / p99 at 10k = ${(worst / app.p99).toFixed(2)} (goal ≤ 1.5)`);
      }
    } else {
      const baselineDb = await postgresDatabase(values["postgres-url"]);
      const baseline = await measure("PostgreSQL baseline", () => startBaseline(baselineDb.url));
      await baselineDb.drop();
      let current: Awaited<ReturnType<typeof postgresDatabase>> | null = null;
      const app = await measure("PostgreSQL app (10k stored)", async () => {
        await current?.drop();
        current = await postgresDatabase(values["postgres-url"]);
        const started = await startBenchApp(current.url);
        return started;
      });
      await (current as Awaited<ReturnType<typeof postgresDatabase>> | null)?.drop();
      lines.push(row("baseline: node:http + pg pool", baseline), row("app on PostgreSQL (10k stored)", app), `  ratio app/baseline (PostgreSQL): ${(app.rps / baseline.rps).toFixed(2)}`);
    }
  }
  console.log(`\n  ${"".padEnd(36)}${"req/s".padStart(8)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${"RSS MB".padStart(9)}${"non-2xx".padStart(8)}`);
  for (const line of lines) console.log(line);
}

await main();
