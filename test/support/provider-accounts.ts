import type { ProviderAccountCredentials, ProviderAccounts, ProviderMode } from "../../app/providers/provider-accounts";

/**
 * Provider accounts kept in memory, for tests of the providers and the
 * provider webhook route (the app's own store keeps them in the database).
 */
export class InMemoryProviderAccounts implements ProviderAccounts {
  private readonly accounts = new Map<string, ProviderAccountCredentials>();

  connect(account: ProviderAccountCredentials): ProviderAccountCredentials {
    this.accounts.set(account.accountId, account);
    return account;
  }

  disconnect(accountId: string): void {
    this.accounts.delete(accountId);
  }

  forShop(shop: string, provider: string, mode: ProviderMode): Promise<ProviderAccountCredentials | null> {
    for (const account of this.accounts.values()) {
      if (account.shop === shop && account.provider === provider && account.mode === mode) return Promise.resolve(account);
    }
    return Promise.resolve(null);
  }

  byId(accountId: string): Promise<ProviderAccountCredentials | null> {
    return Promise.resolve(this.accounts.get(accountId) ?? null);
  }
}
