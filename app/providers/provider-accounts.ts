/**
 * A merchant's account with a payment provider: which account moves a shop's
 * money, and the secrets to talk to it. Merchants connect accounts in Settings
 * (live and test separately); the database store implements this interface and
 * the providers and the provider webhook route ask it, so neither knows how
 * accounts are kept (tests may pass their own).
 */
export type ProviderMode = "test" | "live";

export interface ProviderAccountCredentials {
  /** The app's id of the connected account: it names the account in the provider webhook URL (`?account=…`). */
  accountId: string;
  shop: string;
  /** The provider's name, as in `/providers/{name}/webhooks` ("stripe"). */
  provider: string;
  mode: ProviderMode;
  /** The API key (secret or restricted), decrypted in memory only; never logged. */
  apiKey: string;
  /** The signing secret the provider returned when the app registered its webhook endpoint; null until registered. */
  webhookSigningSecret: string | null;
}

export interface ProviderAccounts {
  /** The shop's connected account with this provider in this mode, or null when none is connected. */
  forShop(shop: string, provider: string, mode: ProviderMode): Promise<ProviderAccountCredentials | null>;
  /** The account a provider webhook names by its id, or null when there is none (any longer). */
  byId(accountId: string): Promise<ProviderAccountCredentials | null>;
}

export function modeOf(session: { test: boolean }): ProviderMode {
  return session.test ? "test" : "live";
}
