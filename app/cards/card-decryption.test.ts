import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDevelopmentCardKey } from "../../sandbox/card-keys";
import { cardDocument, encryptCardForApp, encryptPlaintextForApp, type ShopifyEncryptedCard } from "../../sandbox/shopify/card-encryption";
import { decryptCard, describeCardDecryptionFailure, tagMatches, type CardDecryptionFailure, type CardDecryptionResult } from "./card-decryption.server";
import { parseCardKeyring, type CardKeyring } from "./card-keyring.server";
import { encryptedCardSchema } from "./encrypted-card";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh P-256 key, as the SEC1 PEM openssl writes (`openssl ecparam -genkey`). */
function freshKey() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return { publicKey, sec1: privateKey.export({ type: "sec1", format: "pem" }).toString(), pkcs8: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}

async function certifiedKey() {
  const dir = mkdtempSync(path.join(tmpdir(), "card-keys-"));
  dirs.push(dir);
  const key = await createDevelopmentCardKey(dir);
  return { ...key, entryPem: readFileSync(key.keyFile, "utf8") };
}

const CARD = cardDocument({ pan: "4242424242424242", month: 12, year: 2029, fullName: "Jim Smith", cvc: "234" });

function failure(result: CardDecryptionResult): CardDecryptionFailure | "ok" {
  return result.ok ? "ok" : result.reason;
}

/** Flips one bit of a base64 field's first byte (a character swap could land on padding bits). */
function flipFirstBit(base64: string): string {
  const bytes = Buffer.from(base64, "base64");
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  return bytes.toString("base64");
}

