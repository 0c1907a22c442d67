import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";

/**
 * The app's card decryption keys (docs/cards.md), read from
 * CARD_DECRYPTION_KEY_FILE: a PEM file of one or more entries, each an EC
 * P-256 private key (SEC1 "EC PRIVATE KEY" or PKCS#8 "PRIVATE KEY") followed
 * by the certificate Shopify issued for it (text between blocks, and the
 * "EC PARAMETERS" block openssl writes, are ignored). The first key is the primary.
 *
 * A payload names the certificate it was encrypted for by its fingerprint:
 * the SHA-256 of the certificate's DER, in hex, which is what the extension's
 * `encryption_certificate_fingerprint` holds (`openssl x509 -noout
 * -fingerprint -sha256`, colons aside). So keys are found by their
 * certificates, and during a rotation the old and the new key both decrypt.
 *
 * - No fingerprint in the payload → the primary key.
 * - A fingerprint → the key whose certificate has it; none → "unknown_key".
 * - A file of a single key may leave out its certificate: that key then
 *   decrypts every payload whatever fingerprint it names (development, and
 *   Shopify's test certificate, whose extension setting is the literal
 *   "Test Certificate"). The tag check still refuses a payload made for
 *   another key. With several keys each needs its certificate, or a payload
 *   could not be matched to one.
 */

export class CardKeyringError extends Error {
  override name = "CardKeyringError";
}

export interface CardKey {
  privateKey: KeyObject;
  /** Lower-case hex SHA-256 of the certificate's DER; undefined for a lone key given without certificate. */
  fingerprint: string | undefined;
}

export type CardKeyLookup = { ok: true; key: CardKey } | { ok: false; reason: "unknown_key" };

export interface CardKeyring {
  readonly keys: readonly CardKey[];
  keyFor(fingerprint: string | null | undefined): CardKeyLookup;
}

/** Hex SHA-256 of a certificate's DER (what Shopify's fingerprint holds). */
export function certificateFingerprint(certificate: X509Certificate): string {
  return createHash("sha256").update(certificate.raw).digest("hex");
}

/** "AB:CD:…" (openssl's form) and "abcd…" name the same certificate. */
export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint.trim().replaceAll(":", "").toLowerCase();
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?-----END \1-----/g;

export function readCardKeyringFile(file: string): CardKeyring {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new CardKeyringError(`CARD_DECRYPTION_KEY_FILE: cannot read ${file} (${code})`);
  }
  return parseCardKeyring(text, file);
}

/** Parses the key file's text; every problem is a CardKeyringError saying what to fix, never the key itself. */
export function parseCardKeyring(pemText: string, source = "CARD_DECRYPTION_KEY_FILE"): CardKeyring {
  const entries: Array<{ privateKey: KeyObject; certificate?: X509Certificate; index: number }> = [];
  for (const match of pemText.matchAll(PEM_BLOCK)) {
    const [block, label] = match;
    if (label === "EC PRIVATE KEY" || label === "PRIVATE KEY") {
      entries.push({ privateKey: parsePrivateKey(block, source, entries.length + 1), index: entries.length + 1 });
    } else if (label === "CERTIFICATE") {
      const entry = entries.at(-1);
      if (!entry) throw new CardKeyringError(`${source}: a CERTIFICATE comes before any private key; put each certificate after its key`);
      if (entry.certificate) throw new CardKeyringError(`${source}: key ${entry.index} is followed by two certificates; give each key one`);
      entry.certificate = parseCertificate(block, source, entry);
    } else if (label === "EC PARAMETERS") {
      // `openssl ecparam -genkey` (Shopify's instructions) writes the curve's
      // name before the key; the key names its curve itself.
      continue;
    } else if (label === "ENCRYPTED PRIVATE KEY") {
      throw new CardKeyringError(`${source}: key ${entries.length + 1} is encrypted with a passphrase; give the key unencrypted (protect the file instead)`);
    } else {
      throw new CardKeyringError(`${source}: unexpected PEM block "${label}"; the file holds EC private keys, each followed by its certificate`);
    }
  }
  if (entries.length === 0) throw new CardKeyringError(`${source}: no private key found (expected "EC PRIVATE KEY" or "PRIVATE KEY" PEM blocks)`);
  if (entries.length > 1) {
    const bare = entries.find((entry) => !entry.certificate);
    if (bare) throw new CardKeyringError(`${source}: key ${bare.index} has no certificate after it; with several keys each needs its certificate, so payloads can be matched by fingerprint`);
  }
  const keys: CardKey[] = entries.map((entry) => ({
    privateKey: entry.privateKey,
    fingerprint: entry.certificate ? certificateFingerprint(entry.certificate) : undefined,
  }));
  const seen = new Set<string>();
  for (const key of keys) {
    if (key.fingerprint === undefined) continue;
    if (seen.has(key.fingerprint)) throw new CardKeyringError(`${source}: the certificate ${key.fingerprint} appears twice`);
    seen.add(key.fingerprint);
  }
  return createCardKeyring(keys);
}

export function createCardKeyring(keys: readonly CardKey[]): CardKeyring {
  const primary = keys[0];
  if (!primary) throw new CardKeyringError("a card keyring needs at least one key");
  const byFingerprint = new Map(keys.flatMap((key) => (key.fingerprint ? [[key.fingerprint, key] as const] : [])));
  const lone = keys.length === 1 && primary.fingerprint === undefined ? primary : undefined;
  return {
    keys,
    keyFor(fingerprint) {
      if (fingerprint === null || fingerprint === undefined || fingerprint.trim() === "") return { ok: true, key: primary };
      if (lone) return { ok: true, key: lone };
      const key = byFingerprint.get(normalizeFingerprint(fingerprint));
      return key ? { ok: true, key } : { ok: false, reason: "unknown_key" };
    },
  };
}

function parsePrivateKey(pem: string, source: string, index: number): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch {
    throw new CardKeyringError(`${source}: key ${index} is not a readable PEM private key`);
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== "ec" || curve !== "prime256v1") {
    const what = key.asymmetricKeyType === "ec" ? `an EC key on ${curve ?? "an unnamed curve"}` : `a ${key.asymmetricKeyType ?? "unknown"} key`;
    throw new CardKeyringError(`${source}: key ${index} is ${what}; Shopify encrypts cards for EC P-256 (prime256v1) keys only`);
  }
  return key;
}

function parseCertificate(pem: string, source: string, entry: { privateKey: KeyObject; index: number }): X509Certificate {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw new CardKeyringError(`${source}: the certificate after key ${entry.index} is not a readable X.509 certificate`);
  }
  // A certificate of another key would route payloads to a key that cannot
  // decrypt them; catch the mix-up at boot, not at the first card.
  const fromKey = createPublicKey(entry.privateKey).export({ type: "spki", format: "der" });
  const fromCertificate = certificate.publicKey.export({ type: "spki", format: "der" });
  if (!fromKey.equals(fromCertificate)) {
    throw new CardKeyringError(`${source}: the certificate after key ${entry.index} (${certificateFingerprint(certificate)}) is for another key`);
  }
  return certificate;
}
