import { createCipheriv, createDecipheriv, createHmac, hkdfSync, type KeyObject } from "node:crypto";
import { pooledRandomBytes } from "../crypto/pooled-random";
import { secretKey } from "../crypto/secret-key";
import type { Env } from "../env.server";

/**
 * Customer personal data at rest (decision 0006): AES-256-GCM with a random
 * 96-bit nonce per value, the key's id stored with the ciphertext so that old
 * keys keep decrypting after a rotation, and the column the value belongs to
 * bound as associated data (a ciphertext copied into another column does not
 * decrypt). Lookups (privacy webhooks match a customer by email or phone) use
 * a keyed HMAC of the normalized value, never the value itself.
 *
 * Stored form: `pii1.{keyId}.{nonce}.{tag}.{ciphertext}`, base64url parts.
 */
const PREFIX = "pii1";

/** Keys as KeyObjects, made once (app/crypto/secret-key.ts says why). */
export interface PiiKeyring {
  /** The key new values are encrypted with. */
  current: { id: string; key: KeyObject };
  /** Every key that may have encrypted a stored value, the current one included. */
  byId: ReadonlyMap<string, KeyObject>;
  lookupKey: KeyObject;
}

export class PiiDecryptionError extends Error {
  override name = "PiiDecryptionError";
}

/**
 * The keyring from the validated environment. Outside production, keys left
 * unset are derived from the app secret (HKDF), so development and tests run
 * without extra setup; production refuses to start without real keys (env.server.ts).
 */
export function piiKeyringFromEnv(env: Pick<Env, "PII_ENCRYPTION_KEYS" | "PII_LOOKUP_KEY" | "SHOPIFY_API_SECRET">): PiiKeyring {
  const derive = (label: string) => Buffer.from(hkdfSync("sha256", env.SHOPIFY_API_SECRET, "payments-app", label, 32));
  const pairs = env.PII_ENCRYPTION_KEYS
    ? env.PII_ENCRYPTION_KEYS.split(",").map((pair) => {
        const [id = "", encoded = ""] = pair.trim().split(":");
        const key = Buffer.from(encoded, "base64");
        if (key.length !== 32) throw new Error(`PII_ENCRYPTION_KEYS: key "${id}" must be base64 of exactly 32 bytes`);
        return { id, key: secretKey(key) };
      })
    : [{ id: "dev", key: secretKey(derive("pii-encryption")) }];
  const lookupKey = env.PII_LOOKUP_KEY ? Buffer.from(env.PII_LOOKUP_KEY, "base64") : derive("pii-lookup");
  if (lookupKey.length < 32) throw new Error("PII_LOOKUP_KEY must be base64 of at least 32 bytes");
  const current = pairs[0];
  if (!current) throw new Error("PII_ENCRYPTION_KEYS names no key");
  return { current, byId: new Map(pairs.map((pair) => [pair.id, pair.key])), lookupKey: secretKey(lookupKey) };
}

// The associated data of each column, encoded once: a payment receipt encrypts ten
// fields, and the columns are a fixed handful (issue 14).
const associatedData = new Map<string, Buffer>();
function associatedDataOf(context: string): Buffer {
  let aad = associatedData.get(context);
  if (!aad) {
    aad = Buffer.from(context, "utf8");
    // Contexts are column names written in code; the cap only guards against a caller that builds them otherwise.
    if (associatedData.size < 256) associatedData.set(context, aad);
  }
  return aad;
}

/** Encrypts one value for one column (`context`, e.g. "PaymentSession.customerEmail"). */
export function encryptPii(keyring: PiiKeyring, context: string, value: string): string {
  const nonce = pooledRandomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyring.current.key, nonce);
  cipher.setAAD(associatedDataOf(context));
  // GCM is a stream mode: update() returns the whole ciphertext and final() nothing.
  const ciphertext = cipher.update(value, "utf8");
  cipher.final();
  return `${PREFIX}.${keyring.current.id}.${nonce.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}.${ciphertext.toString("base64url")}`;
}

export function encryptOptionalPii(keyring: PiiKeyring, context: string, value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : encryptPii(keyring, context, value);
}

/**
 * Decrypts a stored value. A value without the prefix was stored before
 * encryption was introduced and is returned as it is (re-encrypt those with
 * `npm run privacy -- reencrypt`). A wrong key or a tampered value throws.
 */
export function decryptPii(keyring: PiiKeyring, context: string, stored: string): string {
  if (!isEncryptedPii(stored)) return stored;
  const [, keyId = "", nonce = "", tag = "", ciphertext = ""] = stored.split(".");
  const key = keyring.byId.get(keyId);
  if (!key) throw new PiiDecryptionError(`no key "${keyId}" in PII_ENCRYPTION_KEYS for ${context}; keep retired keys listed until every value is re-encrypted`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64url"));
    decipher.setAAD(associatedDataOf(context));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new PiiDecryptionError(`a stored ${context} value does not decrypt with key "${keyId}"`);
  }
}

export function decryptOptionalPii(keyring: PiiKeyring, context: string, stored: string | null): string | null {
  return stored === null ? null : decryptPii(keyring, context, stored);
}

export function isEncryptedPii(stored: string): boolean {
  return stored.startsWith(`${PREFIX}.`);
}

/** The key id a stored value was encrypted with (null: stored in clear, from before encryption). */
export function piiKeyIdOf(stored: string): string | null {
  return isEncryptedPii(stored) ? (stored.split(".")[1] ?? null) : null;
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();
/** Digits only: Shopify sends "555-625-1199" in webhooks and "+15556251199" in sessions. */
export const normalizePhone = (phone: string) => phone.replace(/\D/g, "");

/** The lookup hash of an email (null when there is none). */
export function emailLookup(keyring: PiiKeyring, email: string | null | undefined): string | null {
  const normalized = email ? normalizeEmail(email) : "";
  return normalized ? lookupHash(keyring, "email", normalized) : null;
}

/**
 * The lookup hash of a phone number, on its last 10 digits: Shopify's webhooks
 * and its session requests do not always write the country code the same way.
 */
export function phoneLookup(keyring: PiiKeyring, phone: string | null | undefined): string | null {
  const digits = phone ? normalizePhone(phone) : "";
  return digits.length >= 6 ? lookupHash(keyring, "phone", digits.slice(-10)) : null;
}

/** A keyed digest of a value derived from personal data (never reversible without PII_LOOKUP_KEY). */
export function keyedDigest(keyring: PiiKeyring, value: string): string {
  return lookupHash(keyring, "digest", value);
}

function lookupHash(keyring: PiiKeyring, kind: string, normalized: string): string {
  return createHmac("sha256", keyring.lookupKey).update(`${kind}:${normalized}`).digest("base64url");
}
