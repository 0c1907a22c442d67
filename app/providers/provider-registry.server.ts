import { cardPaymentsOf, type PaymentProvider } from "./payment-provider";
import { modeOf, type ProviderAccountCredentials, type ProviderAccounts } from "./provider-accounts";

/**
 * Which provider moves the money of a session. A shop that connected an account
 * with a provider (Settings) pays through it, test sessions with its test
 * account, live sessions with its live one. Otherwise test sessions use the
 * sandbox (no real money may move, spec §10) and live sessions the fallback,
 * which is null in production: live payments are then declined, never faked.
 * A card payment (the credit card extension) goes only to a provider that
 * charges cards: a shop whose connected account works through hosted pages
 * alone (Stripe Checkout) pays its test cards through the sandbox.
 */
export interface ProviderRegistry {
  /**
   * The provider for a session. `providerName`, once a payment was charged,
   * keeps its follow-ups and checks with the provider that holds the money
   * (null when that provider is no longer connected), whatever is chosen now.
   */
  forSession(session: { shop: string; test: boolean; providerName?: string | null; paymentMethodType?: string }): Promise<PaymentProvider | null>;
  /** The provider of a connected account, by the id its notifications carry; null when unknown. */
  forAccount(accountId: string, providerName: string): Promise<{ provider: PaymentProvider; account: ProviderAccountCredentials } | null>;
}

/** Providers that merchants connect with their own accounts, and where the accounts are kept. */
export interface ConnectedProviders {
  accounts: ProviderAccounts;
  /** One factory per provider name ("stripe"): the provider acting for one account. */
  factories: Record<string, (account: ProviderAccountCredentials) => PaymentProvider>;
}

export function createProviderRegistry(sandbox: PaymentProvider, live: PaymentProvider | null, connected?: ConnectedProviders): ProviderRegistry {
  // A provider per account and key: a rotated key builds a new one.
  const built = new Map<string, PaymentProvider>();
  function providerFor(account: ProviderAccountCredentials): PaymentProvider | null {
    const factory = connected?.factories[account.provider];
    if (!factory) return null;
    const key = `${account.accountId}\n${account.apiKey}\n${account.webhookSigningSecret ?? ""}`;
    let provider = built.get(key);
    if (!provider) {
      provider = factory(account);
      built.set(key, provider);
    }
    return provider;
  }
  const takes = (provider: PaymentProvider, session: { paymentMethodType?: string }) => session.paymentMethodType !== "credit_card" || cardPaymentsOf(provider) !== null;
  return {
    async forSession(session) {
      const charged = session.providerName && session.providerName !== "none" ? session.providerName : null;
      if (connected) {
        for (const name of Object.keys(connected.factories)) {
          if (charged && name !== charged) continue;
          const account = await connected.accounts.forShop(session.shop, name, modeOf(session));
          const provider = account && providerFor(account);
          if (provider && takes(provider, session)) return provider;
        }
      }
      const fallback = session.test ? sandbox : live;
      return charged && fallback?.name !== charged ? null : fallback;
    },
    async forAccount(accountId, providerName) {
      if (!connected) return null;
      const account = await connected.accounts.byId(accountId);
      if (!account || account.provider !== providerName) return null;
      const provider = providerFor(account);
      return provider ? { provider, account } : null;
    },
  };
}

/** Runs a provider call with a time limit; a late answer counts as no answer. */
export async function withTimeout<T>(call: Promise<T>, timeoutMs: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), timeoutMs);
  });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

