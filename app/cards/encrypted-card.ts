import { z } from "zod";

/**
 * `payment_method.data` of a credit card payment session (spec §3.3) as far as
 * decryption needs it. Limits are generous for a card (its JSON document is
 * about 150 bytes) and small enough that a hostile body costs nothing.
 * The edge's request schema can use this one.
 */
export const encryptedCardSchema = z.object({
  encrypted_message: z.string().min(1).max(8192),
  ephemeral_public_key: z.string().min(1).max(2048),
  tag: z.string().min(1).max(256),
  /** The certificate the card was encrypted for (docs/cards.md); may be absent. */
  fingerprint: z.string().max(256).nullish(),
});

export type EncryptedCard = z.infer<typeof encryptedCardSchema>;