describe("decrypting Shopify's encrypted card", () => {
  const key = freshKey();
  const keyring: CardKeyring = parseCardKeyring(key.sec1);

  it("reads back the card Shopify encrypted for our key: number, CVC, name and expiry", () => {
    const payload = encryptCardForApp({ publicKey: key.publicKey }, CARD);
    expect(payload.ephemeral_public_key).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    expect(Buffer.from(payload.tag, "base64")).toHaveLength(16);
    const result = decryptCard(keyring, payload);
    if (!result.ok) throw new Error(`expected a card, got ${result.reason}`);
    expect(result.card.pan).toBe("4242424242424242");
    expect(result.card.verificationValue).toBe("234");
    expect(result.card.fullName).toBe("Jim Smith");
    expect([result.card.expiryMonth, result.card.expiryYear]).toEqual([12, 2029]);
    expect(result.card.summary()).toEqual({ brand: "visa", last4: "4242", expiryMonth: 12, expiryYear: 2029, initials: "JS" });
  });

  it("decrypts with a PKCS#8 key as with a SEC1 one", () => {
    const payload = encryptCardForApp({ publicKey: key.publicKey }, CARD);
    expect(failure(decryptCard(parseCardKeyring(key.pkcs8), payload))).toBe("ok");
  });

  it("takes an ephemeral key without its trailing newline, and a message wrapped in lines", () => {
    const payload = encryptCardForApp({ publicKey: key.publicKey }, CARD);
    const wrapped = payload.encrypted_message.replace(/(.{60})/g, "$1\n");
    expect(failure(decryptCard(keyring, { ...payload, ephemeral_public_key: payload.ephemeral_public_key.trimEnd(), encrypted_message: wrapped }))).toBe("ok");
  });

  it("refuses a tampered tag", () => {
    const payload = encryptCardForApp({ publicKey: key.publicKey }, CARD);
    expect(failure(decryptCard(keyring, { ...payload, tag: flipFirstBit(payload.tag) }))).toBe("tag_mismatch");
  });

  it("refuses a tampered ciphertext before decrypting it (CTR would yield other digits)", () => {
    const payload = encryptCardForApp({ publicKey: key.publicKey }, CARD);
    expect(failure(decryptCard(keyring, { ...payload, encrypted_message: flipFirstBit(payload.encrypted_message) }))).toBe("tag_mismatch");
  });

  it("refuses a card encrypted for another key", () => {
    const payload = encryptCardForApp({ publicKey: freshKey().publicKey }, CARD);
    expect(failure(decryptCard(keyring, payload))).toBe("tag_mismatch");
  });

  it("refuses a tag of another length without throwing (timingSafeEqual would)", () => {
    const payload = encryptCardForApp({ publicKey: key.publicKey }, CARD);
    const full = Buffer.from(payload.tag, "base64");
    for (const tag of [full.subarray(0, 15), Buffer.concat([full, Buffer.alloc(16)]), Buffer.alloc(0)]) {
      expect(failure(decryptCard(keyring, { ...payload, tag: tag.toString("base64") }))).toBe("tag_mismatch");
    }
    expect(tagMatches(randomBytes(16), Buffer.from("x"), Buffer.alloc(3))).toBe(false);
  });

  it("refuses an ephemeral key that is not a P-256 public key in PEM", () => {
    const payload = encryptCardForApp({ publicKey: key.publicKey }, CARD);
    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).publicKey.export({ type: "spki", format: "pem" }).toString();
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" }).toString();
    const body = payload.ephemeral_public_key.split("\n")[1] ?? "";
    // The same key with one changed coordinate byte: no longer a point on the curve.
    const der = Buffer.from(payload.ephemeral_public_key.replace(/-----[A-Z ]+-----|\n/g, ""), "base64");
    der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 1;
    const offCurve = `-----BEGIN PUBLIC KEY-----\n${der.toString("base64")}\n-----END PUBLIC KEY-----\n`;
    for (const ephemeral of [p384, rsa, "", "not a key", body, key.sec1, offCurve, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"]) {
      expect(failure(decryptCard(keyring, { ...payload, ephemeral_public_key: ephemeral })), ephemeral.slice(0, 40)).toBe("bad_ephemeral_key");
    }
  });

  it("refuses a message or tag that is not base64", () => {
    const payload = encryptCardForApp({ publicKey: key.publicKey }, CARD);
    for (const broken of [{ encrypted_message: "" }, { encrypted_message: "%%%%" }, { encrypted_message: payload.encrypted_message.slice(1) }, { tag: "ab_-" }, { tag: "abc" }]) {
      expect(failure(decryptCard(keyring, { ...payload, ...broken }))).toBe("malformed_payload");
    }
  });

  it("refuses a plaintext that is not JSON, or not UTF-8", () => {
    for (const plaintext of [Buffer.from("card: 4242424242424242"), Buffer.from([0xff, 0xfe, 0x7b, 0x7d])]) {
      expect(failure(decryptCard(keyring, encryptPlaintextForApp({ publicKey: key.publicKey }, plaintext)))).toBe("not_json");
    }
  });

  const wrongDocuments: Array<[string, unknown]> = [
    ["another type", { ...CARD, type: "network_token" }],
    ["no data", { type: "card" }],
    ["a JSON array", [CARD]],
    ["a number with a space", { type: "card", data: { ...CARD.data, pan: "4242 4242 4242 4242" } }],
    ["a number too short", { type: "card", data: { ...CARD.data, pan: "42424242424" } }],
    ["a number too long", { type: "card", data: { ...CARD.data, pan: "42424242424242424242" } }],
    ["a number as a JSON number", { type: "card", data: { ...CARD.data, pan: 4242424242424242 } }],
    ["month 13", { type: "card", data: { ...CARD.data, month: 13 } }],
    ["month 0", { type: "card", data: { ...CARD.data, month: 0 } }],
    ["a fractional month", { type: "card", data: { ...CARD.data, month: 1.5 } }],
    ["a two-digit year", { type: "card", data: { ...CARD.data, year: 29 } }],
    ["a two-digit year as text", { type: "card", data: { ...CARD.data, year: "29" } }],
    ["a CVC of two digits", { type: "card", data: { ...CARD.data, verification_value: "12" } }],
    ["a CVC of five digits", { type: "card", data: { ...CARD.data, verification_value: "12345" } }],
    ["a CVC as a JSON number (a leading zero would be lost)", { type: "card", data: { ...CARD.data, verification_value: 123 } }],
    ["no name", { type: "card", data: { pan: "4242424242424242", month: 1, year: 2030 } }],
  ];
  it.each(wrongDocuments)("refuses a card document with %s", (_what, document) => {
    const payload = encryptPlaintextForApp({ publicKey: key.publicKey }, Buffer.from(JSON.stringify(document)));
    expect(failure(decryptCard(keyring, payload))).toBe("bad_card_document");
  });

  it("accepts a month and year given as digits, and a card without CVC", () => {
    const documents: Array<[Record<string, unknown>, string | undefined]> = [
      [{ ...CARD.data, month: "04", year: "2031" }, "234"],
      [{ full_name: "A B", pan: "4242424242424242", month: 4, year: 2031 }, undefined],
      [{ ...CARD.data, month: 4, year: 2031, verification_value: "" }, undefined],
      [{ ...CARD.data, month: 4, year: 2031, verification_value: null, brand: "visa" }, undefined],
    ];
    for (const [data, cvc] of documents) {
      const result = decryptCard(keyring, encryptPlaintextForApp({ publicKey: key.publicKey }, Buffer.from(JSON.stringify({ type: "card", data }))));
      if (!result.ok) throw new Error(`expected a card, got ${result.reason} for ${JSON.stringify(Object.keys(data))}`);
      expect([result.card.expiryMonth, result.card.expiryYear, result.card.verificationValue]).toEqual([4, 2031, cvc]);
    }
  });

  it("names every failure without the payload, and never throws on hostile input", () => {
    const payload = encryptCardForApp({ publicKey: key.publicKey }, CARD);
    const hostile: ShopifyEncryptedCard[] = [
      { ...payload, ephemeral_public_key: "-----BEGIN PUBLIC KEY-----\n" + "A".repeat(2000) + "\n-----END PUBLIC KEY-----" },
      { ...payload, encrypted_message: "=".repeat(8) },
      { ...payload, tag: "====" },
      { encrypted_message: "AAAA", ephemeral_public_key: payload.ephemeral_public_key, tag: payload.tag },
    ];
    for (const input of hostile) {
      const result = decryptCard(keyring, input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(describeCardDecryptionFailure(result.reason)).not.toContain(input.encrypted_message);
        expect(JSON.stringify(result)).toBe(JSON.stringify({ ok: false, reason: result.reason }));
      }
    }
  });
});

