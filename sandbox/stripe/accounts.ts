import { newId, randomToken } from "./ids";

/**
 * Stripe accounts and their API keys. Each key belongs to one account and one mode: objects
 * made with a live key are live (livemode true) and invisible to test keys, as on Stripe.
 */
export type KeyKind = "secret" | "restricted" | "publishable";

export interface ApiKey {
  key: string;
  kind: KeyKind;
  account: string;
  livemode: boolean;
}

export interface AccountRecord {
  id: string;
  created: number;
  businessName: string;
  country: string;
  defaultCurrency: string;
  email: string;
}

export interface AccountKeys {
  account: string;
  testSecretKey: string;
  testRestrictedKey: string;
  testPublishableKey: string;
  liveSecretKey: string;
  liveRestrictedKey: string;
  livePublishableKey: string;
}

export interface NewAccountInput {
  id?: string;
  businessName?: string;
  country?: string;
  defaultCurrency?: string;
  email?: string;
  /** Fixed keys (a dev script that prints the same keys every run); random otherwise. */
  keys?: Partial<Omit<AccountKeys, "account">>;
}

const PREFIX: Record<KeyKind, string> = { secret: "sk", restricted: "rk", publishable: "pk" };
const KEY_PATTERN = /^(sk|rk|pk)_(test|live)_[A-Za-z0-9]{8,247}$/;

/** Where objects live: one account in one mode. */
export interface Scope {
  account: string;
  livemode: boolean;
}

export const scopeKey = (scope: Scope) => `${scope.account}:${scope.livemode ? "live" : "test"}`;

export class AccountRegistry {
  private readonly accounts = new Map<string, AccountRecord>();
  private readonly keys = new Map<string, ApiKey>();

  constructor(private readonly nowSeconds: () => number) {}

  create(input: NewAccountInput = {}): AccountKeys {
    const id = input.id ?? newId("acct");
    if (!/^acct_[A-Za-z0-9]{8,40}$/.test(id)) throw new Error(`An account id looks like acct_…: "${id}"`);
    if (this.accounts.has(id)) throw new Error(`Account ${id} exists already`);
    this.accounts.set(id, {
      id,
      created: this.nowSeconds(),
      businessName: input.businessName ?? "Sandbox merchant",
      country: input.country ?? "US",
      defaultCurrency: input.defaultCurrency ?? "usd",
      email: input.email ?? "merchant@example.com",
    });
    const given = input.keys ?? {};
    const make = (kind: KeyKind, livemode: boolean, fixed: string | undefined) => {
      const key = fixed ?? `${PREFIX[kind]}_${livemode ? "live" : "test"}_${randomToken(40)}`;
      const match = KEY_PATTERN.exec(key);
      if (!match || match[1] !== PREFIX[kind] || (match[2] === "live") !== livemode) throw new Error(`Not a ${livemode ? "live" : "test"} ${kind} key: ${key.slice(0, 8)}…`);
      if (this.keys.has(key)) throw new Error("That key belongs to another account already");
      this.keys.set(key, { key, kind, account: id, livemode });
      return key;
    };
    return {
      account: id,
      testSecretKey: make("secret", false, given.testSecretKey),
      testRestrictedKey: make("restricted", false, given.testRestrictedKey),
      testPublishableKey: make("publishable", false, given.testPublishableKey),
      liveSecretKey: make("secret", true, given.liveSecretKey),
      liveRestrictedKey: make("restricted", true, given.liveRestrictedKey),
      livePublishableKey: make("publishable", true, given.livePublishableKey),
    };
  }

  findKey(key: string): ApiKey | undefined {
    return this.keys.get(key);
  }

  account(id: string): AccountRecord | undefined {
    return this.accounts.get(id);
  }

  /** Stripe shows a key in messages only by its prefix and last four characters. */
  static redact(key: string): string {
    const prefix = /^[a-z]{2}_(test|live)_/.exec(key)?.[0] ?? "";
    return `${prefix}${"*".repeat(Math.max(0, Math.min(key.length - prefix.length - 4, 20)))}${key.slice(-4)}`;
  }
}
