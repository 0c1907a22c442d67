import { createSecretKey, type KeyObject } from "node:crypto";

/**
 * A secret as node:crypto's HMACs and ciphers should be handed it: a KeyObject,
 * made once and kept. Given raw bytes or a string instead, Node 24 first tries
 * them as a CryptoKey and builds a TypeError it then drops, capturing a stack
 * trace each time: an HMAC-SHA256 or an AES-256-GCM seal of an email costs
 * ~20 µs so, 3–5 µs with a KeyObject (Node 22: the same either way). A payment
 * receipt makes a dozen of them (docs/benchmarks.md, issue 14, fifth step).
 */
export function secretKey(material: Buffer | string): KeyObject {
  return createSecretKey(typeof material === "string" ? Buffer.from(material, "utf8") : material);
}
