// What the inbound benchmarks share: the request Shopify sends (unique ids, shops spread
// over the installed ones), the app started as `npm start` starts it, and its databases.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, rmSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { startApp, type AppProcess } from "../../test/support/app-process";
import { createBenchPostgresDatabase, seedPaymentsPostgres } from "./postgres";
import { seededTemplateName, seedPayments, shopOf } from "./seed-payments";

export const SHOPS = 100;
export const BENCH_DIR = path.resolve(".cache", "bench-inbound");
const PROXY_SECRET = "bench-proxy-secret-0123456789abcdef";

export { paymentBody } from "./payment-body";

/** The headers of the n-th request: its shop, a fresh request id, and the TLS proxy's word. */
export function paymentHeaders(n: number): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "Shopify-Shop-Domain": shopOf(n, SHOPS),
    "Shopify-Request-Id": randomBytes(16).toString("hex"),
    "Shopify-Api-Version": "2026-04",
    "X-Payments-Proxy-Secret": PROXY_SECRET,
    "X-Client-Cert-Verified": "SUCCESS",
  };
}

/** Node's flags of `npm start` (package.json) and the container (scripts/docker-entrypoint.sh). */
export const START_NODE_ARGS = ["--max-semi-space-size=8", "--max-old-space-size=512"];

/** The built app in production mode behind a TLS proxy (plain HTTP here), rate limits out of the way. */
export function startBenchApp(databaseUrl: string, nodeArgs: string[] = []): Promise<AppProcess> {
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
    [...START_NODE_ARGS, ...nodeArgs],
  );
}

/** The bare baseline (baseline-server.ts) on `target` (a `file:` path or a PostgreSQL URL), in its own process. */
export async function startBaseline(target: string): Promise<{ url: string; pid?: number; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/support/baseline-server.ts", target], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once("exit", (code) => reject(new Error(`baseline exited with ${code}`)));
  });
  return { url, pid: child.pid, stop: () => child.kill("SIGTERM") };
}

/**
 * A migrated SQLite file with `rows` payments already stored and the bench shops
 * installed: seeded once per size, copied afresh for each run (a run adds rows).
 */
export function sqliteDatabase(rows: number): string {
  const template = path.join(BENCH_DIR, seededTemplateName(rows));
  if (!existsSync(template)) seedPayments(template, { rows, shops: SHOPS, extras: false });
  const file = path.join(BENCH_DIR, "app-run.sqlite");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
  copyFileSync(template, file);
  return `file:${file}`;
}

/** A migrated PostgreSQL database with `rows` payments already stored and the bench shops installed. */
export async function postgresDatabase(adminUrl: string, rows = 10_000): Promise<{ url: string; drop: () => Promise<void> }> {
  const created = await createBenchPostgresDatabase(adminUrl, "bench_inbound");
  await seedPaymentsPostgres(created.url, { rows, shops: SHOPS, extras: false });
  return created;
}
