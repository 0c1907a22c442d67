import type { Db } from "../db.server";
import { offlineSessionId } from "./offline-session";

/**
 * Whether a shop has installed the app (its offline session is stored), asked
 * on every session request. A positive answer is remembered for a few seconds
 * per process: the look-up was one of a handful of queries per request, and a
 * request that slips in just after an uninstall is harmless (it is recorded, and
 * the uninstalled shop's deliveries are held). A negative answer is never
 * remembered, so a fresh install is served at once.
 */
const REMEMBER_MS = 5_000;
const MAX_REMEMBERED = 10_000;
const remembered = new Map<string, number>();

export async function isShopInstalled(db: Db, shop: string, now = Date.now()): Promise<boolean> {
  const until = remembered.get(shop);
  if (until !== undefined && until > now) return true;
  const installed = (await db.session.findUnique({ where: { id: offlineSessionId(shop) }, select: { id: true } })) !== null;
  if (installed) {
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(shop, now + REMEMBER_MS);
  } else {
    remembered.delete(shop);
  }
  return installed;
}

/** This process saw the shop uninstall: stop vouching for it now. */
export function forgetInstalledShop(shop: string): void {
  remembered.delete(shop);
}
