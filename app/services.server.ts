import { createWorker, type Worker } from "./background/worker.server";
import { readCardKeyringFile, type CardKeyring } from "./cards/card-keyring.server";
import type { CardPaymentServices } from "./payments/charging/card-payments.server";
import { getDb } from "./db.server";
import { DEFAULT_RETRY_DELAYS_SECONDS, parseRetryDelays, type RetryPolicy } from "./delivery/retry-schedule";
import { createChannelLoader } from "./delivery/shopify-channel.server";
import { getEnv } from "./env.server";
import { logger } from "./logger.server";
import type { BuyerLinkConfig } from "./payments/rules/buyer-link-token.server";
import type { ProcessingPolicy } from "./payments/charging/payment-charging.server";
import { getPiiKeyring } from "./privacy/keyring.server";
import { createProviderRegistry, type ProviderRegistry } from "./providers/provider-registry.server";
import { createProviderAccountStore, type ProviderAccountStore } from "./providers/accounts/provider-account-store.server";
import { createStripeAccountLink } from "./providers/accounts/stripe-account-link.server";
import { createSandboxProvider } from "./providers/sandbox-provider.server";
import { createStripeProvider } from "./providers/stripe/stripe-provider.server";

/**
 * The app's configured parts, built once from the validated environment: the
 * policies, the providers, the worker. Routes and the server entry take them
 * from here instead of reading the environment themselves.
 */
const HOUR = 3_600_000;

export function getBuyerLinkConfig(): BuyerLinkConfig {
  const env = getEnv();
  return { appUrl: env.SHOPIFY_APP_URL, secret: env.SHOPIFY_API_SECRET, ttlHours: env.PAYMENT_LINK_TTL_HOURS };
}

export function getProcessingPolicy(): ProcessingPolicy {
  const env = getEnv();
  const pendingExpiryMs = env.PENDING_EXPIRY_HOURS * HOUR;
  return {
    providerTimeoutMs: env.PROVIDER_TIMEOUT_MS,
    authorizationValidityMs: env.AUTHORIZATION_VALIDITY_DAYS * 24 * HOUR,
    pendingExpiryMs,
    // Decide a still-pending payment before Shopify's deadline, not at it.
    pendingSafetyMarginMs: Math.min(HOUR, pendingExpiryMs / 10),
    recheckMs: env.PROVIDER_RECHECK_SECONDS * 1000,
  };
}

export function getRetryPolicy(): RetryPolicy {
  const env = getEnv();
  return {
    delaysSeconds: env.DELIVERY_RETRY_SCHEDULE ? parseRetryDelays(env.DELIVERY_RETRY_SCHEDULE) : DEFAULT_RETRY_DELAYS_SECONDS,
    jitter: env.DELIVERY_RETRY_JITTER,
  };
}

let accountStore: ProviderAccountStore | undefined;

/** The merchants' provider accounts (Settings connects them; the registry and the provider webhook route ask). */
export function getProviderAccountStore(): ProviderAccountStore {
  if (!accountStore) {
    const env = getEnv();
    accountStore = createProviderAccountStore(getDb(), {
      keyring: getPiiKeyring(),
      appUrl: env.SHOPIFY_APP_URL,
      links: { stripe: createStripeAccountLink({ apiBase: env.STRIPE_API_BASE }) },
      onEndpointLeft: (event) => logger.warn(event, "provider webhook endpoint not removed"),
    });
  }
  return accountStore;
}

let cardKeyring: CardKeyring | null | undefined;

/** CARD_DECRYPTION_KEY_FILE's keys, read once; null when unset (card payments are then rejected). */
export function getCardKeyring(): CardKeyring | null {
  if (cardKeyring === undefined) {
    const file = getEnv().CARD_DECRYPTION_KEY_FILE;
    cardKeyring = file ? readCardKeyringFile(file) : null;
  }
  return cardKeyring;
}

export function getCardPaymentServices(): CardPaymentServices {
  return { db: getDb(), providers: getProviders(), keyring: getCardKeyring(), buyerLink: getBuyerLinkConfig(), policy: getProcessingPolicy() };
}

let providers: ProviderRegistry | undefined;

export function getProviders(): ProviderRegistry {
  if (!providers) {
    const env = getEnv();
    const sandbox = createSandboxProvider(getDb(), {
      pendingSeconds: env.SANDBOX_PENDING_SECONDS,
      hangMs: env.PROVIDER_TIMEOUT_MS + 1000,
      // Relative to the buyer's payment page: /pay/{token}/challenge.
      challengeUrl: () => "challenge",
    });
    // The merchants' connected accounts (Settings): a shop's own Stripe account moves its money.
    const accounts = getProviderAccountStore();
    const recheckMs = env.PROVIDER_RECHECK_SECONDS * 1000;
    // A shop with a connected Stripe account pays through it (test sessions with
    // its test key); otherwise test sessions use the sandbox, and live sessions
    // the sandbox in development only: in production they are declined.
    providers = createProviderRegistry(sandbox, env.NODE_ENV === "production" ? null : sandbox, {
      accounts,
      factories: {
        stripe: (account) => createStripeProvider(account, { apiBase: env.STRIPE_API_BASE, timeoutMs: env.PROVIDER_TIMEOUT_MS, recheckMs }),
      },
    });
  }
  return providers;
}

export function createAppWorker(): Worker {
  const env = getEnv();
  const db = getDb();
  const loadChannels = createChannelLoader(db, {
    origin: env.PAYMENTS_APPS_API_ORIGIN,
    defaultApiVersion: env.PAYMENTS_APPS_API_VERSION,
    timeoutMs: env.PAYMENTS_APPS_TIMEOUT_MS,
  });
  return createWorker(db, loadChannels, getProviders(), {
    pollMs: env.WORKER_POLL_MS,
    batchSize: env.WORKER_BATCH_SIZE,
    concurrency: env.WORKER_CONCURRENCY,
    leaseMs: env.DELIVERY_LEASE_SECONDS * 1000,
    retry: getRetryPolicy(),
    processing: getProcessingPolicy(),
  });
}
