import type { Db } from "../db.server";
import { getEnv } from "../env.server";

/** The Payments Apps API version the app uses for this shop's mutations (spec §14). */
export async function shopApiVersion(db: Db, shop: string): Promise<string> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { paymentsApiVersion: true } });
  return row?.paymentsApiVersion ?? getEnv().PAYMENTS_APPS_API_VERSION;
}
