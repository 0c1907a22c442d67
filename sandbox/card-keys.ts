// @peculiar/x509 resolves its services through tsyringe, which needs this polyfill.
import "reflect-metadata";
import { createPrivateKey, createHash, webcrypto } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const DAY = 86_400_000;

export interface DevelopmentCardKey {
  /** CARD_DECRYPTION_KEY_FILE for the app: the private key (SEC1, as openssl writes it) then its certificate. */
  keyFile: string;
  /** The certificate alone: what Shopify (here, the sandbox) encrypts cards for. */
  certificateFile: string;
  certificatePem: string;
  /** What the extension's `encryption_certificate_fingerprint` would hold: hex SHA-256 of the certificate's DER. */
  fingerprint: string;
}

/**
 * A development card-encryption key pair (issue 13 item 7), in `dir`. In
 * production Shopify issues the certificate for the app's key (docs/cards.md);
 * here the certificate is self-signed, which the app does not mind: it only
 * uses the certificate to know the key's fingerprint.
 */
export async function createDevelopmentCardKey(dir: string, options: { subject?: string; validDays?: number } = {}): Promise<DevelopmentCardKey> {
  const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString("hex").replace(/^[89a-f]/, "1"),
    name: options.subject ?? "C=CA, ST=ON, L=Ottawa, O=Payments App Development, CN=payments-app card encryption (development)",
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + (options.validDays ?? 3650) * DAY),
    signingAlgorithm: algorithm,
    keys,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
  const sec1Pem = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }).export({ type: "sec1", format: "pem" }).toString();
  const certificatePem = certificate.toString("pem") + "\n";

  mkdirSync(dir, { recursive: true });
  const keyFile = path.join(dir, "card-decryption-key.pem");
  const certificateFile = path.join(dir, "card-encryption-certificate.pem");
  writeFileSync(keyFile, sec1Pem + certificatePem, { mode: 0o600 });
  writeFileSync(certificateFile, certificatePem);
  return { keyFile, certificateFile, certificatePem, fingerprint: createHash("sha256").update(Buffer.from(certificate.rawData)).digest("hex") };
}
