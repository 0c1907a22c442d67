/**
 * A bounded label for a request path: metrics must never carry raw paths, which
 * hold buyer-link tokens and payment ids and would create a series per payment.
 */
export type RouteLabel =
  | "sessions/payment"
  | "sessions/refund"
  | "sessions/capture"
  | "sessions/void"
  | "sessions/other"
  | "pay"
  | "app"
  | "auth"
  | "webhooks"
  | "healthz"
  | "readyz"
  | "metrics"
  | "static"
  | "index"
  | "other";

const SESSION_KINDS = new Set(["payment", "refund", "capture", "void"]);
const EXACT: Record<string, RouteLabel> = { "/": "index", "/_root.data": "index", "/webhooks": "webhooks", "/healthz": "healthz", "/readyz": "readyz", "/metrics": "metrics" };

export function routeLabel(pathname: string): RouteLabel {
  const exact = EXACT[pathname];
  if (exact) return exact;
  if (pathname.startsWith("/sessions/")) {
    const kind = pathname.slice("/sessions/".length).replace(/\/$/, "");
    return SESSION_KINDS.has(kind) ? (`sessions/${kind}` as RouteLabel) : "sessions/other";
  }
  if (pathname.startsWith("/pay/")) return "pay";
  // /app, /app/…, and single fetch's /app.data, /app/payments/….data
  if (pathname === "/app" || pathname.startsWith("/app/") || pathname.startsWith("/app.")) return "app";
  if (pathname === "/auth" || pathname.startsWith("/auth/")) return "auth";
  if (pathname.startsWith("/build/")) return "static";
  return "other";
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** The method, or OTHER: a client may send any token there. */
export function methodLabel(method: string | undefined): string {
  return method && METHODS.has(method) ? method : "OTHER";
}
