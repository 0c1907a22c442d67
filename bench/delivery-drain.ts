// Benchmark (not a test): queue OUTCOMES resolved payments with their deliveries,
// drain them with the app's worker against the local Payments Apps API (its own
// process, rate limit off), and print deliveries per second. Repeats RUNS times
// and reports the median. The npm script sets NODE_ENV=production, so the worker
// logs as it does in production (asynchronous writes). Usage: npm run bench:delivery [-- --outcomes 10000 --runs 3 --shops 100]
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import type { PrismaClient } from "@prisma/client";
import { createWorker } from "../app/background/worker.server";
import { createPrismaClient } from "../app/db/prisma-client";
import { BENCH_POSTGRES_URL, createBenchPostgresDatabase } from "./support/postgres";
import { createChannelLoader } from "../app/delivery/shopify-channel.server";
import { createProviderRegistry } from "../app/providers/provider-registry.server";
import { createSandboxProvider } from "../app/providers/sandbox-provider.server";

const { values } = parseArgs({
  options: {
    outcomes: { type: "string", default: "10000" },
    runs: { type: "string", default: "3" },
    shops: { type: "string", default: "100" },
    concurrency: { type: "string", default: "32" },
    batch: { type: "string", default: "500" },
    // "fast": a canned endpoint (measures the app); "sandbox": the validating local API.
    endpoint: { type: "string", default: "fast" },
    database: { type: "string", default: "sqlite" },
  },
});
const OUTCOMES = Number(values.outcomes);
const SHOPS = Number(values.shops);

const shops = Array.from({ length: SHOPS }, (_, i) => `bench-${i}.myshopify.com`);
const tokenOf = (shop: string) => `shpat_bench_${shop}`;

async function startEndpoint(): Promise<{ url: string; stop: () => void }> {
  const args =
    values.endpoint === "sandbox"
      ? ["sandbox/payments-apps/main.ts", "--unlimited", ...shops.flatMap((shop) => ["--shop", `${shop}=${tokenOf(shop)}`])]
      : ["bench/fast-payments-endpoint.ts"];
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once("exit", (code) => reject(new Error(`endpoint exited with ${code}`)));
  });
  return { url, stop: () => child.kill("SIGTERM") };
}

async function seed(db: PrismaClient, outcomes: number): Promise<void> {
  await db.shop.createMany({ data: shops.map((domain) => ({ domain })) });
  await db.session.createMany({ data: shops.map((shop) => ({ id: `offline_${shop}`, shop, state: "bench", accessToken: tokenOf(shop) })) });
  const now = new Date();
  for (let start = 0; start < outcomes; start += 1000) {
    const payments = Array.from({ length: Math.min(1000, outcomes - start) }, (_, i) => {
      const n = start + i;
      const shopifyId = `bench${n}${randomBytes(4).toString("hex")}`;
      return {
        id: `p${shopifyId}`,
        shop: shops[n % SHOPS] ?? "",
        shopifyId,
        gid: `gid://shopify/PaymentSession/${shopifyId}`,
        group: shopifyId,
        amountMinor: 1999n,
        amount: "19.99",
        currency: "USD",
        test: true,
        merchantLocale: "en",
        kind: "SALE" as const,
        paymentMethodType: "offsite",
        cancelUrl: "https://example.myshopify.com/cancel",
        proposedAt: now,
        shopifyApiVersion: "2026-04",
        shopifyRequestId: shopifyId,
        requestHash: shopifyId,
        status: "RESOLVED" as const,
        resolvedAt: now,
      };
    });
    await db.paymentSession.createMany({ data: payments });
    await db.delivery.createMany({
      data: payments.map((p) => ({ shop: p.shop, operation: "PAYMENT_RESOLVE" as const, sessionGid: p.gid, paymentSessionId: p.id, nextAttemptAt: now })),
    });
  }
}

async function run(endpointUrl: string, outcomes = OUTCOMES): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), "payments-bench-"));
  const postgres = values.database === "postgresql" ? await createBenchPostgresDatabase(BENCH_POSTGRES_URL, "bench_drain") : null;
  const url = postgres?.url ?? `file:${path.join(dir, "bench.sqlite")}`;
  if (!postgres) spawnSync("npx", ["prisma", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL: url }, stdio: "ignore" });
  const db = createPrismaClient(url, { transactionOptions: { maxWait: 15_000, timeout: 30_000 } });
  try {
    await seed(db, outcomes);
    const sandbox = createSandboxProvider(db, { pendingSeconds: 1, hangMs: 1, challengeUrl: () => "challenge" });
    const worker = createWorker(db, createChannelLoader(db, { origin: endpointUrl, defaultApiVersion: "2026-04", timeoutMs: 10_000 }), createProviderRegistry(sandbox, sandbox), {
      pollMs: 10,
      batchSize: Number(values.batch),
      concurrency: Number(values.concurrency),
      leaseMs: 60_000,
      retry: { delaysSeconds: [0, 1, 1, 1], jitter: 0 },
      processing: { providerTimeoutMs: 1000, authorizationValidityMs: 1, pendingExpiryMs: 1, pendingSafetyMarginMs: 0, recheckMs: 1000 },
    });
    const started = performance.now();
    while ((await worker.tick()) > 0) {
      // drain until a pass finds nothing due
    }
    const seconds = (performance.now() - started) / 1000;
    const succeeded = await db.delivery.count({ where: { status: "SUCCEEDED" } });
    if (succeeded !== outcomes) throw new Error(`only ${succeeded} of ${outcomes} deliveries succeeded`);
    return outcomes / seconds;
  } finally {
    await db.$disconnect();
    await postgres?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const endpoint = await startEndpoint();
try {
  console.log(`delivery drain: ${OUTCOMES} outcomes over ${SHOPS} shops, ${values.database === "postgresql" ? "PostgreSQL" : "SQLite"}, ${values.endpoint} endpoint, worker concurrency ${values.concurrency}, batch ${values.batch}; ${cpus().length} cores, Node ${process.version}`);
  // Warm-up, not counted: JIT and Prisma's WebAssembly query compiler get hot.
  await run(endpoint.url, 2000);
  const rates: number[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    const rate = await run(endpoint.url);
    rates.push(rate);
    console.log(`  run ${i + 1}: ${rate.toFixed(0)} deliveries/s`);
  }
  const sorted = [...rates].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  console.log(`median: ${median.toFixed(0)} deliveries/s (target ≥ 500/s): ${median >= 500 ? "met" : "MISSED"}`);
} finally {
  endpoint.stop();
}
