import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decryptCard } from "../app/cards/card-decryption.server";
import { readCardKeyringFile } from "../app/cards/card-keyring.server";
import { ROOT } from "../test/support/paths";
import { createDevelopmentCardKey } from "./card-keys";
import { cardDocument, encryptCardForApp } from "./shopify/card-encryption";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir() {
  const dir = mkdtempSync(path.join(tmpdir(), "dev-card-key-"));
  dirs.push(dir);
  return dir;
}

describe("the development card key pair", () => {
  it("is a key file the app loads and a certificate the sandbox encrypts cards for", async () => {
    const key = await createDevelopmentCardKey(tempDir());
    expect(statSync(key.keyFile).mode & 0o077).toBe(0);
    const keyFile = readFileSync(key.keyFile, "utf8");
    expect(keyFile).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n[\s\S]+-----END EC PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\n/);
    expect(readFileSync(key.certificateFile, "utf8")).not.toContain("PRIVATE KEY");

    const keyring = readCardKeyringFile(key.keyFile);
    expect(keyring.keys.map((k) => k.fingerprint)).toEqual([key.fingerprint]);
    const payload = encryptCardForApp({ certificatePem: readFileSync(key.certificateFile, "utf8") }, cardDocument({ pan: "4242424242424242", month: 12, year: 2029, fullName: "Jim Smith", cvc: "123" }));
    expect(payload.fingerprint).toBe(key.fingerprint);
    const result = decryptCard(keyring, payload);
    expect(result.ok && `${result.card}`).toBe("Visa •••• 4242, 12/2029");
  });

  it("is written by scripts/card-keys.ts, which prints what to configure", async () => {
    const dir = tempDir();
    const output = await new Promise<string>((resolve, reject) => {
      execFile(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/card-keys.ts", dir], { cwd: ROOT }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    });
    const keyFile = path.join(dir, "card-decryption-key.pem");
    const fingerprint = readCardKeyringFile(keyFile).keys[0]?.fingerprint ?? "none";
    expect(output).toContain(`CARD_DECRYPTION_KEY_FILE=${keyFile}`);
    expect(output).toContain(`encryption_certificate_fingerprint = "${fingerprint}"`);
    expect(output).not.toContain("PRIVATE KEY");
  });
});
