import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { checkReadiness, migrationsDirFor } from "../observability/readiness.server";

// Readiness for load balancers and orchestrators: route traffic here only when
// the database answers and every migration of this release is applied.
export async function loader() {
  const env = getEnv();
  const readiness = await checkReadiness(getDb(), env.MIGRATIONS_DIR ?? migrationsDirFor(env.DATABASE_URL));
  return Response.json(readiness.body, { status: readiness.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
