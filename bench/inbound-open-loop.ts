// Benchmark (not a test): POST /sessions/payment sent OPEN-LOOP at fixed rates, as Shopify's
// checkouts arrive: request i leaves at t0 + i / rate whether or not earlier ones were answered,
// and its latency counts from that planned moment, so a server that stalls is charged for every
// request that waited behind the stall (no coordinated omission). autocannon's rate option
// instead starts a burst of requests each second on its connections and measures from when a
// connection was free, which hides queueing: its p99 under a rate is not a buyer's p99.
// Also one request at a time (closed loop, 1 connection): the idle path's p50/p99/max, for the
// app and for the bare baseline (bench/support/baseline-server.ts) on the same database, and
// first how often the machine itself takes the CPU from a busy thread (the floor under both).
// Prints p50, p99, p99.9 and max per rate, with the achieved rate and any errors.
// Usage: npm run bench:inbound-open-loop [-- --database sqlite|postgresql|both --seconds 20 --rates 100,300,600]
import { request as httpRequest, Agent } from "node:http";
import { mkdirSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { BENCH_POSTGRES_URL } from "./support/postgres";
import { BENCH_DIR, paymentBody, paymentHeaders, postgresDatabase, sqliteDatabase, startBaseline, startBenchApp } from "./support/inbound-app";
import { describeMachinePauses, measureMachinePauses } from "./support/machine-pauses";

const { values } = parseArgs({
  options: {
    database: { type: "string", default: "sqlite" },
    seconds: { type: "string", default: "20" },
    rates: { type: "string", default: "100,300,600" },
    "serial-requests": { type: "string", default: "3000" },
    "postgres-url": { type: "string", default: BENCH_POSTGRES_URL },
  },
});
const SECONDS = Number(values.seconds);
const RATES = values.rates.split(",").map(Number);
const SERIAL = Number(values["serial-requests"]);

interface Latencies {
  label: string;
  sent: number;
  seconds: number;
  errors: number;
  /** Statuses other than 2xx, by status (0: no answer). */
  failures: Map<number, number>;
  ms: number[];
}

function countFailure(failures: Map<number, number>, status: number): void {
  failures.set(status, (failures.get(status) ?? 0) + 1);
}

const agent = new Agent({ keepAlive: true, maxSockets: 512 });

/** One POST; resolves with the status when the whole answer has arrived (0 on a network error). */
function post(url: URL, n: number): Promise<number> {
  const body = paymentBody();
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: "POST", agent, headers: { ...paymentHeaders(n), "Content-Length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", () => resolve(0));
    });
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

/** Sends `rate` requests a second for `seconds`, each at its planned moment; latency from that moment. */
async function openLoop(url: URL, rate: number, seconds: number): Promise<Latencies> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const ms: number[] = [];
  const failures = new Map<number, number>();
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  const t0 = performance.now() + 50;
  let next = 0;
  while (next < total) {
    const now = performance.now();
    // Everything whose moment has come leaves now; a late tick sends the backlog at once,
    // and each request is still timed from its own planned moment.
    while (next < total && t0 + next * interval <= now) {
      const planned = t0 + next * interval;
      inFlight.push(
        post(url, next).then((status) => {
          if (status < 200 || status >= 300) {
            errors++;
            countFailure(failures, status);
          }
          ms.push(performance.now() - planned);
        }),
      );
      next++;
    }
    const wait = t0 + next * interval - performance.now();
    await new Promise((resolve) => (wait > 2 ? setTimeout(resolve, wait - 1) : setImmediate(resolve)));
  }
  await Promise.all(inFlight);
  return { label: `${rate} req/s open loop`, sent: total, seconds: (performance.now() - t0) / 1000, errors, failures, ms };
}

