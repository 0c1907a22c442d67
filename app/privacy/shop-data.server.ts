import type { Db, Tx } from "../db.server";
import { ensureShop } from "../payments/shops.server";
import { forgetInstalledShop } from "../shopify/installed-shops.server";

/**
 * The shop's lifecycle as far as its data goes: uninstall (tokens revoked,
 * deliveries stopped, data kept for the retention period), reinstall (the
 * deletion is called off), and deletion (shop/redact, or the retention period
 * running out).
 */

/**
 * app/uninstalled: deletes the shop's sessions (the offline token is dead at
 * Shopify anyway; nothing may use it again), and marks the shop uninstalled, which
 * holds its deliveries (claims.server.ts skips them) and starts the retention clock.
 */
export async function recordUninstall(tx: Tx, shop: string, now = new Date()): Promise<{ sessionsDeleted: number }> {
  await ensureShop(tx, shop, now);
  await tx.shop.update({ where: { domain: shop }, data: { uninstalledAt: now } });
  const { count } = await tx.session.deleteMany({ where: { shop } });
  forgetInstalledShop(shop);
  return { sessionsDeleted: count };
}

/** A reinstall: the shop's data is no longer due for deletion. Returns whether it was. */
export async function cancelShopDataDeletion(db: Db, shop: string): Promise<boolean> {
  const { count } = await db.shop.updateMany({ where: { domain: shop, uninstalledAt: { not: null } }, data: { uninstalledAt: null } });
  return count > 0;
}

export interface DeletedShopData {
  payments: number;
  sessions: number;
  exports: number;
}

/**
 * Deletes everything the app holds for the shop: payment sessions with their
 * addresses, follow-ups, deliveries and attempts, provider calls, the admin's
 * audit entries, recorded session replays, the sandbox provider's records
 * of its charges, customer data exports, and Shopify sessions (tokens). The
 * processed-webhook records stay (they hold ids only), so that a retried
 * shop/redact is still recognized as done. Starts with a write (SQLite lock).
 */
export async function deleteShopData(tx: Tx, shop: string): Promise<DeletedShopData> {
  const sessions = await tx.session.deleteMany({ where: { shop } });
  const payments = (await tx.paymentSession.findMany({ where: { shop }, select: { id: true } })).map((row) => row.id);
  // The sandbox provider keys its records by the app's payment id (its idempotency
  // key) and by the follow-up's id; a real provider keeps its own records.
  for (let start = 0; start < payments.length; start += 500) {
    const chunk = payments.slice(start, start + 500);
    await tx.sandboxOperation.deleteMany({ where: { paymentId: { in: chunk } } });
    await tx.sandboxCharge.deleteMany({ where: { paymentId: { in: chunk } } });
  }
  // Children first: explicit, rather than trusting that the driver enforces
  // the schema's ON DELETE CASCADE. The admin's audit trail and the record of
  // Shopify's retries go too: they are the shop's data like the rest.
  await tx.auditEntry.deleteMany({ where: { shop } });
  await tx.sessionReplay.deleteMany({ where: { shop } });
  await tx.providerCall.deleteMany({ where: { paymentSession: { shop } } });
  await tx.deliveryAttempt.deleteMany({ where: { delivery: { shop } } });
  await tx.delivery.deleteMany({ where: { shop } });
  await tx.refundSession.deleteMany({ where: { shop } });
  await tx.captureSession.deleteMany({ where: { shop } });
  await tx.voidSession.deleteMany({ where: { shop } });
  await tx.paymentAddress.deleteMany({ where: { paymentSession: { shop } } });
  await tx.paymentSession.deleteMany({ where: { shop } });
  await tx.shop.deleteMany({ where: { domain: shop } });
  const exports = await tx.customerDataExport.deleteMany({ where: { shop } });
  return { payments: payments.length, sessions: sessions.count, exports: exports.count };
}

/**
 * Deletes the data of shops uninstalled longer ago than the retention period
 * and not reinstalled since, one transaction per shop. Each transaction
 * re-checks the shop under SQLite's write lock (its first statement is a
 * write), so a reinstall that lands meanwhile wins. Returns the shops purged.
 */
export async function purgeUninstalledShops(db: Db, retentionMs: number, now = new Date()): Promise<string[]> {
  const cutoff = new Date(now.getTime() - retentionMs);
  const due = await db.shop.findMany({ where: { uninstalledAt: { lte: cutoff } }, select: { domain: true }, take: 100 });
  const purged: string[] = [];
  for (const { domain } of due) {
    const done = await db.$transaction(async (tx) => {
      // A write that changes nothing but takes the lock, and says whether the shop is still due.
      const still = await tx.$executeRaw`UPDATE "Shop" SET "uninstalledAt" = "uninstalledAt" WHERE "domain" = ${domain} AND "uninstalledAt" <= ${cutoff}`;
      if (still === 0) return false;
      if ((await tx.session.count({ where: { shop: domain, isOnline: false } })) > 0) return false;
      await deleteShopData(tx, domain);
      return true;
    });
    if (done) purged.push(domain);
  }
  return purged;
}

/** Shopify retries a webhook for 4 hours (spec §13); ids are kept far longer than that. */
export const PROCESSED_WEBHOOK_RETENTION_DAYS = 30;

/** Forgets processed webhook ids past their retention, and customer data exports past their expiry. */
export async function purgeExpiredPrivacyRecords(db: Db, now = new Date()): Promise<{ webhooks: number; exports: number }> {
  const [webhooks, exports] = await db.$transaction([
    db.processedWebhook.deleteMany({ where: { receivedAt: { lt: new Date(now.getTime() - PROCESSED_WEBHOOK_RETENTION_DAYS * 86_400_000) } } }),
    db.customerDataExport.deleteMany({ where: { expiresAt: { lte: now } } }),
  ]);
  return { webhooks: webhooks.count, exports: exports.count };
}
