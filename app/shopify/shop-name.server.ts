import { z } from "zod";
import type { Db, Tx } from "../db.server";
import { logger } from "../logger.server";
import { describeError } from "../observability/describe-error";

/**
 * The shop's name, as buyers know the store ("Boutique Camille", not
 * boutique-camille.myshopify.com). Read from the Admin API after each token
 * exchange (afterAuth: the install, and with online tokens each staff member's
 * first visit and daily renewal), so a renamed store shows its new name within a
 * day of staff opening the app. Not by the shop/update webhook: its body is the
 * same shop object as app/uninstalled's, so a signed copy could be replayed
 * under the other topic (decision 0009). Stored on the Shop row because the
 * buyer pages must not wait on the Admin API.
 */
export const SHOP_NAME_QUERY = "#graphql\nquery ShopName { shop { name } }";

const shopNameAnswerSchema = z.object({ data: z.object({ shop: z.object({ name: z.string() }) }) });

/** A name worth showing: trimmed, bounded, and not blank (blank keeps the domain). */
export const shopNameSchema = z
  .string()
  .transform((name) => name.trim().slice(0, 255))
  .pipe(z.string().min(1));

interface AdminGraphql {
  graphql(query: string): Promise<Response>;
}

/** The shop's name from the Admin API, or null when the answer has none. */
export async function fetchShopName(admin: AdminGraphql): Promise<string | null> {
  const response = await admin.graphql(SHOP_NAME_QUERY);
  const parsed = shopNameAnswerSchema.safeParse(await response.json());
  if (!parsed.success) return null;
  const name = shopNameSchema.safeParse(parsed.data.data.shop.name);
  return name.success ? name.data : null;
}

/**
 * Stores the name on the shop's row. Never creates the row: a shop whose data
 * was erased (shop/redact) must not come back; at install recordInstall has
 * made it.
 */
export async function recordShopName(db: Db | Tx, shop: string, name: string): Promise<boolean> {
  const { count } = await db.shop.updateMany({ where: { domain: shop }, data: { name } });
  return count === 1;
}

/**
 * At install: reads and stores the name. A failure is logged and leaves the
 * name as it was (the buyer pages show the domain until a name is known): the
 * install itself must not fail because the Admin API did not answer.
 */
export async function refreshShopName(db: Db, shop: string, admin: AdminGraphql): Promise<void> {
  try {
    const name = await fetchShopName(admin);
    if (name) await recordShopName(db, shop, name);
    else logger.warn({ shop }, "the Admin API answered no shop name; buyers see the shop's domain");
  } catch (error) {
    logger.warn({ shop, err: describeError(error) }, "could not read the shop's name; buyers see the shop's domain until the next token exchange");
  }
}
