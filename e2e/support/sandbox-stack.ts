import { rmSync } from "node:fs";
import { startPaymentsAppsSandbox, type PaymentsAppsSandbox } from "../../sandbox/payments-apps/server";
import { createLocalPki, type LocalPki } from "../../sandbox/pki";
import { startShopifySandbox } from "../../sandbox/shopify/server";
import { createShopifySimulator, type ShopifySimulator } from "../../sandbox/shopify/simulator";
import { freePort, startApp, type AppProcess } from "../../test/support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../../test/support/database";

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
 * Everything `npm run dev` runs, for one test file: a fresh database with the
 * shop installed, a Shopify-like PKI, the local Payments Apps API, the built app
 * in mtls mode (on a port known in advance, so its buyer links lead to it), the
 * simulator of Shopify's requests and the sandbox checkout.
 */
export async function startSandboxStack(shop: string, appEnv: Record<string, string> = {}): Promise<SandboxStack> {
  const database = createTestDatabase();
  await installShop(database.db, shop);
  const pki = await createLocalPki();
  const shopify = await startPaymentsAppsSandbox();
  shopify.registerShop(shop, `shpat_test_${shop}`);
  const port = await freePort();
  const app = await startApp({
    PORT: String(port),
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: database.url,
    SHOPIFY_REQUEST_AUTH: "mtls",
    MTLS_CA_FILE: pki.files.ca,
    TLS_CERT_FILE: pki.files.serverCert,
    TLS_KEY_FILE: pki.files.serverKey,
    PAYMENTS_APPS_API_ORIGIN: shopify.url,
    WORKER_POLL_MS: "50",
    ...appEnv,
  });
  const simulator = createShopifySimulator({
    appOrigin: app.mtlsUrl ?? "",
    shop,
    clientCertFile: pki.files.shopifyCert,
    clientKeyFile: pki.files.shopifyKey,
    serverCaFile: pki.files.serverCa,
    paymentsApi: shopify,
  });
  const storefront = await startShopifySandbox({ shop, simulator, paymentsApi: shopify });
  shopify.setCheckoutOrigin(storefront.url);
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