/** One request at a time on one connection: the path's own latency, nothing queued. */
async function oneAtATime(url: URL, requests: number): Promise<Latencies> {
  const ms: number[] = [];
  const failures = new Map<number, number>();
  let errors = 0;
  const start = performance.now();
  for (let n = 0; n < requests; n++) {
    const t = performance.now();
    const status = await post(url, n);
    if (status < 200 || status >= 300) {
      errors++;
      countFailure(failures, status);
    }
    ms.push(performance.now() - t);
  }
  return { label: "one at a time", sent: requests, seconds: (performance.now() - start) / 1000, errors, failures, ms };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

function line({ label, sent, seconds, errors, failures, ms }: Latencies): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const cells = [quantile(sorted, 0.5), quantile(sorted, 0.99), quantile(sorted, 0.999), sorted.at(-1) ?? NaN].map((v) => v.toFixed(1).padStart(9));
  const which = [...failures].map(([status, count]) => `${count} × ${status === 0 ? "no answer" : status}`).join(", ");
  return `  ${label.padEnd(36)}${(sent / seconds).toFixed(0).padStart(9)}${cells.join("")}${String(errors).padStart(8)}${which ? `  (${which})` : ""}`;
}

/** The bare baseline one at a time: what this machine and database give a request that does almost nothing. */
async function measureBaseline(databaseLabel: string, target: string): Promise<string> {
  const baseline = await startBaseline(target);
  try {
    const url = new URL("/sessions/payment", baseline.url);
    await openLoop(url, 200, 3); // warm-up, discarded
    return line({ ...(await oneAtATime(url, SERIAL)), label: `${databaseLabel} baseline: one at a time` });
  } finally {
    baseline.stop();
  }
}

async function measureApp(databaseLabel: string, databaseUrl: string): Promise<string[]> {
  const app = await startBenchApp(databaseUrl);
  try {
    const url = new URL("/sessions/payment", app.url);
    await openLoop(url, 200, 3); // warm-up, discarded
    const lines = [line({ ...(await oneAtATime(url, SERIAL)), label: `${databaseLabel}: one at a time` })];
    for (const rate of RATES) lines.push(line({ ...(await openLoop(url, rate, SECONDS)), label: `${databaseLabel}: ${rate}/s` }));
    return lines;
  } finally {
    await app.stop();
  }
}

async function main() {
  console.log(`Inbound, open loop: POST /sessions/payment at fixed rates for ${SECONDS} s each (latency from each request's planned moment), and ${SERIAL} requests one at a time`);
  const build = spawnSync("npm", ["run", "--silent", "build"], { stdio: ["ignore", "ignore", "inherit"] });
  if (build.status !== 0) throw new Error("npm run build failed");
  rmSync(BENCH_DIR, { recursive: true, force: true });
  mkdirSync(BENCH_DIR, { recursive: true });
  const pauses = describeMachinePauses(measureMachinePauses());
  const lines: string[] = [];
  const databases = values.database === "both" ? ["sqlite", "postgresql"] : [values.database];
  for (const database of databases) {
    if (database === "sqlite") {
      lines.push(await measureBaseline("SQLite", `file:${path.join(BENCH_DIR, "baseline.sqlite")}`));
      lines.push(...(await measureApp("SQLite", sqliteDatabase(10_000))));
    } else {
      const baselineDb = await postgresDatabase(values["postgres-url"]);
      try {
        lines.push(await measureBaseline("PostgreSQL", baselineDb.url));
      } finally {
        await baselineDb.drop();
      }
      const db = await postgresDatabase(values["postgres-url"]);
      try {
        lines.push(...(await measureApp("PostgreSQL", db.url)));
      } finally {
        await db.drop();
      }
    }
  }
  console.log(`\n  The machine, before the runs: ${pauses}`);
  console.log(`\n  ${"".padEnd(36)}${"req/s".padStart(9)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${"p99.9".padStart(9)}${"max ms".padStart(9)}${"errors".padStart(8)}`);
  for (const l of lines) console.log(l);
  agent.destroy();
}

await main();
