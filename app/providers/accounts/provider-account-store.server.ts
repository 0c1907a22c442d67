import { randomBytes } from "node:crypto";
import { Prisma, type ProviderAccount, type ProviderAccountMode } from "@prisma/client";
import type { Db, Tx } from "../../db.server";
import { decryptOptionalPii, decryptPii, encryptOptionalPii, encryptPii, piiKeyIdOf, type PiiKeyring } from "../../privacy/pii-crypto.server";
import type { ProviderAccountCredentials, ProviderAccounts, ProviderMode } from "../provider-accounts";
import { ProviderAccountError, type KeyKind, type ProviderAccountLink } from "./account-link";

/**
 * Merchants' provider accounts in the database (model ProviderAccount): the
 * ProviderAccounts the providers and the provider webhook route ask, plus what
 * Settings does with them. Every query names the shop, except `byId`, which a
 * provider webhook calls with the id from its own URL (the signature then
 * proves the caller holds that account's signing secret).
 *
 * The API key and the webhook signing secret are encrypted with the PII keyring,
 * each bound to its column; they are decrypted only when handed to a provider.
 */
const API_KEY_CONTEXT = "ProviderAccount.apiKey";
const SIGNING_SECRET_CONTEXT = "ProviderAccount.webhookSigningSecret";

/** What Settings shows of an account: never the key, only its last four characters. */
export interface ProviderAccountSummary {
  accountId: string;
  provider: string;
  mode: ProviderMode;
  externalAccountId: string;
  keyKind: KeyKind;
  keyLast4: string;
  webhookEndpointId: string | null;
  verifiedAt: Date;
  connectedAt: Date;
}

export interface ConnectInput {
  provider: string;
  mode: ProviderMode;
  apiKey: string;
}

export interface ConnectResult {
  account: ProviderAccountSummary;
  /** The account this connection replaced, if the shop had one in this mode. */
  replaced: ProviderAccountSummary | null;
}

export interface DisconnectResult {
  account: ProviderAccountSummary;
  /** "key-refused": the provider no longer accepts the key, so its endpoint is left for the merchant to delete. */
  endpoint: "removed" | "gone" | "key-refused" | "none";
}

export interface ProviderAccountStore extends ProviderAccounts {
  list(shop: string): Promise<ProviderAccountSummary[]>;
  /** Whether live payments can go to a connected, verified account (paymentsAppConfigure `ready`). */
  hasVerifiedLiveAccount(shop: string): Promise<boolean>;
  /**
   * Checks the key with a call, registers the app's webhook endpoint in the
   * account, then saves both encrypted. Connecting again in the same mode
   * replaces the account and removes the old endpoint. Throws a
   * ProviderAccountError, having saved nothing, when the key does not work.
   */
  connect(shop: string, input: ConnectInput): Promise<ConnectResult>;
  /** Removes the endpoint at the provider and the row; null when nothing was connected. */
  disconnect(shop: string, provider: string, mode: ProviderMode): Promise<DisconnectResult | null>;
  /** Removes the endpoints and rows of accounts marked at uninstall; those the provider cannot be reached for wait for the next sweep. */
  sweepRemovals(): Promise<{ removed: number; waiting: number }>;
}

export interface ProviderAccountStoreOptions {
  keyring: PiiKeyring;
  /** SHOPIFY_APP_URL: the provider posts webhooks to {appUrl}/providers/{name}/webhooks?account={id}. */
  appUrl: string;
  links: Readonly<Record<string, ProviderAccountLink>>;
  now?: () => Date;
  /** Told when an endpoint at the provider could not be removed (ids and kinds only). */
  onEndpointLeft?: (event: { accountId: string; shop: string; provider: string; reason: string }) => void;
}

const toDbMode = (mode: ProviderMode): ProviderAccountMode => (mode === "live" ? "LIVE" : "TEST");
const fromDbMode = (mode: ProviderAccountMode): ProviderMode => (mode === "LIVE" ? "live" : "test");

/** An id that is safe in a URL's query string and says what it names. */
const newAccountId = () => `pa_${randomBytes(12).toString("hex")}`;

export function webhookUrlFor(appUrl: string, provider: string, accountId: string): string {
  return `${appUrl.replace(/\/+$/, "")}/providers/${encodeURIComponent(provider)}/webhooks?account=${encodeURIComponent(accountId)}`;
}

/**
 * Marks a shop's accounts for removal in the uninstall webhook's transaction:
 * no provider call there, so Shopify's 200 never waits on the provider. From
 * now on the accounts are not used; `sweepRemovals` removes their endpoints.
 */