describe("choosing the key by the certificate's fingerprint", () => {
  it("decrypts with the key whose certificate the payload names, old or new, during a rotation", async () => {
    const [current, next] = [await certifiedKey(), await certifiedKey()];
    const keyring = parseCardKeyring(current.entryPem + next.entryPem);
    for (const key of [current, next]) {
      const payload = encryptCardForApp({ certificatePem: key.certificatePem }, CARD);
      expect(payload.fingerprint).toBe(key.fingerprint);
      expect(failure(decryptCard(keyring, payload))).toBe("ok");
      expect(keyring.keyFor(payload.fingerprint)).toMatchObject({ ok: true, key: { fingerprint: key.fingerprint } });
    }
  });

  it("uses the primary (first) key when the payload names no certificate", async () => {
    const [current, next] = [await certifiedKey(), await certifiedKey()];
    const keyring = parseCardKeyring(current.entryPem + next.entryPem);
    const { fingerprint: _left, ...forCurrent } = encryptCardForApp({ certificatePem: current.certificatePem }, CARD);
    expect(failure(decryptCard(keyring, forCurrent))).toBe("ok");
    expect(failure(decryptCard(keyring, { ...forCurrent, fingerprint: null }))).toBe("ok");
    const { fingerprint: _too, ...forNext } = encryptCardForApp({ certificatePem: next.certificatePem }, CARD);
    expect(failure(decryptCard(keyring, forNext))).toBe("tag_mismatch");
  });

  it("refuses a payload for a certificate it has no key for, and matches openssl's colon form", async () => {
    const [current, retired] = [await certifiedKey(), await certifiedKey()];
    const keyring = parseCardKeyring(current.entryPem);
    expect(failure(decryptCard(keyring, encryptCardForApp({ certificatePem: retired.certificatePem }, CARD)))).toBe("unknown_key");
    const payload = encryptCardForApp({ certificatePem: current.certificatePem }, CARD);
    const openssl = (payload.fingerprint ?? "").toUpperCase().replace(/(..)(?!$)/g, "$1:");
    expect(failure(decryptCard(keyring, { ...payload, fingerprint: openssl }))).toBe("ok");
  });

  it("with a single key given without certificate, decrypts whatever fingerprint the payload names", () => {
    const key = freshKey();
    const keyring = parseCardKeyring(key.sec1);
    const payload = encryptCardForApp({ publicKey: key.publicKey }, CARD);
    for (const fingerprint of ["Test Certificate", "ab".repeat(32), undefined]) {
      expect(failure(decryptCard(keyring, { ...payload, fingerprint }))).toBe("ok");
    }
  });
});

