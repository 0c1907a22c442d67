import path from "node:path";
import { createDevelopmentCardKey } from "../../sandbox/card-keys";
import { rmSync } from "node:fs";
import { startPaymentsAppsSandbox, type PaymentsAppsSandbox } from "../../sandbox/payments-apps/server";
import { createLocalPki, type LocalPki } from "../../sandbox/pki";
import { startShopifySandbox } from "../../sandbox/shopify/server";
import { createShopifySimulator, type ShopifySimulator } from "../../sandbox/shopify/simulator";
import { createWebhookSender } from "../../sandbox/shopify/webhooks";
import { freePort, startApp, TEST_API_KEY, TEST_API_SECRET, type AppProcess } from "../../test/support/app-process";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";

export interface SandboxStack {
  shop: string;
  database: TestDatabase;
  pki: LocalPki;
  /** The local Payments Apps API (Shopify's side of outcomes). */
  shopify: PaymentsAppsSandbox;
  /** The app as its own process, session endpoints over mTLS. */
  app: AppProcess;
  /** Shopify's outgoing requests. */
  simulator: ShopifySimulator;
  /** The sandbox checkout and order pages. */
  storefront: Awaited<ReturnType<typeof startShopifySandbox>>;
  stop(): Promise<void>;
}

/**
 * Everything `npm run dev` runs, for one test file: a fresh database, a
 * Shopify-like PKI, the local Payments Apps API, the built app in mtls mode (on a
 * port known in advance, so its buyer links lead to it), the simulator of
 * Shopify's requests, and the sandbox checkout and admin; the shop installs the
 * app through the admin (token exchange), as a merchant's first visit does.
 */
export async function startSandboxStack(shop: string, appEnv: Record<string, string> = {}): Promise<SandboxStack> {
  const database = await createTestDatabase();
  const pki = await createLocalPki();
  // The app's card-encryption key pair, as `npm run dev` makes it (sandbox/card-keys.ts).
  const cardKey = await createDevelopmentCardKey(path.join(pki.dir, "card-keys"));
  const shopify = await startPaymentsAppsSandbox();
  const port = await freePort();
  const sandboxPort = await freePort();
  const sandboxOrigin = `http://127.0.0.1:${sandboxPort}`;
  const app = await startApp({
    PORT: String(port),
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    SHOPIFY_SANDBOX_ORIGIN: sandboxOrigin,
    APP_BRIDGE_URL: `${sandboxOrigin}/app-bridge.js`,
    DATABASE_URL: database.url,
    SHOPIFY_REQUEST_AUTH: "mtls",
    MTLS_CA_FILE: pki.files.ca,
    TLS_CERT_FILE: pki.files.serverCert,
    TLS_KEY_FILE: pki.files.serverKey,
    PAYMENTS_APPS_API_ORIGIN: shopify.url,
    WORKER_POLL_MS: "50",
    CARD_DECRYPTION_KEY_FILE: cardKey.keyFile,
    ...appEnv,
  });
  const simulator = createShopifySimulator({
    appOrigin: app.mtlsUrl ?? "",
    shop,
    clientCertFile: pki.files.shopifyCert,
    clientKeyFile: pki.files.shopifyKey,
    serverCaFile: pki.files.serverCa,
    paymentsApi: shopify,
    cardCertificatePem: cardKey.certificatePem,
  });
  // Shopify answers paymentSessionConfirm on the app's confirmation callback.
  shopify.onConfirmation(({ gid }) => void simulator.sendConfirmation(gid));
  const storefront = await startShopifySandbox({
    port: sandboxPort,
    shop,
    simulator,
    paymentsApi: shopify,
    app: { url: `http://127.0.0.1:${port}`, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, scopes: "write_payment_gateways,write_payment_sessions" },
    webhooks: createWebhookSender({ appUrl: `http://127.0.0.1:${port}`, apiSecret: TEST_API_SECRET, shop, retryDelayMs: 50 }),
  });
  shopify.setCheckoutOrigin(storefront.url);
  await storefront.admin?.install();
  return {
    shop,
    database,
    pki,
    shopify,
    app,
    simulator,
    storefront,
    async stop() {
      simulator.close();
      await storefront.stop();
      await app.stop();
      await shopify.stop();
      await database.drop();
      rmSync(pki.dir, { recursive: true, force: true });
    },
  };
}
