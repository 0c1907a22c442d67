// Benchmark (not a test): POST /sessions/payment with unique ids at 50
// connections (autocannon), against the built app in production mode (behind a
// TLS proxy: SHOPIFY_REQUEST_AUTH=proxy, so plain HTTP here) and, in the same
// run, against a bare baseline (node:http + one INSERT of the same body). Prints
// req/s, p50 and p99 of each (median of RUNS runs), the ratio app/baseline, the
// app's peak RSS, and the growth of the app's p99 with 10k, 100k and 1M payment
// sessions already stored (SQLite).
// With --cpu-per-request, instead: the CPU time (user + system, every thread of the
// server's process, from /proc/PID/stat) per request of the app and of the baseline,
// over --requests requests sent at a moderate fixed rate (--rate per second, 10
// connections), and on PostgreSQL the local database server's CPU over the same span.
// Unlike throughput, this figure holds on a machine shared with other work.
// Usage: npm run bench:inbound [-- --database sqlite|postgresql|both --duration 10 --runs 3 --no-growth --customer billing|spec]
//        npm run bench:inbound [-- --cpu-per-request --requests 20000 --rate 500 --profile DIR]
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { BENCH_POSTGRES_URL } from "./support/postgres";
import type { BenchCustomer } from "./support/payment-body";
import { BENCH_DIR as DIR, paymentBody, paymentHeaders, postgresDatabase, sqliteDatabase, startBaseline, startBenchApp } from "./support/inbound-app";

const { values } = parseArgs({
  options: {
    database: { type: "string", default: "sqlite" },
    duration: { type: "string", default: "10" },
    runs: { type: "string", default: "3" },
    connections: { type: "string", default: "50" },
    "no-growth": { type: "boolean", default: false },
    // The request's customer: "billing" (one address of six fields) or "spec" (the spec's example: two full addresses).
    customer: { type: "string", default: "billing" },
    "postgres-url": { type: "string", default: BENCH_POSTGRES_URL },
    "cpu-per-request": { type: "boolean", default: false },
    requests: { type: "string", default: "20000" },
    rate: { type: "string", default: "500" },
    // A directory for the app's CPU profile (node --cpu-prof), in the --cpu-per-request mode.
    profile: { type: "string" },
  },
});
const DURATION = Number(values.duration);
const RUNS = Number(values.runs);
const CONNECTIONS = Number(values.connections);
if (values.customer !== "billing" && values.customer !== "spec") throw new Error(`--customer: "billing" or "spec", not "${values.customer}"`);
const CUSTOMER: BenchCustomer = values.customer;

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] ?? NaN;

/** One autocannon run of DURATION seconds: unique ids, shops spread over the installed ones. */
async function load(url: string, limits: Partial<autocannon.Options> = {}): Promise<Figures> {
  let n = 0;
  const result = await autocannon({
    url: `${url}/sessions/payment`,
    connections: CONNECTIONS,
    duration: DURATION,
    ...limits,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => ({ ...request, headers: paymentHeaders(n++), body: paymentBody(CUSTOMER) }),
      },
    ],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors + result.timeouts };
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

/** A process's command name and CPU seconds so far (user + system, all threads) from its /proc/PID/stat: fields 2, 14 and 15. */
function parseStat(stat: string): { command: string; cpuSeconds: number } {
  // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { command: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND };
}

/** CPU seconds (user + system, all threads) a process has used so far. */
function cpuSecondsOf(pid: number): number {
  return parseStat(readFileSync(`/proc/${pid}/stat`, "utf8")).cpuSeconds;
}
const CLOCK_TICKS_PER_SECOND = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/**
 * CPU seconds used so far by every PostgreSQL server process of this machine (its
 * backends and background processes, by their command name): the database's share
 * of a request, which runs on the same two cores as the app when the server is local.
 * A process that ends within the span takes its time with it (the pools' connections
 * are opened in the warm-up and stay).
 */
function postgresServerCpuSeconds(): number {
  let seconds = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    const { command, cpuSeconds } = parseStat(stat);
    if (command === "postgres") seconds += cpuSeconds;
  }
  return seconds;
}

interface CpuFigures {
  usPerRequest: number;
  /** The local PostgreSQL server's CPU per request over the same span (PostgreSQL runs only). */
  databaseUsPerRequest: number | null;
  requests: number;
  errors: number;
  p50: number;
  p99: number;
}

/**
 * CPU per request of one server: a warm-up of a tenth of the requests (JIT, caches),
 * then REQUESTS requests at RATE per second over 10 connections, the process's CPU
 * time read before and after. Includes the server's idle work over the same span
 * (timers, the worker's polls, checkpoints), as a real deployment pays it.
 */
