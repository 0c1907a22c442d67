import type { Db, Tx } from "../db.server";
import { ensureShop } from "../db/write-first";
import { forgetInstalledShop } from "../shopify/installed-shops.server";

/**
 * The shop's lifecycle as far as its data goes: uninstall (tokens revoked,
 * deliveries stopped, data kept for the retention period), reinstall (the
 * deletion is called off), and deletion (shop/redact, or the retention period
 * running out).
 */

/**
 * Why a webhook about the shop's lifecycle was acknowledged and changed nothing
 * (decision 0009): the shop has the app installed (its offline token is stored),
 * or the event was triggered before the shop's current installation began.
 */
export type KeptReason = "shop-installed" | "triggered-before-install";

export type LifecycleResult<Done> = ({ outcome: "processed" } & Done) | { outcome: "acknowledged"; reason: KeptReason };

/**
 * Whether an event Shopify triggered at `triggeredAt` is about an installation
 * before the current one: the shop was (re)installed after it. A row from
 * before installedAt existed counts from its createdAt (a shop/redact deletes
 * the row, so a reinstall after one always starts a new row). Unknown (no
 * trigger time, or no row) is not stale. Reads the row: call it before writing it.
 */
async function triggeredBeforeInstall(tx: Tx, shop: string, triggeredAt: Date | null): Promise<boolean> {
  if (!triggeredAt) return false;
  const row = await tx.shop.findUnique({ where: { domain: shop }, select: { installedAt: true, createdAt: true } });
  if (!row) return false;
  return triggeredAt.getTime() < (row.installedAt ?? row.createdAt).getTime();
}

/** The app is installed on the shop: its offline token is stored (a (re)install stores it, app/uninstalled deletes it). */
async function hasOfflineToken(tx: Tx, shop: string): Promise<boolean> {
  return (await tx.session.count({ where: { shop, isOnline: false } })) > 0;
}

/**
 * A (re)install (afterAuth: Shopify issued a new offline token): records when
 * this installation began, and calls off the deletion of the shop's data.
 * Returns whether a deletion was due.
 */
export async function recordInstall(db: Db, shop: string, now = new Date()): Promise<{ deletionCancelled: boolean }> {
  const before = await db.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } });
  await db.$executeRaw`
    INSERT INTO "Shop" ("domain", "createdAt", "installedAt") VALUES (${shop}, ${now}, ${now})
    ON CONFLICT ("domain") DO UPDATE SET "installedAt" = ${now}, "uninstalledAt" = NULL`;
  return { deletionCancelled: before?.uninstalledAt != null };
}

/**
 * app/uninstalled: deletes the shop's sessions (the offline token is dead at
 * Shopify anyway; nothing may use it again), and marks the shop uninstalled, which
 * holds its deliveries (claims.server.ts skips them) and starts the retention clock.
 * An uninstall triggered before the current installation (a late retry, or a
 * replayed body) is acknowledged and changes nothing: it cannot end a newer one.
 */
export async function recordUninstall(tx: Tx, shop: string, triggeredAt: Date | null, now = new Date()): Promise<LifecycleResult<{ sessionsDeleted: number }>> {
  if (await triggeredBeforeInstall(tx, shop, triggeredAt)) return { outcome: "acknowledged", reason: "triggered-before-install" };
  await ensureShop(tx, shop, now);
  await tx.shop.update({ where: { domain: shop }, data: { uninstalledAt: now } });
  const { count } = await tx.session.deleteMany({ where: { shop } });
  forgetInstalledShop(shop);
  return { outcome: "processed", sessionsDeleted: count };
}

/**
 * shop/redact: erases the shop's data (deleteShopData) only when the app is
 * uninstalled and has not been installed again since the request was triggered.
 * Shopify sends it 48 hours after an uninstall; for a shop that has the app now,
 * the request (a late retry, or a replayed body) is acknowledged and nothing is
 * erased: the merchant's current data is not what was asked to be forgotten.
 */
export async function eraseUninstalledShop(tx: Tx, shop: string, triggeredAt: Date | null): Promise<LifecycleResult<DeletedShopData>> {
  if (await hasOfflineToken(tx, shop)) return { outcome: "acknowledged", reason: "shop-installed" };
  if (await triggeredBeforeInstall(tx, shop, triggeredAt)) return { outcome: "acknowledged", reason: "triggered-before-install" };
  return { outcome: "processed", ...(await deleteShopData(tx, shop)) };
}

export interface DeletedShopData {
  payments: number;
  sessions: number;
  exports: number;
}

/**
 * Deletes everything the app holds for the shop: payment sessions with their
 * addresses and search digests, follow-ups, deliveries and attempts, provider calls, the admin's
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
  await tx.paymentSearchTerm.deleteMany({ where: { shop } });
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
