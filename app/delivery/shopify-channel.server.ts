import type { Db } from "../db.server";
import { offlineSessionId } from "../shopify/offline-session";
import { createPaymentsAppsClient } from "../shopify/payments-apps/client.server";
import type { ChannelFor, ShopChannel } from "./send-delivery.server";

export interface ChannelConfig {
  /** PAYMENTS_APPS_API_ORIGIN: a local stand-in for https://{shop}. */
  origin?: string;
  defaultApiVersion: string;
  timeoutMs: number;
}

/**
 * How the worker reaches Shopify for the shops of a batch: each with its own
 * offline token (never another shop's) and its Payments Apps API version, read
 * with one query per table for the whole batch. A shop without an offline
 * session (uninstalled) maps to null: its deliveries wait.
 */
export type ChannelLoader = (shops: readonly string[]) => Promise<ChannelFor>;

export function createChannelLoader(db: Db, config: ChannelConfig): ChannelLoader {
  return async (shops) => {
    const unique = [...new Set(shops)];
    const [sessions, shopRows] = await Promise.all([
      db.session.findMany({ where: { id: { in: unique.map(offlineSessionId) } }, select: { shop: true, accessToken: true } }),
      db.shop.findMany({ where: { domain: { in: unique } }, select: { domain: true, paymentsApiVersion: true } }),
    ]);
    const tokens = new Map(sessions.map((session) => [session.shop, session.accessToken]));
    const versions = new Map(shopRows.map((row) => [row.domain, row.paymentsApiVersion]));
    const channels = new Map<string, ShopChannel | null>();
    for (const shop of unique) {
      const accessToken = tokens.get(shop);
      if (!accessToken) {
        channels.set(shop, null);
        continue;
      }
      const apiVersion = versions.get(shop) ?? config.defaultApiVersion;
      const client = createPaymentsAppsClient({ shop, accessToken, apiVersion, origin: config.origin, timeoutMs: config.timeoutMs });
      channels.set(shop, { apiVersion, client });
    }
    return (shop) => Promise.resolve(channels.get(shop) ?? null);
  };
}