export function markProviderAccountsForRemoval(tx: Tx | Db, shop: string, now = new Date()): Promise<{ count: number }> {
  return tx.providerAccount.updateMany({ where: { shop, removalRequestedAt: null }, data: { removalRequestedAt: now } });
}

/**
 * Key rotation (decision 0006, `npm run privacy -- reencrypt`): rewrites the API
 * keys and signing secrets stored under another key than the current one. Only
 * where both columns still hold what was read, so a concurrent reconnection wins.
 */
export async function reencryptProviderAccountSecrets(db: Db, keyring: PiiKeyring): Promise<number> {
  const stale = (stored: string | null) => stored !== null && piiKeyIdOf(stored) !== keyring.current.id;
  const rows = await db.providerAccount.findMany({ select: { id: true, apiKeyEncrypted: true, webhookSecretEncrypted: true } });
  let rewritten = 0;
  for (const row of rows.filter((r) => stale(r.apiKeyEncrypted) || stale(r.webhookSecretEncrypted))) {
    const apiKey = decryptPii(keyring, API_KEY_CONTEXT, row.apiKeyEncrypted);
    const secret = decryptOptionalPii(keyring, SIGNING_SECRET_CONTEXT, row.webhookSecretEncrypted);
    const updated = await db.providerAccount.updateMany({
      where: { id: row.id, apiKeyEncrypted: row.apiKeyEncrypted, webhookSecretEncrypted: row.webhookSecretEncrypted },
      data: { apiKeyEncrypted: encryptPii(keyring, API_KEY_CONTEXT, apiKey), webhookSecretEncrypted: encryptOptionalPii(keyring, SIGNING_SECRET_CONTEXT, secret) },
    });
    rewritten += updated.count;
  }
  return rewritten;
}

