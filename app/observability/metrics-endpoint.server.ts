import { createHash, timingSafeEqual } from "node:crypto";
import { getDb } from "../db.server";
import { cachedStats, readDatabaseStats } from "./database-stats.server";
import { metricsRegistry, useDatabaseStats } from "./metrics.server";

const sha256 = (value: string) => createHash("sha256").update(value).digest();

/** Compared as digests: equal lengths for timingSafeEqual, and no early exit on the first wrong byte. */
function carriesToken(request: Request, token: string): boolean {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] !== undefined && timingSafeEqual(sha256(match[1]), sha256(token));
}

let statsConfigured = false;

/**
 * GET /metrics in Prometheus' text format. The numbers reveal a merchant base's
 * volumes, so they are served only when METRICS_TOKEN is set (404 otherwise, as
 * if there were no such page) and only to a request bearing it (401).
 */
export async function serveMetrics(request: Request, options: { token: string | undefined; cacheSeconds: number }): Promise<Response> {
  if (!options.token) return new Response("Not Found", { status: 404, headers: { "Content-Type": "text/plain" } });
  if (!carriesToken(request, options.token)) {
    return new Response("Unauthorized", { status: 401, headers: { "Content-Type": "text/plain", "WWW-Authenticate": 'Bearer realm="metrics"', "Cache-Control": "no-store" } });
  }
  if (!statsConfigured) {
    useDatabaseStats(cachedStats(() => readDatabaseStats(getDb()), options.cacheSeconds * 1000));
    statsConfigured = true;
  }
  return new Response(await metricsRegistry.metrics(), {
    headers: { "Content-Type": metricsRegistry.contentType, "Cache-Control": "no-store" },
  });
}
