import { getDb } from "../db.server";
import { logger } from "../logger.server";
import { describeError } from "../observability/describe-error";

// Liveness for load balancers: 200 when the database answers, 503 when it does not.
export async function loader() {
  try {
    await getDb().$queryRawUnsafe("SELECT 1");
    return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    logger.error({ err: describeError(error) }, "health check: database unreachable");
    return Response.json({ status: "unavailable", database: "unreachable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
