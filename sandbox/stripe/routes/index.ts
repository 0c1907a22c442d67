import { accountRoutes } from "./account";
import { chargeRoutes } from "./charges";
import { checkoutSessionRoutes } from "./checkout-sessions";
import { eventRoutes } from "./events";
import { paymentIntentRoutes } from "./payment-intents";
import { refundRoutes } from "./refunds";
import type { Route } from "./route";
import { webhookEndpointRoutes } from "./webhook-endpoints";

export const API_ROUTES: readonly Route[] = [...accountRoutes, ...checkoutSessionRoutes, ...paymentIntentRoutes, ...chargeRoutes, ...refundRoutes, ...eventRoutes, ...webhookEndpointRoutes];

export function matchRoute(method: string, path: string): { route: Route; params: Record<string, string> } | null {
  for (const route of API_ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    try {
      return { route, params: Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)])) };
    } catch {
      return null; // a malformed %-escape names no object
    }
  }
  return null;
}
