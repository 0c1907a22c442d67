import type { ProviderMode } from "../provider-accounts";

/**
 * What the account store needs from one provider to connect a merchant's
 * account: read the key's form, prove the key works with a call, and register
 * (and later remove) the app's webhook endpoint in that account. One
 * implementation per provider (stripe-account-link.server.ts); the store stays
 * provider-neutral.
 */
export type KeyKind = "secret" | "restricted";

export interface ParsedKey {
  kind: KeyKind;
  last4: string;
}

export interface ProviderAccountLink {
  /** The key's form for this mode, or a ProviderAccountError("invalid-key") saying what is wrong. */
  parseKey(apiKey: string, mode: ProviderMode): ParsedKey;
  /** The provider's id of the account the key belongs to; throws a ProviderAccountError when the key does not work. */
  verify(apiKey: string): Promise<{ externalAccountId: string }>;
  registerWebhookEndpoint(apiKey: string, url: string): Promise<{ endpointId: string; signingSecret: string }>;
  /**
   * Removes an endpoint; "gone" when the provider no longer has it, "key-refused"
   * when the provider no longer accepts the key (revoked: only the merchant can
   * remove it now). Throws a ProviderAccountError("unreachable") otherwise.
   */
  removeWebhookEndpoint(apiKey: string, endpointId: string): Promise<"removed" | "gone" | "key-refused">;
}

/**
 * Why connecting or disconnecting did not happen, in a sentence for the
 * merchant. `invalid-key` and `permission` are the merchant's to fix (4xx);
 * `unreachable` is the provider's (try again); `conflict` is a concurrent change.
 */
export type ProviderAccountErrorKind = "invalid-key" | "permission" | "unreachable" | "conflict" | "unknown-provider";

export class ProviderAccountError extends Error {
  override name = "ProviderAccountError";
  constructor(
    readonly kind: ProviderAccountErrorKind,
    message: string,
  ) {
    super(message);
  }
}
