import type { LoaderFunctionArgs } from "@remix-run/node";
import { getEnv } from "../env.server";
import { serveMetrics } from "../observability/metrics-endpoint.server";

// Prometheus scrapes this process's metrics; METRICS_TOKEN guards them.
export async function loader({ request }: LoaderFunctionArgs) {
  const env = getEnv();
  return serveMetrics(request, { token: env.METRICS_TOKEN, cacheSeconds: env.METRICS_CACHE_SECONDS });
}
