import { getDb } from "../db.server";
import { logger } from "../logger.server";

// Liveness for load balancers: 200 when the database answers, 503 when it does not.
export async function loader() {
  try {
    await getDb().$queryRawUnsafe("SELECT 1");
    return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    logger.error({ err: { type: error instanceof Error ? error.name : typeof error } }, "health check: database unreachable");
    return Response.json({ status: "unavailable", database: "unreachable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
