import { createHash, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDevelopmentCardKey } from "../../sandbox/card-keys";
import { CardKeyringError, parseCardKeyring, readCardKeyringFile } from "./card-keyring.server";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir() {
  const dir = mkdtempSync(path.join(tmpdir(), "card-keyring-"));
  dirs.push(dir);
  return dir;
}

async function certifiedKey() {
  const key = await createDevelopmentCardKey(tempDir());
  const entryPem = readFileSync(key.keyFile, "utf8");
  const [keyPem = ""] = entryPem.split(/(?=-----BEGIN CERTIFICATE-----)/);
  return { ...key, entryPem, keyPem };
}

const ecKey = (namedCurve: string) => generateKeyPairSync("ec", { namedCurve }).privateKey;

function refusal(pem: string): string {
  try {
    parseCardKeyring(pem, "keys.pem");
  } catch (error) {
    expect(error).toBeInstanceOf(CardKeyringError);
    return (error as Error).message;
  }
  throw new Error("expected the key file to be refused");
}

describe("the card decryption keyring (CARD_DECRYPTION_KEY_FILE)", () => {
  it("loads a SEC1 key with openssl's EC PARAMETERS block, and a PKCS#8 key", () => {
    const key = ecKey("prime256v1");
    const sec1 = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + key.export({ type: "sec1", format: "pem" }).toString();
    const pkcs8 = key.export({ type: "pkcs8", format: "pem" }).toString();
    for (const pem of [sec1, pkcs8, pkcs8.replace(/\n/g, "\r\n")]) {
      const keyring = parseCardKeyring(pem);
      expect(keyring.keys).toHaveLength(1);
      expect(keyring.keys[0]?.fingerprint).toBeUndefined();
    }
  });

  it("reads a file of several keys, each followed by its certificate, first one primary", async () => {
    const [a, b] = [await certifiedKey(), await certifiedKey()];
    const file = path.join(tempDir(), "keys.pem");
    writeFileSync(file, `# rotated in 2026-12\n${b.entryPem}\n${a.entryPem}`);
    const keyring = readCardKeyringFile(file);
    expect(keyring.keys.map((key) => key.fingerprint)).toEqual([b.fingerprint, a.fingerprint]);
    expect(keyring.keyFor(undefined)).toMatchObject({ ok: true, key: { fingerprint: b.fingerprint } });
    expect(keyring.keyFor(a.fingerprint.toUpperCase())).toMatchObject({ ok: true, key: { fingerprint: a.fingerprint } });
    expect(keyring.keyFor("00".repeat(32))).toEqual({ ok: false, reason: "unknown_key" });
  });

  it("computes the fingerprint as openssl x509 -fingerprint -sha256 does (SHA-256 of the certificate's DER)", async () => {
    const key = await certifiedKey();
    const der = Buffer.from(key.certificatePem.replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
    expect(parseCardKeyring(key.entryPem).keys[0]?.fingerprint).toBe(createHash("sha256").update(der).digest("hex"));
  });

  it("refuses a key that is not P-256, saying which it is", () => {
    expect(refusal(ecKey("secp384r1").export({ type: "pkcs8", format: "pem" }).toString())).toMatch(/key 1 is an EC key on secp384r1; .*P-256/);
    expect(refusal(ecKey("secp256k1").export({ type: "sec1", format: "pem" }).toString())).toMatch(/secp256k1/);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(refusal(rsa)).toMatch(/key 1 is a rsa key; .*P-256/);
    const ed = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(refusal(ed)).toMatch(/ed25519/);
  });

  it("refuses files it cannot use, with a message that says what to do and never the key", async () => {
    const [a, b] = [await certifiedKey(), await certifiedKey()];
    const encrypted = ecKey("prime256v1").export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "secret" }).toString();
    const cases: Array<[string, RegExp]> = [
      ["", /no private key found/],
      [a.certificatePem, /CERTIFICATE comes before any private key/],
      [a.keyPem + b.certificatePem, /certificate after key 1 .* is for another key/],
      [a.entryPem + b.keyPem, /key 2 has no certificate after it/],
      [a.entryPem + a.entryPem, /appears twice/],
      [a.entryPem + a.certificatePem, /followed by two certificates/],
      [encrypted, /encrypted with a passphrase/],
      [generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "pem" }).toString(), /unexpected PEM block "PUBLIC KEY"/],
      ["-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n", /key 1 is not a readable PEM private key/],
      [a.keyPem + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", /not a readable X.509 certificate/],
    ];
    for (const [pem, message] of cases) {
      const text = refusal(pem);
      expect(text).toMatch(message);
      expect(text).toMatch(/^keys\.pem: /);
      expect(text).not.toContain("PRIVATE KEY-----");
    }
  });

  it("says which file it cannot read", () => {
    expect(() => readCardKeyringFile("/nonexistent/card-key.pem")).toThrow(/CARD_DECRYPTION_KEY_FILE: cannot read \/nonexistent\/card-key\.pem \(ENOENT\)/);
  });
});