export function createProviderAccountStore(db: Db, options: ProviderAccountStoreOptions): ProviderAccountStore {
  const now = options.now ?? (() => new Date());
  const { keyring } = options;

  const linkFor = (provider: string): ProviderAccountLink => {
    const link = options.links[provider];
    if (!link) throw new ProviderAccountError("unknown-provider", `The app has no provider named “${provider}”.`);
    return link;
  };

  const credentials = (row: ProviderAccount): ProviderAccountCredentials => ({
    accountId: row.id,
    shop: row.shop,
    provider: row.provider,
    mode: fromDbMode(row.mode),
    apiKey: decryptPii(keyring, API_KEY_CONTEXT, row.apiKeyEncrypted),
    webhookSigningSecret: decryptOptionalPii(keyring, SIGNING_SECRET_CONTEXT, row.webhookSecretEncrypted),
  });

  const summary = (row: ProviderAccount): ProviderAccountSummary => ({
    accountId: row.id,
    provider: row.provider,
    mode: fromDbMode(row.mode),
    externalAccountId: row.externalAccountId,
    keyKind: row.keyKind === "RESTRICTED" ? "restricted" : "secret",
    keyLast4: row.apiKeyLast4,
    webhookEndpointId: row.webhookEndpointId,
    verifiedAt: row.verifiedAt,
    connectedAt: row.connectedAt,
  });

  /** Best effort: the old endpoint must not keep a replaced or removed account's events coming. */
  const removeEndpointOf = async (row: ProviderAccount, reason: string): Promise<DisconnectResult["endpoint"]> => {
    if (!row.webhookEndpointId) return "none";
    const outcome = await linkFor(row.provider).removeWebhookEndpoint(decryptPii(keyring, API_KEY_CONTEXT, row.apiKeyEncrypted), row.webhookEndpointId);
    if (outcome === "key-refused") options.onEndpointLeft?.({ accountId: row.id, shop: row.shop, provider: row.provider, reason: `${reason}: the provider no longer accepts the key` });
    return outcome;
  };

  return {
    async forShop(shop, provider, mode) {
      const row = await db.providerAccount.findUnique({ where: { shop_provider_mode: { shop, provider, mode: toDbMode(mode) } } });
      return row && row.removalRequestedAt === null ? credentials(row) : null;
    },

    async byId(accountId) {
      const row = await db.providerAccount.findUnique({ where: { id: accountId } });
      return row && row.removalRequestedAt === null ? credentials(row) : null;
    },

    async list(shop) {
      const rows = await db.providerAccount.findMany({ where: { shop, removalRequestedAt: null }, orderBy: [{ provider: "asc" }, { mode: "asc" }] });
      return rows.map(summary);
    },

    async hasVerifiedLiveAccount(shop) {
      const count = await db.providerAccount.count({ where: { shop, mode: "LIVE", removalRequestedAt: null } });
      return count > 0;
    },

    async connect(shop, input) {
      const link = linkFor(input.provider);
      const key = link.parseKey(input.apiKey, input.mode);
      const { externalAccountId } = await link.verify(input.apiKey);
      const verifiedAt = now();

      const where = { shop_provider_mode: { shop, provider: input.provider, mode: toDbMode(input.mode) } };
      const existing = await db.providerAccount.findUnique({ where });
      // The id is in the endpoint's URL, so it is chosen before registering; a
      // reconnection keeps its id (webhooks still in flight find the account).
      const accountId = existing?.id ?? newAccountId();
      const endpoint = await link.registerWebhookEndpoint(input.apiKey, webhookUrlFor(options.appUrl, input.provider, accountId));

      const fields = {
        externalAccountId,
        apiKeyEncrypted: encryptPii(keyring, API_KEY_CONTEXT, input.apiKey),
        apiKeyLast4: key.last4,
        keyKind: key.kind === "restricted" ? ("RESTRICTED" as const) : ("SECRET" as const),
        webhookEndpointId: endpoint.endpointId,
        webhookSecretEncrypted: encryptPii(keyring, SIGNING_SECRET_CONTEXT, endpoint.signingSecret),
        verifiedAt,
        connectedAt: verifiedAt,
        removalRequestedAt: null,
      };
      let saved: ProviderAccount;
      try {
        saved = await db.$transaction(async (tx) => {
          await tx.shop.upsert({ where: { domain: shop }, create: { domain: shop }, update: {} });
          if (existing) {
            // Only the row that was read: a concurrent connect or disconnect makes this count 0.
            const updated = await tx.providerAccount.updateMany({ where: { id: existing.id, shop, updatedAt: existing.updatedAt }, data: fields });
            if (updated.count !== 1) throw new ProviderAccountError("conflict", "The account was changed at the same time; nothing was saved. Reload the page and try again.");
            return tx.providerAccount.findUniqueOrThrow({ where: { id: existing.id } });
          }
          return tx.providerAccount.create({ data: { id: accountId, shop, provider: input.provider, mode: toDbMode(input.mode), ...fields } });
        });
      } catch (error) {
        // Nothing saved: the endpoint just registered must not linger at the provider.
        await link.removeWebhookEndpoint(input.apiKey, endpoint.endpointId).catch(() => undefined);
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
          throw new ProviderAccountError("conflict", "Another connection in this mode was saved at the same time; nothing was saved. Reload the page and try again.");
        }
        throw error;
      }
      if (existing?.webhookEndpointId && existing.webhookEndpointId !== endpoint.endpointId) {
        await removeEndpointOf(existing, "replaced").catch((error: unknown) => {
          options.onEndpointLeft?.({ accountId: existing.id, shop, provider: existing.provider, reason: `replaced: ${error instanceof ProviderAccountError ? error.kind : "error"}` });
        });
      }
      return { account: summary(saved), replaced: existing && existing.removalRequestedAt === null ? summary(existing) : null };
    },

    async disconnect(shop, provider, mode) {
      const row = await db.providerAccount.findUnique({ where: { shop_provider_mode: { shop, provider, mode: toDbMode(mode) } } });
      if (!row || row.removalRequestedAt !== null) return null;
      // Unreachable throws before the row goes: the merchant can try again and no endpoint is orphaned.
      const endpoint = await removeEndpointOf(row, "disconnected");
      await db.providerAccount.deleteMany({ where: { id: row.id, shop } });
      return { account: summary(row), endpoint };
    },

    async sweepRemovals() {
      const rows = await db.providerAccount.findMany({ where: { removalRequestedAt: { not: null } }, orderBy: { removalRequestedAt: "asc" }, take: 100 });
      let removed = 0;
      for (const row of rows) {
        try {
          await removeEndpointOf(row, "uninstalled");
        } catch (error) {
          options.onEndpointLeft?.({ accountId: row.id, shop: row.shop, provider: row.provider, reason: `uninstalled, waiting: ${error instanceof ProviderAccountError ? error.kind : "error"}` });
          continue;
        }
        // Only if still marked: a reconnection after a reinstall took the row back.
        const deleted = await db.providerAccount.deleteMany({ where: { id: row.id, shop: row.shop, removalRequestedAt: { not: null }, updatedAt: row.updatedAt } });
        removed += deleted.count;
      }
      return { removed, waiting: rows.length - removed };
    },
  };
}
