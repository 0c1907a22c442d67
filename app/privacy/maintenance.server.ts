import type { Db } from "../db.server";
import { logger } from "../logger.server";
import { purgeExpiredPrivacyRecords, purgeUninstalledShops } from "./shop-data.server";
import { describeError } from "../observability/describe-error";

export interface PrivacyMaintenanceConfig {
  intervalMs: number;
  /** UNINSTALLED_DATA_RETENTION_DAYS, in ms. */
  retentionMs: number;
}

export interface PrivacyMaintenance {
  /** One pass: purge shops past their retention, expired exports and old webhook ids. */
  run(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The periodic privacy work, next to the delivery worker in every app process:
 * a pass shortly after start and then every interval. Passes are idempotent and
 * each shop's purge is its own transaction, so processes running it at once
 * only repeat each other's no-ops.
 */
export function startPrivacyMaintenance(db: Db, config: PrivacyMaintenanceConfig): PrivacyMaintenance {
  let current: Promise<void> = Promise.resolve();
  let stopped = false;

  async function pass() {
    try {
      const shops = await purgeUninstalledShops(db, config.retentionMs);
      const records = await purgeExpiredPrivacyRecords(db);
      if (shops.length > 0 || records.webhooks > 0 || records.exports > 0) {
        logger.info({ shopsPurged: shops, webhookIdsForgotten: records.webhooks, exportsExpired: records.exports }, "privacy maintenance");
      }
    } catch (error) {
      logger.error({ err: describeError(error) }, "privacy maintenance pass failed; it runs again at the next interval");
    }
  }
  const run = () => {
    current = current.then(pass);
    return current;
  };

  const first = setTimeout(() => void run(), Math.min(config.intervalMs, 5_000));
  const timer = setInterval(() => {
    if (!stopped) void run();
  }, config.intervalMs);
  first.unref();
  timer.unref();

  return {
    run,
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await current;
    },
  };
}
