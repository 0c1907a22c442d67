import { getDb } from "../../db.server";
import { getEnv } from "../../env.server";
import { logger } from "../../logger.server";
import { getPiiKeyring } from "../../privacy/keyring.server";
import { createProviderAccountStore, type ProviderAccountStore } from "./provider-account-store.server";
import { createStripeAccountLink } from "./stripe-account-link.server";

let store: ProviderAccountStore | undefined;

/**
 * The process's provider account store, from the validated environment (the
 * lead may move this next to getProviders in services.server.ts).
 */
export function getProviderAccountStore(): ProviderAccountStore {
  if (!store) {
    const env = getEnv();
    store = createProviderAccountStore(getDb(), {
      keyring: getPiiKeyring(),
      appUrl: env.SHOPIFY_APP_URL,
      links: { stripe: createStripeAccountLink({ apiBase: env.STRIPE_API_BASE }) },
      onEndpointLeft: (event) => logger.warn(event, "provider webhook endpoint not removed"),
    });
  }
  return store;
}
