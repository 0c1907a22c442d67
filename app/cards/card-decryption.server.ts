import { createDecipheriv, createHmac, createPublicKey, diffieHellman, hkdfSync, timingSafeEqual, type KeyObject } from "node:crypto";
import { z } from "zod";
import { Card } from "./card.server";
import type { CardKeyring } from "./card-keyring.server";
import type { EncryptedCard } from "./encrypted-card";

/**
 * Decrypts the card Shopify sends in a credit card payment session (spec
 * §3.3, issue 13 item 2): ECIES on P-256. ECDH between our private key and
 * the payload's ephemeral public key; HKDF-SHA256 (empty salt and info) of the
 * shared secret to 48 bytes; the first 32 are an AES-256-CTR key (IV of 16 zero
 * bytes, safe because every payload has a fresh ephemeral key), the last 16 an
 * HMAC-SHA256 key; the tag is the first 16 bytes of the HMAC of the ciphertext.
 *
 * The tag is checked, in constant time, before anything is decrypted: CTR
 * mode alone would turn a tampered ciphertext into a card with other digits.
 * Hostile input never throws: every failure is one reason of a closed set,
 * which says what went wrong and never carries the payload or the card.
 */

export const CARD_DECRYPTION_FAILURES = [
  "unknown_key",
  "malformed_payload",
  "bad_ephemeral_key",
  "tag_mismatch",
  "not_json",
  "bad_card_document",
] as const;
export type CardDecryptionFailure = (typeof CARD_DECRYPTION_FAILURES)[number];

export type CardDecryptionResult = { ok: true; card: Card } | { ok: false; reason: CardDecryptionFailure };

const FAILURE_DESCRIPTIONS: Record<CardDecryptionFailure, string> = {
  unknown_key: "the payload names a certificate fingerprint none of CARD_DECRYPTION_KEY_FILE's certificates has",
  malformed_payload: "the encrypted message or tag is not base64 of the expected length",
  bad_ephemeral_key: "the ephemeral public key is not a P-256 public key in PEM",
  tag_mismatch: "the tag does not match: the card was encrypted for another key, or altered",
  not_json: "the decrypted payload is not UTF-8 JSON",
  bad_card_document: "the decrypted document is not a card of the expected shape",
};

/** A sentence for the log line that names a failure (never the payload). */
export function describeCardDecryptionFailure(reason: CardDecryptionFailure): string {
  return FAILURE_DESCRIPTIONS[reason];
}

const TAG_BYTES = 16;
const AES_KEY_BYTES = 32;
const DERIVED_BYTES = AES_KEY_BYTES + 16;
const ZERO_IV = Buffer.alloc(16);

/**
 * The decrypted document, `{"type":"card","data":{…}}`. Shopify sends month
 * and year as JSON numbers; digit strings are taken too, as the format of
 * this document is not published (spec §16 item 4) and "04" is unambiguous.
 * The year must have four digits: a two-digit one would have to be guessed.
 * The CVC is 3 or 4 digits, or absent (a card without one, or an order taken
 * by phone; the provider decides whether it needs one); a number is refused,
 * since JSON would have dropped a leading zero. The number must be 12–19
 * digits; the Luhn check and expiry are the provider's decisions (a mistyped
 * or expired card is declined with its reason, not a broken payload).
 * Unknown keys are ignored, so a field Shopify adds breaks nothing.
 */
const integerIn = (min: number, max: number, digits: RegExp) =>
  z.union([z.number().int(), z.string().regex(digits).transform(Number)]).pipe(z.number().int().min(min).max(max));

const cardDocumentSchema = z.object({
  type: z.literal("card"),
  data: z.object({
    pan: z.string().regex(/^\d{12,19}$/),
    month: integerIn(1, 12, /^\d{1,2}$/),
    year: integerIn(1000, 9999, /^\d{4}$/),
    full_name: z.string().max(512),
    verification_value: z
      .union([z.string().regex(/^(\d{3,4})?$/), z.null()])
      .optional()
      .transform((value) => (value ? value : undefined)),
  }),
});

export function decryptCard(keyring: CardKeyring, payload: EncryptedCard): CardDecryptionResult {
  const lookup = keyring.keyFor(payload.fingerprint);
  if (!lookup.ok) return { ok: false, reason: lookup.reason };

  const ciphertext = decodeBase64(payload.encrypted_message);
  const tag = decodeBase64(payload.tag);
  if (!ciphertext || ciphertext.length === 0 || !tag) return { ok: false, reason: "malformed_payload" };

  const ephemeralKey = readEphemeralKey(payload.ephemeral_public_key);
  if (!ephemeralKey) return { ok: false, reason: "bad_ephemeral_key" };

  let sharedSecret: Buffer;
  try {
    sharedSecret = diffieHellman({ privateKey: lookup.key.privateKey, publicKey: ephemeralKey });
  } catch {
    return { ok: false, reason: "bad_ephemeral_key" };
  }
  const derived = Buffer.from(hkdfSync("sha256", sharedSecret, Buffer.alloc(0), Buffer.alloc(0), DERIVED_BYTES));
  sharedSecret.fill(0);
  const aesKey = derived.subarray(0, AES_KEY_BYTES);
  const hmacKey = derived.subarray(AES_KEY_BYTES);

  try {
    if (!tagMatches(hmacKey, ciphertext, tag)) return { ok: false, reason: "tag_mismatch" };
    const decipher = createDecipheriv("aes-256-ctr", aesKey, ZERO_IV);
    // CTR is a stream cipher: update() returns every byte and final() none,
    // so the one buffer holding the plaintext is the one zeroed below.
    const plaintext = decipher.update(ciphertext);
    decipher.final();
    try {
      return parseCardDocument(plaintext);
    } finally {
      plaintext.fill(0);
    }
  } finally {
    derived.fill(0);
  }
}

/** Constant time over the tag's bytes; a tag of another length is refused before the comparison (timingSafeEqual would throw). */
export function tagMatches(hmacKey: Buffer, ciphertext: Buffer, tag: Buffer): boolean {
  const expected = createHmac("sha256", hmacKey).update(ciphertext).digest().subarray(0, TAG_BYTES);
  if (tag.length !== expected.length) return false;
  return timingSafeEqual(expected, tag);
}

function parseCardDocument(plaintext: Buffer): CardDecryptionResult {
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(plaintext));
  } catch {
    return { ok: false, reason: "not_json" };
  }
  const parsed = cardDocumentSchema.safeParse(document);
  if (!parsed.success) return { ok: false, reason: "bad_card_document" };
  const { data } = parsed.data;
  return {
    ok: true,
    card: new Card({
      pan: data.pan,
      verificationValue: data.verification_value,
      fullName: data.full_name,
      expiryMonth: data.month,
      expiryYear: data.year,
    }),
  };
}

/**
 * Standard base64, padded; line breaks and spaces (a MIME encoder's wrapping)
 * are dropped first. Anything else (URL-safe letters, stray characters that
 * Buffer.from would skip silently) is refused.
 */
function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[\r\n\t ]/g, "");
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, "base64");
}

/** A "PUBLIC KEY" PEM of a P-256 point (a trailing newline is fine); not a certificate or private key, which createPublicKey would also take. */
function readEphemeralKey(pem: string): KeyObject | undefined {
  const trimmed = pem.trim();
  if (!/^-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----$/.test(trimmed)) return undefined;
  try {
    const key = createPublicKey({ key: trimmed, format: "pem" });
    if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") return undefined;
    return key;
  } catch {
    return undefined;
  }
}
