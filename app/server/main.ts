// The production entry: `npm start` runs this, compiled with the app into build/index.js.
import * as build from "@remix-run/dev/server-build";
import { closeDatabases, databaseConnection, getDb, startBackgroundCheckpoints } from "../db.server";
import { createPaymentReceiptStore, type PaymentReceiptStore } from "../payments/receipt/payment-receipt-store.server";
import { getPiiKeyring } from "../privacy/keyring.server";
import { EnvError, getEnv, type Env } from "../env.server";
import { logger } from "../logger.server";
import { startPrivacyMaintenance } from "../privacy/maintenance.server";
import { CardKeyringError } from "../cards/card-keyring.server";
import { createAppWorker, getCardKeyring, getCardPaymentServices } from "../services.server";
import { createAppServer } from "./app-server";
import { buildAssetsProblem, buildModeProblem } from "./build-mode";

/**
 * The mode this file was built in: the compiler replaces the expression
 * `process.env.NODE_ENV` with it, as a literal (remix build's mode).
 */
const BUILT_FOR: string | undefined = process.env.NODE_ENV;

/** Before anything else: a build that cannot run in this mode, or that is missing its browser files, is refused, not served. */
function refuseUnrunnableBuild() {
  // Destructured, so the compiler leaves it alone: the mode the process runs in.
  const { NODE_ENV: runningAs } = process.env;
  const problem = buildModeProblem(BUILT_FOR, runningAs) ?? buildAssetsProblem(build.assets, build.assetsBuildDirectory, build.publicPath);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}

function loadEnvOrExit(): Env {
  try {
    return getEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** A card key file that cannot be used stops the start, not the first card payment. */
function loadCardKeysOrExit(): void {
  try {
    getCardKeyring();
  } catch (error) {
    if (error instanceof CardKeyringError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** How long a graceful stop may take before the process exits regardless. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main() {
  refuseUnrunnableBuild();
  const env = loadEnvOrExit();
  loadCardKeysOrExit();
  startBackgroundCheckpoints();
  let receipts: PaymentReceiptStore | undefined;
  const receiptStore = (): PaymentReceiptStore => {
    if (!receipts) {
      const connection = databaseConnection();
      receipts = createPaymentReceiptStore(connection.url, connection.options);
    }
    return receipts;
  };
  const server = createAppServer(build, env, { db: getDb(), receiptStore, piiKeyring: getPiiKeyring(), cardPayments: getCardPaymentServices });
  const { port, mtlsPort } = await server.listen();
  logger.info({ port, mtlsPort, requestAuth: env.SHOPIFY_REQUEST_AUTH, mode: env.NODE_ENV }, "listening");
  if (env.SHOPIFY_REQUEST_AUTH === "none") {
    logger.warn("SHOPIFY_REQUEST_AUTH=none: session endpoints accept requests without proof that Shopify sent them (development only)");
  }

  const worker = env.WORKER_ENABLED ? createAppWorker() : null;
  worker?.start();
  if (worker) logger.info({ owner: worker.owner }, "delivery worker started");
  // Uninstalled shops' data past its retention, expired exports, old webhook ids.
  const maintenance = env.WORKER_ENABLED
    ? startPrivacyMaintenance(getDb(), { intervalMs: env.PRIVACY_MAINTENANCE_INTERVAL_SECONDS * 1000, retentionMs: env.UNINSTALLED_DATA_RETENTION_DAYS * 86_400_000 })
    : null;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    // A request or database call that never ends must not keep the process from
    // stopping (a process manager would kill it anyway, later and less cleanly).
    // Nothing is lost: outcomes are in the outbox, a claimed delivery's lease expires.
    setTimeout(() => {
      logger.error({ signal, afterMs: SHUTDOWN_GRACE_MS }, "shutdown did not finish in time; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    await server.close();
    await worker?.stop();
    await maintenance?.stop();
    await Promise.all([receipts?.close(), closeDatabases()]);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error instanceof Error ? { type: error.name, message: error.message } : String(error) }, "failed to start");
  process.exit(1);
});