describe("a frozen vector", () => {
  // Made once with sandbox/shopify/card-encryption.ts, after checking that
  // construction against a third party's decryption of a payload in Shopify's
  // format, and decrypted once by hand another way (createECDH, HKDF written
  // out from RFC 5869) to the same tag and document. It keeps the app honest if the sandbox and the app ever change
  // together: the round trips above would still pass, this would not.
  const KEY = [
    "-----BEGIN EC PRIVATE KEY-----",
    "MHcCAQEEIPN0GG6EpbhT1MdEIYONTuB1gogQF4ncJsiO2yz/7OjLoAoGCCqGSM49",
    "AwEHoUQDQgAENqvfW4rzj7Xqk+XJx7ziqcqvyeuca2hLXwwI/cbLwD5lAvxVI5Z9",
    "9H+AEPUfYcBW4p0U+8zF4sYTMZgPJACmrg==",
    "-----END EC PRIVATE KEY-----",
    "",
  ].join("\n");
  const PAYLOAD = {
    encrypted_message:
      "Tr4FN6971iGqq/Ex/lsmwdbJmkun96LhWDMQJP2CA0QUTTpewD5noIpKX5XRenqPPDv2IboOPnLQK+pksWtC7rebne8qZ+Hkw/sO9lbFDtRfdPH9W4McA6HL5JCx9RhGfGmZFl1//VdFy76hnn1Q2fwKFnON+yqY1Q264cc=",
    ephemeral_public_key:
      "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+ORQkjSuS44UOuGnZUK8q8clGbyB\n2DLX2R1nbB4BhjNQ0n2hmDby0B0RHhT2kD1aLSiXTcBPe6gUCoTg2QZ/rg==\n-----END PUBLIC KEY-----\n",
    tag: "IMVnnKa3plK2nbw3BwvJ1g==",
  };

  it("decrypts to the card it was made from", () => {
    const result = decryptCard(parseCardKeyring(KEY), PAYLOAD);
    if (!result.ok) throw new Error(`expected a card, got ${result.reason}`);
    expect([result.card.pan, result.card.verificationValue, result.card.fullName]).toEqual(["5555555555554444", "019", "Ada Lovelace"]);
    expect(`${result.card}`).toBe("Mastercard •••• 4444, 03/2030");
  });

  it("fits the request schema the edge validates payment_method.data with", () => {
    expect(encryptedCardSchema.safeParse({ ...PAYLOAD, fingerprint: "ab".repeat(32), moto: false }).success).toBe(true);
    expect(encryptedCardSchema.safeParse({ ...PAYLOAD, fingerprint: null }).success).toBe(true);
    expect(encryptedCardSchema.safeParse({ ...PAYLOAD, encrypted_message: "A".repeat(8196) }).success).toBe(false);
    expect(encryptedCardSchema.safeParse({ ...PAYLOAD, tag: undefined }).success).toBe(false);
  });
});
