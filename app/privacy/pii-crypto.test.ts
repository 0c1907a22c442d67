import { createCipheriv, createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptPii, emailLookup, encryptPii, PiiDecryptionError, phoneLookup, piiKeyringFromEnv, piiKeyIdOf } from "./pii-crypto.server";

const key = () => randomBytes(32).toString("base64");
const SECRET = "0123456789abcdef0123";

describe("customer data encryption", () => {
  it("round-trips a value, never storing it in clear, with a fresh nonce each time", () => {
    const keyring = piiKeyringFromEnv({ SHOPIFY_API_SECRET: SECRET, PII_ENCRYPTION_KEYS: `k1:${key()}` });
    const a = encryptPii(keyring, "PaymentSession.customerEmail", "buyer@example.com");
    const b = encryptPii(keyring, "PaymentSession.customerEmail", "buyer@example.com");
    expect(a).not.toContain("buyer");
    expect(a).not.toBe(b);
    expect(piiKeyIdOf(a)).toBe("k1");
    expect(decryptPii(keyring, "PaymentSession.customerEmail", a)).toBe("buyer@example.com");
  });

  it("reads and finds what was stored with the keys' bytes: the keys held as KeyObjects change no stored value", () => {
    const encryption = randomBytes(32);
    const lookup = randomBytes(32);
    const keyring = piiKeyringFromEnv({ SHOPIFY_API_SECRET: SECRET, PII_ENCRYPTION_KEYS: `k1:${encryption.toString("base64")}`, PII_LOOKUP_KEY: lookup.toString("base64") });
    // Sealed by hand in the stored form (pii1.{key id}.{nonce}.{tag}.{ciphertext}), with the raw key.
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", encryption, nonce);
    cipher.setAAD(Buffer.from("PaymentSession.customerEmail"));
    const ciphertext = cipher.update("buyer@example.com", "utf8");
    cipher.final();
    const b64 = (bytes: Buffer) => bytes.toString("base64url");
    const stored = `pii1.k1.${b64(nonce)}.${b64(cipher.getAuthTag())}.${b64(ciphertext)}`;
    expect(decryptPii(keyring, "PaymentSession.customerEmail", stored)).toBe("buyer@example.com");
    expect(emailLookup(keyring, " Buyer@Example.com ")).toBe(createHmac("sha256", lookup).update("email:buyer@example.com").digest("base64url"));
  });

  it("after a rotation writes with the new key and still reads values written with the old one", () => {
    const old = key();
    const before = piiKeyringFromEnv({ SHOPIFY_API_SECRET: SECRET, PII_ENCRYPTION_KEYS: `k1:${old}` });
    const stored = encryptPii(before, "PaymentAddress.line1", "10 Downing Street");
    const after = piiKeyringFromEnv({ SHOPIFY_API_SECRET: SECRET, PII_ENCRYPTION_KEYS: `k2:${key()},k1:${old}` });
    expect(piiKeyIdOf(encryptPii(after, "PaymentAddress.line1", "x"))).toBe("k2");
    expect(decryptPii(after, "PaymentAddress.line1", stored)).toBe("10 Downing Street");
    const retired = piiKeyringFromEnv({ SHOPIFY_API_SECRET: SECRET, PII_ENCRYPTION_KEYS: `k2:${key()}` });
    expect(() => decryptPii(retired, "PaymentAddress.line1", stored)).toThrow(PiiDecryptionError);
  });

  it("refuses a value moved to another column or tampered with", () => {
    const keyring = piiKeyringFromEnv({ SHOPIFY_API_SECRET: SECRET });
    const stored = encryptPii(keyring, "PaymentSession.customerEmail", "buyer@example.com");
    expect(() => decryptPii(keyring, "PaymentSession.customerPhoneNumber", stored)).toThrow(PiiDecryptionError);
    // Flip one bit of the ciphertext's first byte (a character swap could land on base64 padding bits).
    const parts = stored.split(".");
    const ciphertext = Buffer.from(parts[4] ?? "", "base64url");
    ciphertext[0] = (ciphertext[0] ?? 0) ^ 1;
    const flipped = [...parts.slice(0, 4), ciphertext.toString("base64url")].join(".");
    expect(flipped).not.toBe(stored);
    expect(() => decryptPii(keyring, "PaymentSession.customerEmail", flipped)).toThrow(PiiDecryptionError);
  });

  it("reads values stored in clear before encryption was introduced as they are", () => {
    const keyring = piiKeyringFromEnv({ SHOPIFY_API_SECRET: SECRET });
    expect(decryptPii(keyring, "PaymentSession.customerEmail", "old@example.com")).toBe("old@example.com");
  });

  it("finds a customer by normalized email and by the last 10 digits of the phone, with keyed hashes", () => {
    const keyring = piiKeyringFromEnv({ SHOPIFY_API_SECRET: SECRET, PII_LOOKUP_KEY: key() });
    expect(emailLookup(keyring, " John@Example.com ")).toBe(emailLookup(keyring, "john@example.com"));
    expect(phoneLookup(keyring, "555-625-1199")).toBe(phoneLookup(keyring, "+1 (555) 625-1199"));
    expect(emailLookup(keyring, "john@example.com")).not.toContain("john");
    const other = piiKeyringFromEnv({ SHOPIFY_API_SECRET: SECRET, PII_LOOKUP_KEY: key() });
    expect(emailLookup(other, "john@example.com")).not.toBe(emailLookup(keyring, "john@example.com"));
    expect([emailLookup(keyring, ""), phoneLookup(keyring, null)]).toEqual([null, null]);
  });
});
