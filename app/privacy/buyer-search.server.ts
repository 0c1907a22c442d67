import { createHmac, hkdfSync, type KeyObject } from "node:crypto";
import { secretKey } from "../crypto/secret-key";
import type { Db } from "../db.server";
import { openAddress } from "./customer-data.server";
import type { PiiKeyring } from "./pii-crypto.server";

/**
 * Finding a payment by its buyer's name without decrypting every row (decision
 * 0016): a blind index. Each word of the buyer's given and family names
 * (billing and shipping) is normalized and stored as a keyed digest in
 * PaymentSearchTerm; a search digests the words it was given the same way and
 * looks them up by (shop, digest). Emails and phones are found through the
 * lookup hashes the privacy webhooks use already (decision 0006).
 */

/** Digest length in bytes: 128 bits, far past any collision among one shop's names. */
const DIGEST_BYTES = 16;

/** Longer words are no one's name; they are cut so a digest costs the same for any input. */
const MAX_WORD_LENGTH = 64;

// A key of its own for this purpose, derived from PII_LOOKUP_KEY: a name's digest
// can never be compared with an email's or a phone's lookup hash, nor with the
// request fingerprints' digests, even for the same text.
const searchKeys = new WeakMap<PiiKeyring, KeyObject>();
function searchKey(keyring: PiiKeyring): KeyObject {
  let key = searchKeys.get(keyring);
  if (!key) {
    key = secretKey(Buffer.from(hkdfSync("sha256", keyring.lookupKey, "payments-app", "buyer-search-v1", 32)));
    searchKeys.set(keyring, key);
  }
  return key;
}

/**
 * The words of a name as the index keeps them: compatibility-decomposed (NFKD)
 * with accents and other combining marks dropped, lower case, split on anything
 * that is not a letter or a digit ("Jean-Pierre" is "jean" and "pierre",
 * "O'Brien" is "o" and "brien"). A script without spaces (佐藤) is one word.
 */
export function searchWords(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .map((word) => word.slice(0, MAX_WORD_LENGTH));
}

/**
 * The digest of one normalized word (searchWords' output) in one shop: the shop
 * is part of it, so the same name in two shops has two unrelated digests.
 */
export function buyerSearchDigest(keyring: PiiKeyring, shop: string, word: string): string {
  return createHmac("sha256", searchKey(keyring)).update(`name:${shop}:${word}`).digest().subarray(0, DIGEST_BYTES).toString("base64url");
}

/** The buyer's names in clear, as a payment session carries them (billing, shipping). */
export interface BuyerNames {
  givenName?: string | null;
  familyName?: string | null;
}

/** The distinct digests of the words of every name given: what a receipt stores beside the payment. */
export function buyerSearchDigests(keyring: PiiKeyring, shop: string, names: readonly BuyerNames[]): string[] {
  const words = new Set(names.flatMap((name) => [...searchWords(name.givenName ?? ""), ...searchWords(name.familyName ?? "")]));
  return [...words].map((word) => buyerSearchDigest(keyring, shop, word));
}

/**
 * Recomputes the search digests of every payment that still has its buyer's
 * addresses: the backfill for payments received before the index existed, and
 * the repair after PII_LOOKUP_KEY changed (`npm run privacy -- reindex`).
 * Batches of payments in id order, each batch one transaction that deletes the
 * batch's digests and writes them again (a delete first: it takes SQLite's write
 * lock). Safe while the app runs and to run again. Returns how many payments it
 * indexed. Encryption-key rotation needs none of it: the digests do not depend
 * on PII_ENCRYPTION_KEYS.
 */
export async function reindexBuyerSearch(db: Db, keyring: PiiKeyring, batchSize = 200): Promise<number> {
  let indexed = 0;
  for (let cursor: string | undefined; ; ) {
    const payments = await db.paymentSession.findMany({
      where: { addresses: { some: {} } },
      select: { id: true, shop: true, addresses: true },
      orderBy: { id: "asc" },
      take: batchSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (payments.length === 0) break;
    cursor = payments.at(-1)?.id;
    const rows = payments.flatMap((payment) => {
      const names = payment.addresses.map((address) => openAddress(keyring, address));
      return buyerSearchDigests(keyring, payment.shop, names).map((digest) => ({ shop: payment.shop, digest, paymentSessionId: payment.id }));
    });
    const ids = payments.map((payment) => payment.id);
    await db.$transaction([db.paymentSearchTerm.deleteMany({ where: { paymentSessionId: { in: ids } } }), db.paymentSearchTerm.createMany({ data: rows })]);
    indexed += payments.length;
  }
  return indexed;
}