async function cpuPerRequest(label: string, server: { url: string; pid?: number; stop: () => Promise<void> | void }, postgres = false): Promise<CpuFigures> {
  const requests = Number(values.requests);
  const rate = Number(values.rate);
  const limits = (amount: number): Partial<autocannon.Options> => ({ connections: 10, amount, overallRate: rate, duration: 3600 }) // amount ends the run;
  try {
    if (!server.pid) throw new Error(`${label}: no process id`);
    await load(server.url, limits(Math.max(1, Math.floor(requests / 10))));
    const before = cpuSecondsOf(server.pid);
    const databaseBefore = postgres ? postgresServerCpuSeconds() : 0;
    const figures = await load(server.url, limits(requests));
    const used = cpuSecondsOf(server.pid) - before;
    const databaseUsed = postgres ? postgresServerCpuSeconds() - databaseBefore : null;
    const result = {
      usPerRequest: (used * 1e6) / requests,
      databaseUsPerRequest: databaseUsed === null ? null : (databaseUsed * 1e6) / requests,
      requests,
      errors: figures.errors,
      p50: figures.p50,
      p99: figures.p99,
    };
    const database = result.databaseUsPerRequest === null ? "" : `, and ${result.databaseUsPerRequest.toFixed(0)} µs of PostgreSQL's`;
    process.stdout.write(`  ${label}: ${result.usPerRequest.toFixed(0)} µs CPU per request${database}\n`);
    return result;
  } finally {
    await server.stop();
  }
}

const cpuRow = (label: string, f: CpuFigures) =>
  `  ${label.padEnd(36)}${f.usPerRequest.toFixed(0).padStart(10)}${(f.databaseUsPerRequest === null ? "—" : f.databaseUsPerRequest.toFixed(0)).padStart(14)}${f.p50.toFixed(1).padStart(9)}${f.p99.toFixed(1).padStart(9)}${String(f.errors).padStart(8)}`;

async function cpuMain(databases: string[]) {
  const profileArgs = values.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(values.profile)}`] : [];
  const lines: string[] = [];
  for (const database of databases) {
    if (database === "sqlite") {
      rmSync(path.join(DIR, "baseline.sqlite"), { force: true });
      const baseline = await cpuPerRequest("SQLite baseline", await startBaseline(`file:${path.join(DIR, "baseline.sqlite")}`));
      const app = await cpuPerRequest("SQLite app (10k stored)", await startBenchApp(sqliteDatabase(10_000), profileArgs));
      lines.push(cpuRow("baseline: node:http + better-sqlite3", baseline), cpuRow("app on SQLite (10k stored)", app), `  CPU ratio baseline/app (SQLite): ${(baseline.usPerRequest / app.usPerRequest).toFixed(2)}`);
    } else {
      const baselineDb = await postgresDatabase(values["postgres-url"]);
      const baseline = await cpuPerRequest("PostgreSQL baseline", await startBaseline(baselineDb.url), true);
      await baselineDb.drop();
      const appDb = await postgresDatabase(values["postgres-url"]);
      const app = await cpuPerRequest("PostgreSQL app (10k stored)", await startBenchApp(appDb.url, profileArgs), true).finally(() => appDb.drop());
      lines.push(cpuRow("baseline: node:http + pg pool", baseline), cpuRow("app on PostgreSQL (10k stored)", app), `  CPU ratio baseline/app (PostgreSQL): ${(baseline.usPerRequest / app.usPerRequest).toFixed(2)} for the server alone, ${((baseline.usPerRequest + (baseline.databaseUsPerRequest ?? 0)) / (app.usPerRequest + (app.databaseUsPerRequest ?? 0))).toFixed(2)} with PostgreSQL's`);
    }
  }
  console.log(`\n  ${"".padEnd(36)}${"µs CPU/req".padStart(10)}${"PostgreSQL's".padStart(14)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${"non-2xx".padStart(8)}`);
  for (const line of lines) console.log(line);
}

const row = (label: string, f: Figures & { rssMb?: number | null }) =>
  `  ${label.padEnd(36)}${f.rps.toFixed(0).padStart(8)}${f.p50.toFixed(1).padStart(9)}${f.p99.toFixed(1).padStart(9)}${(f.rssMb ? f.rssMb.toFixed(0) : "—").padStart(9)}${String(f.errors).padStart(8)}`;

async function main() {
  console.log(`Inbound benchmark: POST /sessions/payment, unique ids, customer "${CUSTOMER}", ${CONNECTIONS} connections, ${DURATION} s per run, median of ${RUNS} runs`);
  console.log(`  machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load generator in this process\n`);
  const build = spawnSync("npm", ["run", "--silent", "build"], { stdio: ["ignore", "ignore", "inherit"] });
  if (build.status !== 0) throw new Error("npm run build failed");
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const databases = values.database === "both" ? ["sqlite", "postgresql"] : [values.database];
  if (values["cpu-per-request"]) {
    console.log(`  CPU per request: ${values.requests} requests at ${values.rate}/s over 10 connections, after a warm-up of a tenth as many\n`);
    return cpuMain(databases);
  }
  const lines: string[] = [];

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
