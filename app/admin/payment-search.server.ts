import type { Db } from "../db.server";
import { buyerSearchDigest, searchWords } from "../privacy/buyer-search.server";
import { emailLookup, normalizePhone, phoneLookup, type PiiKeyring } from "../privacy/pii-crypto.server";
import { paymentShopifyIdOfGid } from "../payments/receipt/session-request-schemas";

/**
 * The list's query field: which of the shop's payments a query names. By id
 * (the payment's or a refund's, capture's or void's: exact, as Shopify and
 * engineers write them), or by the buyer (decision 0016): every word of the
 * query must be a word of the buyer's names, or the buyer's email, or (for a
 * query of digits) their phone. "Camille Roy", "roy camille" and "CAMILLE"
 * find Camille Roy's payments; "camille <a session id>" finds that payment if
 * it is hers. Exact look-ups on indexes only: a search costs a few of them,
 * however many payments the shop has.
 */

/** At most this many payments per look-up (newest first: ids are time-ordered); the list pages through them. */
export const SEARCH_LIMIT = 1000;

/** A query of digits and phone punctuation, long enough to be a phone number rather than a name. */
const PHONE_QUERY = /^\+?[\d\s().-]+$/;
const PHONE_MIN_DIGITS = 7;

export async function searchPayments(db: Db, shop: string, q: string, keyring: PiiKeyring | null): Promise<string[]> {
  const [byId, byBuyer] = await Promise.all([searchPaymentIds(db, shop, q), keyring ? searchByBuyer(db, shop, q, keyring) : []]);
  return [...new Set([...byId, ...byBuyer])];
}

async function searchByBuyer(db: Db, shop: string, q: string, keyring: PiiKeyring): Promise<string[]> {
  if (PHONE_QUERY.test(q) && normalizePhone(q).length >= PHONE_MIN_DIGITS) {
    return ids(await db.paymentSession.findMany({ where: { shop, customerPhoneLookup: phoneLookup(keyring, q) }, select: { id: true }, orderBy: { id: "desc" }, take: SEARCH_LIMIT }));
  }
  const words = q.split(/\s+/).filter(Boolean);
  if (words.length < 2 && !words.some((word) => word.includes("@"))) return searchByNames(db, shop, words, keyring);
  // Several words: each an email, an id (of a payment or a follow-up) or a name's words.
  const emails = words.filter((word) => word.includes("@"));
  const others = words.filter((word) => !word.includes("@"));
  const idsOfWords = await Promise.all(others.map((word) => searchPaymentIds(db, shop, word)));
  const nameWords = others.filter((_, i) => idsOfWords[i]?.length === 0);
  const sets = await Promise.all([
    ...emails.map(async (email) =>
      ids(await db.paymentSession.findMany({ where: { shop, customerEmailLookup: emailLookup(keyring, email) }, select: { id: true }, orderBy: { id: "desc" }, take: SEARCH_LIMIT })),
    ),
    ...idsOfWords.filter((found) => found.length > 0).map((found) => Promise.resolve(found)),
    ...(nameWords.length > 0 ? [searchByNames(db, shop, nameWords, keyring)] : []),
  ]);
  return intersect(sets);
}

/**
 * Payments whose buyer's names hold every word given: one grouped look-up on
 * (shop, digest), a payment counted once per digest it has (the table's key).
 */
async function searchByNames(db: Db, shop: string, words: string[], keyring: PiiKeyring): Promise<string[]> {
  const digests = [...new Set(words.flatMap(searchWords))].map((word) => buyerSearchDigest(keyring, shop, word));
  if (digests.length === 0) return [];
  const groups = await db.paymentSearchTerm.groupBy({
    by: ["paymentSessionId"],
    where: { shop, digest: { in: digests } },
    having: { paymentSessionId: { _count: { equals: digests.length } } },
    orderBy: { paymentSessionId: "desc" },
    take: SEARCH_LIMIT,
  });
  return groups.map((group) => group.paymentSessionId);
}

/**
 * Payments matching an id: the payment's id, gid, group or Shopify request id,
 * or those of one of its refunds, captures or voids. Exact matches on indexed
 * columns only.
 */
async function searchPaymentIds(db: Db, shop: string, q: string): Promise<string[]> {
  const followUpWhere = { shop, OR: [{ shopifyId: q }, { gid: q }, { shopifyRequestId: q }] };
  const select = { paymentSessionId: true } as const;
  // A payment's gid is found through its id's index (PaymentSession has no gid index).
  const idOfGid = paymentShopifyIdOfGid(q);
  const byGid = idOfGid ? [{ shopifyId: idOfGid, gid: q }] : [];
  const [payments, refunds, captures, voids] = await Promise.all([
    db.paymentSession.findMany({ where: { shop, OR: [{ shopifyId: q }, ...byGid, { group: q }, { shopifyRequestId: q }] }, select: { id: true }, take: SEARCH_LIMIT }),
    db.refundSession.findMany({ where: followUpWhere, select, take: SEARCH_LIMIT }),
    db.captureSession.findMany({ where: followUpWhere, select, take: SEARCH_LIMIT }),
    db.voidSession.findMany({ where: followUpWhere, select, take: SEARCH_LIMIT }),
  ]);
  return [...new Set([...ids(payments), ...[...refunds, ...captures, ...voids].map((f) => f.paymentSessionId)])];
}

const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

function intersect(sets: string[][]): string[] {
  const [first = [], ...rest] = sets;
  const others = rest.map((set) => new Set(set));
  return first.filter((id) => others.every((set) => set.has(id)));
}
