import { randomBytes } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Random base-62 text; ids and secrets need no more than unpredictability. */
export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let text = "";
  for (const byte of bytes) text += ALPHABET[byte % ALPHABET.length];
  return text;
}

/** Stripe-looking ids: `pi_3Q…`, `cs_test_a1…` (Checkout Session ids carry the mode). */
export function newId(prefix: string, livemode?: boolean): string {
  if (prefix === "cs") return `cs_${livemode ? "live" : "test"}_a1${randomToken(56)}`;
  return `${prefix}_${randomToken(24)}`;
}
