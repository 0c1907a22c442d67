import { createCipheriv, createHash, createHmac, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, X509Certificate, type KeyObject } from "node:crypto";

/**
 * Shopify's side of onsite card payments (spec §3.3): the card the buyer typed
 * at checkout, encrypted for the app's certificate the way Shopify does it,
 * as `payment_method.data` of the payment session. Written from the
 * description, independently of the app's decryption (app/cards/), so that the
 * two meeting in the tests says something.
 */

/** The card document Shopify encrypts (keys as Shopify sends them). */
export interface ShopifyCardDocument {
  type: "card";
  data: { full_name: string; pan: string; month: number; year: number; verification_value?: string };
}

export interface ShopifyEncryptedCard {
  encrypted_message: string;
  ephemeral_public_key: string;
  tag: string;
  /** The certificate's fingerprint; left out when encrypting for a bare public key. */
  fingerprint?: string;
}

/** The app's encryption certificate (PEM), or a bare public key when a test needs no certificate. */
export type CardRecipient = { certificatePem: string } | { publicKey: KeyObject | string };

export function cardDocument(card: { pan: string; month: number; year: number; fullName: string; cvc?: string }): ShopifyCardDocument {
  return {
    type: "card",
    data: { full_name: card.fullName, pan: card.pan, month: card.month, year: card.year, ...(card.cvc === undefined ? {} : { verification_value: card.cvc }) },
  };
}

/** Encrypts a card document for the app. */
export function encryptCardForApp(recipient: CardRecipient, document: ShopifyCardDocument): ShopifyEncryptedCard {
  return encryptPlaintextForApp(recipient, Buffer.from(JSON.stringify(document), "utf8"));
}

/** Encrypts any bytes as Shopify would a card (the tests send what Shopify never would). */
export function encryptPlaintextForApp(recipient: CardRecipient, plaintext: Buffer): ShopifyEncryptedCard {
  const { publicKey, fingerprint } = resolveRecipient(recipient);
  // A fresh key pair for every message: it is what makes a zero IV safe.
  const ephemeral = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const sharedSecret = diffieHellman({ privateKey: ephemeral.privateKey, publicKey });
  const derived = Buffer.from(hkdfSync("sha256", sharedSecret, Buffer.alloc(0), Buffer.alloc(0), 48));
  const cipher = createCipheriv("aes-256-ctr", derived.subarray(0, 32), Buffer.alloc(16));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = createHmac("sha256", derived.subarray(32)).update(ciphertext).digest().subarray(0, 16);
  return {
    encrypted_message: ciphertext.toString("base64"),
    // Node writes PEM with a trailing newline, as Shopify's payloads have it.
    ephemeral_public_key: ephemeral.publicKey.export({ type: "spki", format: "pem" }).toString(),
    tag: tag.toString("base64"),
    ...(fingerprint === undefined ? {} : { fingerprint }),
  };
}

function resolveRecipient(recipient: CardRecipient): { publicKey: KeyObject; fingerprint?: string } {
  if ("certificatePem" in recipient) {
    const certificate = new X509Certificate(recipient.certificatePem);
    return { publicKey: certificate.publicKey, fingerprint: createHash("sha256").update(certificate.raw).digest("hex") };
  }
  return { publicKey: typeof recipient.publicKey === "string" ? createPublicKey(recipient.publicKey) : recipient.publicKey };
}
