import { afterAll, afterEach, beforeAll } from "vitest";
import { startPaymentsAppsSandbox, type PaymentsAppsSandbox } from "../../sandbox/payments-apps/server";
import { startApp, type AppProcess } from "./app-process";
import { createTestDatabase, installShop, type TestDatabase } from "./database";
import { SHOP } from "./shopify-requests";

export interface AppsOnOneDatabase {
  readonly database: TestDatabase;
  /** The local Payments Apps API, playing Shopify for every process. */
  readonly shopify: PaymentsAppsSandbox;
  /** Starts one more app process on the shared database (stopped after the test). */
  launch(extra?: Record<string, string>): Promise<AppProcess>;
}

/**
 * Several app processes sharing one test database, with SHOP installed: for the
 * tests of processes sharing work (a crash and its takeover, several instances).
 * Registers its hooks where it is called (a file or a describe block).
 */
export function useAppsOnOneDatabase(defaults: Record<string, string>): AppsOnOneDatabase {
  let database: TestDatabase | undefined;
  let shopify: PaymentsAppsSandbox | undefined;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    await installShop(database.db, SHOP);
    shopify = await startPaymentsAppsSandbox();
    shopify.registerShop(SHOP, `shpat_test_${SHOP}`);
  });

  // Each test's processes stop with it: a worker left over would claim the next test's deliveries.
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    shopify?.clearFaults();
  });

  afterAll(async () => {
    await shopify?.stop();
    await database?.drop();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("useAppsOnOneDatabase: used before its beforeAll ran");
    return value;
  };
  return {
    get database() {
      return started(database);
    },
    get shopify() {
      return started(shopify);
    },
    async launch(extra = {}) {
      const app = await startApp({ DATABASE_URL: started(database).url, PAYMENTS_APPS_API_ORIGIN: started(shopify).url, ...defaults, ...extra });
      apps.push(app);
      return app;
    },
  };
}
