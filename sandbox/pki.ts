// @peculiar/x509 resolves its services through tsyringe, which needs this polyfill.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY = 86_400_000;

interface Issued {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  pem: string;
  keyPem: string;
}

async function keyPem(keys: CryptoKeyPair): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  const body = Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n").trim();
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
}

interface IssueOptions {
  subject: string;
  issuer?: Issued;
  ca?: boolean;
  usage?: "client" | "server";
  notBefore?: Date;
  notAfter?: Date;
}

async function issue(options: IssueOptions): Promise<Issued> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const extensions: x509.Extension[] = [];
  if (options.ca) {
    extensions.push(new x509.BasicConstraintsExtension(true, undefined, true));
    extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true));
  } else {
    extensions.push(new x509.BasicConstraintsExtension(false, undefined, true));
    extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true));
    extensions.push(
      new x509.ExtendedKeyUsageExtension([options.usage === "server" ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    );
    if (options.usage === "server") {
      extensions.push(new x509.SubjectAlternativeNameExtension([{ type: "ip", value: "127.0.0.1" }, { type: "dns", value: "localhost" }]));
    }
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString("hex").replace(/^[89a-f]/, "1"),
    subject: options.subject,
    issuer: options.issuer?.cert.subject ?? options.subject,
    notBefore: options.notBefore ?? new Date(Date.now() - DAY),
    notAfter: options.notAfter ?? new Date(Date.now() + 365 * DAY),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: (options.issuer?.keys ?? keys).privateKey,
    extensions,
  });
  return { cert, keys, pem: cert.toString("pem") + "\n", keyPem: await keyPem(keys) };
}

export interface LocalPki {
  dir: string;
  /** Files for the app: MTLS_CA_FILE (the root only, as Shopify's bundle), TLS_CERT_FILE, TLS_KEY_FILE. */
  files: { ca: string; serverCert: string; serverKey: string; serverCa: string; shopifyCert: string; shopifyKey: string };
  /** Trust for clients of the app's HTTPS listener. */
  serverCa: string;
  /** Leaf + intermediate, the way Shopify presents its chain. */
  shopify: { cert: string; key: string };
  expired: { cert: string; key: string };
  stranger: { cert: string; key: string };
}

/**
 * A Shopify-like PKI made locally (spec §11: Shopify's CA cannot be used here):
 * a root CA, an intermediate, a client certificate issued by the intermediate as
 * Shopify presents it, an expired one, one from another CA, and the app's own
 * server certificate for localhost. Written as PEM files into `dir` (a new
 * temporary folder when not given).
 */
export async function createLocalPki(dir = mkdtempSync(path.join(tmpdir(), "payments-app-pki-"))): Promise<LocalPki> {
  const root = await issue({ subject: "CN=Test Payments Platform Root CA, O=Test", ca: true });
  const intermediate = await issue({ subject: "CN=Test Payments Platform Secondary CA, O=Test", issuer: root, ca: true });
  const client = await issue({ subject: "CN=payments.test-shopify.example, O=Test", issuer: intermediate, usage: "client" });
  const expired = await issue({
    subject: "CN=expired.test-shopify.example, O=Test",
    issuer: intermediate,
    usage: "client",
    notBefore: new Date(Date.now() - 10 * DAY),
    notAfter: new Date(Date.now() - DAY),
  });
  const otherRoot = await issue({ subject: "CN=Someone Else Root CA, O=Elsewhere", ca: true });
  const stranger = await issue({ subject: "CN=not-shopify.example, O=Elsewhere", issuer: otherRoot, usage: "client" });
  const serverRoot = await issue({ subject: "CN=Test Server Root CA, O=Test", ca: true });
  const server = await issue({ subject: "CN=localhost", issuer: serverRoot, usage: "server" });

  mkdirSync(dir, { recursive: true });
  const files = {
    ca: path.join(dir, "shopify-ca.pem"),
    serverCert: path.join(dir, "server.pem"),
    serverKey: path.join(dir, "server-key.pem"),
    serverCa: path.join(dir, "server-ca.pem"),
    shopifyCert: path.join(dir, "shopify-client.pem"),
    shopifyKey: path.join(dir, "shopify-client-key.pem"),
  };
  writeFileSync(files.ca, root.pem);
  writeFileSync(files.serverCert, server.pem);
  writeFileSync(files.serverKey, server.keyPem, { mode: 0o600 });
  writeFileSync(files.serverCa, serverRoot.pem);
  writeFileSync(files.shopifyCert, client.pem + intermediate.pem);
  writeFileSync(files.shopifyKey, client.keyPem, { mode: 0o600 });
  return {
    dir,
    files,
    serverCa: serverRoot.pem,
    shopify: { cert: client.pem + intermediate.pem, key: client.keyPem },
    expired: { cert: expired.pem + intermediate.pem, key: expired.keyPem },
    stranger: { cert: stranger.pem + otherRoot.pem, key: stranger.keyPem },
  };
}
