import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { getDb } from "./db.server";
import { releaseShopDeliveries } from "./delivery/send-delivery.server";
import { getEnv } from "./env.server";
import { recordInstall } from "./privacy/shop-data.server";
import { sendShopAdminCallsTo } from "./shopify/sandbox-routing.server";
import { refreshShopName } from "./shopify/shop-name.server";

/** The Admin API version this app is built and tested against (shopify.app.toml says the same). */
export const ADMIN_API_VERSION = ApiVersion.April26;

function createShopifyApp() {
  const env = getEnv();
  const app = shopifyApp({
    apiKey: env.SHOPIFY_API_KEY,
    apiSecretKey: env.SHOPIFY_API_SECRET,
    appUrl: env.SHOPIFY_APP_URL,
    scopes: env.SCOPES.split(",").map((scope) => scope.trim()).filter(Boolean),
    apiVersion: ADMIN_API_VERSION,
    authPathPrefix: "/auth",
    sessionStorage: new PrismaSessionStorage(getDb()),
    distribution: AppDistribution.AppStore,
    future: { unstable_newEmbeddedAuthStrategy: true },
    // The embedded admin works on an online token per staff member, so that every
    // action and reveal is recorded with Shopify's associated user (id, name,
    // email). The library still exchanges and stores the shop's offline token
    // first, which the worker's deliveries use (offlineSessionId).
    useOnlineTokens: true,
    hooks: {
      // Runs after each token exchange (with online tokens: a staff member's first
      // visit and each renewal too). Each proves the app installed at that moment,
      // so an uninstall triggered earlier is stale either way.
      // A (re)install brings a fresh token: a new installation begins (webhooks
      // triggered before it are stale, decision 0009), the shop's data is no longer
      // due for deletion, and outcomes held because it was uninstalled or Shopify
      // refused the old token go out now.
      afterAuth: async ({ session, admin }) => {
        await recordInstall(getDb(), session.shop);
        await releaseShopDeliveries(getDb(), session.shop);
        // The name buyers see on the payment page, read again at each token exchange
        // (a staff member's first visit and each daily renewal keep it current).
        await refreshShopName(getDb(), session.shop, admin);
      },
    },
  });
  // After shopifyApp(), which installs the library's own fetch.
  if (env.SHOPIFY_SANDBOX_ORIGIN) sendShopAdminCallsTo(env.SHOPIFY_SANDBOX_ORIGIN);
  return app;
}

let app: ReturnType<typeof createShopifyApp> | undefined;

/** The app's one Shopify object, built on first use from the validated environment. */
export function getShopify() {
  app ??= createShopifyApp();
  return app;
}
