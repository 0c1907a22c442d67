import type { DeliveryOperation } from "@prisma/client";
import type { Db } from "../db.server";
import { offlineSessionId } from "../shopify/offline-session";
import { createPaymentsAppsClient, type PaymentsAppsClient } from "../shopify/payments-apps/client.server";
import type { MutationOutcome } from "../shopify/payments-apps/outcome";
import type { DeliveryVariables } from "./delivery-variables.server";
import type { ChannelFor, ShopChannel } from "./send-delivery.server";

export interface ChannelConfig {
  /** PAYMENTS_APPS_API_ORIGIN: a local stand-in for https://{shop}. */
  origin?: string;
  defaultApiVersion: string;
  timeoutMs: number;
}

/**
 * How the worker reaches Shopify for a shop: with that shop's own offline token
 * (never another shop's) and its Payments Apps API version. Null when the shop
 * holds no offline session (uninstalled): its deliveries wait.
 */
export function createChannelFor(db: Db, config: ChannelConfig): ChannelFor {
  return async (shop: string): Promise<ShopChannel | null> => {
    const [session, shopRow] = await Promise.all([
      db.session.findUnique({ where: { id: offlineSessionId(shop) }, select: { accessToken: true } }),
      db.shop.findUnique({ where: { domain: shop }, select: { paymentsApiVersion: true } }),
    ]);
    if (!session?.accessToken) return null;
    const apiVersion = shopRow?.paymentsApiVersion ?? config.defaultApiVersion;
    const client = createPaymentsAppsClient({ shop, accessToken: session.accessToken, apiVersion, origin: config.origin, timeoutMs: config.timeoutMs });
    return { apiVersion, send: (operation, variables) => callOperation(client, operation, variables) };
  };
}

/** The mutation behind each delivery operation. The variables were built for it. */
function callOperation(client: PaymentsAppsClient, operation: DeliveryOperation, variables: DeliveryVariables): Promise<MutationOutcome<unknown>> {
  // The variables come from delivery-variables.server.ts, which shapes them per operation.
  const v = variables as never;
  switch (operation) {
    case "PAYMENT_RESOLVE":
      return client.paymentSessionResolve(v);
    case "PAYMENT_REJECT":
      return client.paymentSessionReject(v);
    case "PAYMENT_PENDING":
      return client.paymentSessionPending(v);
    case "REFUND_RESOLVE":
      return client.refundSessionResolve(v);
    case "REFUND_REJECT":
      return client.refundSessionReject(v);
    case "CAPTURE_RESOLVE":
      return client.captureSessionResolve(v);
    case "CAPTURE_REJECT":
      return client.captureSessionReject(v);
    case "VOID_RESOLVE":
      return client.voidSessionResolve(v);
    case "VOID_REJECT":
      return client.voidSessionReject(v);
  }
}
