import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { logger } from "../logger.server";
import type { DatabaseStats } from "./database-stats.server";
import { describeError } from "./describe-error";

/**
 * This process's metrics. Every instance exposes its own on /metrics: counters
 * and histograms are what this process did (sum them across instances); the
 * database gauges are the shared database's state (the same on every instance:
 * aggregate them with max, not sum).
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const registers = [metricsRegistry];

const httpRequests = new Counter({
  name: "payments_app_http_requests_total",
  help: "HTTP requests served, by route (a fixed set, never raw paths), method and status",
  labelNames: ["route", "method", "status"] as const,
  registers,
});

const httpDuration = new Histogram({
  name: "payments_app_http_request_duration_seconds",
  help: "Time from receiving a request to finishing its response",
  labelNames: ["route", "method", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

export function observeHttpRequest(labels: { route: string; method: string; status: number | "aborted" }, seconds: number): void {
  const values = { route: labels.route, method: labels.method, status: String(labels.status) };
  httpRequests.inc(values);
  httpDuration.observe(values, seconds);
}

const deliveryAttempts = new Counter({
  name: "payments_app_delivery_attempts_total",
  help: "Attempts to report an outcome to Shopify, by attempt outcome and the delivery's status after it",
  labelNames: ["outcome", "status"] as const,
  registers,
});

/** Called once the attempts are written (settleAttempts' transaction committed). */
export function countDeliveryAttempts(attempts: readonly { outcome: string; status: string }[]): void {
  for (const attempt of attempts) deliveryAttempts.inc({ outcome: attempt.outcome, status: attempt.status });
}

const providerCalls = new Histogram({
  name: "payments_app_provider_call_duration_seconds",
  help: "Calls to payment providers, by operation and result (timeout and error included)",
  labelNames: ["operation", "result"] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
  registers,
});

export function observeProviderCall(labels: { operation: string; result: string }, seconds: number): void {
  providerCalls.observe(labels, seconds);
}

// The database gauges are read at scrape time through one cached loader, set by
// the server once it has a database (tests and scripts that never serve /metrics
// never query for it).
let loadStats: (() => Promise<DatabaseStats>) | null = null;

export function useDatabaseStats(load: () => Promise<DatabaseStats>): void {
  loadStats = load;
}

/** The stats for this scrape, or null when they could not be read (then database_stats_up is 0). */
let currentScrape: Promise<DatabaseStats | null> | null = null;
function statsForScrape(): Promise<DatabaseStats | null> {
  if (!loadStats) return Promise.resolve(null);
  currentScrape ??= loadStats()
    .catch((error: unknown) => {
      logger.warn({ err: describeError(error) }, "metrics: could not read the database stats");
      return null;
    })
    .finally(() => {
      currentScrape = null;
    });
  return currentScrape;
}

new Gauge({
  name: "payments_app_database_stats_up",
  help: "1 when this scrape's database gauges were read, 0 when the database did not answer",
  registers,
  async collect() {
    this.set((await statsForScrape()) ? 1 : 0);
  },
});

new Gauge({
  name: "payments_app_sessions",
  help: "Session requests stored, by kind (payment, refund, capture, void) and status; the shared database's state",
  labelNames: ["kind", "status"] as const,
  registers,
  async collect() {
    const stats = await statsForScrape();
    this.reset();
    for (const row of stats?.sessions ?? []) this.set({ kind: row.kind, status: row.status }, row.count);
  },
});

new Gauge({
  name: "payments_app_deliveries",
  help: "Outcome deliveries to Shopify, by status; the shared database's state",
  labelNames: ["status"] as const,
  registers,
  async collect() {
    const stats = await statsForScrape();
    this.reset();
    for (const row of stats?.deliveries ?? []) this.set({ status: row.status }, row.count);
  },
});

new Gauge({
  name: "payments_app_delivery_queue_depth",
  help: "Deliveries waiting to be sent (PENDING: due, retrying, or held for a reinstall)",
  registers,
  async collect() {
    const stats = await statsForScrape();
    this.reset();
    if (stats) this.set(stats.deliveries.find((row) => row.status === "PENDING")?.count ?? 0);
  },
});

new Gauge({
  name: "payments_app_delivery_oldest_pending_age_seconds",
  help: "Age of the oldest PENDING delivery (0 when none): how far behind Shopify is",
  registers,
  async collect() {
    const stats = await statsForScrape();
    this.reset();
    if (stats) this.set(stats.oldestPendingDeliveryAgeSeconds);
  },
});
