import type { PaymentAddress, PaymentSession, SessionReplay } from "@prisma/client";
import Database from "better-sqlite3";
import pg from "pg";
import { NO_AUTOCHECKPOINT, SQLITE_SETTINGS, type SqliteConnectionOptions } from "../../db/adapter";
import { groupCommit, type Settled } from "../../db/group-commit";
import { newRowId } from "../../db/row-id";

/**
 * The receipt of a payment session request (spec §3.2), written with the database
 * driver itself rather than through Prisma: it is the hottest write of the app
 * (every checkout that picks the provider, and each of Shopify's retries), and
 * Prisma's client costs about a millisecond of CPU per statement, several times
 * the work itself (docs/benchmarks.md, decision 0008). Everything else, reads of
 * these rows included, stays with Prisma; the columns written here are the
 * Prisma schema's (prisma/schema.prisma), in the storage formats its adapters use,
 * and a test reads what this writes back through Prisma.
 */
export interface PaymentReceiptStore {
  /** The stored session with this idempotency key, (shop, Shopify id), if any. */
  find(shop: string, shopifyId: string): Promise<StoredPayment | null>;
  /**
   * Records the shop (if new), the session, its addresses and the digests that
   * find it by its buyer's name (decision 0016) in one transaction (on SQLite, shared
   * with the receipts of the same turn of the event loop, each in a savepoint of its
   * own: decision 0017); resolves once that transaction has committed.
   * Null when a session with the same (shop, Shopify id) exists already: the
   * unique constraint settles concurrent copies, and the caller reads the winner.
   */
  insert(session: NewPaymentSession, addresses: NewPaymentAddress[], searchDigests?: readonly string[]): Promise<StoredPayment | null>;
  /** Notes a retry or a conflicting copy of a received request, for the session's timeline. */
  recordReplay(replay: { shop: string; shopifyId: string; shopifyRequestId: string; conflict: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** What the answer to a payment session request is built from. */
export interface StoredPayment {
  id: string;
  shopifyId: string;
  receivedAt: Date;
  requestHash: string;
}

/**
 * The columns a receipt writes, typed by Prisma's generated models, so that a
 * column renamed or retyped in prisma/schema.prisma fails the type check here.
 */
export type NewPaymentSession = Pick<
  PaymentSession,
  | "shop" | "shopifyId" | "gid" | "group" | "sessionId" | "amountMinor" | "amount" | "currency" | "test"
  | "merchantLocale" | "kind" | "paymentMethodType" | "cancelUrl" | "proposedAt" | "customerEmail"
  | "customerPhoneNumber" | "customerEmailLookup" | "customerPhoneLookup" | "customerLocale"
  | "shopifyApiVersion" | "shopifyRequestId" | "requestHash"
>;

export type NewPaymentAddress = Omit<PaymentAddress, "paymentSessionId">;

/** The receipt's columns and those it sets itself (Prisma would, through defaults). */
type WrittenColumn = keyof NewPaymentSession | "id" | "status" | "receivedAt" | "ledgerVersion" | "updatedAt";
type SessionRow = Pick<PaymentSession, WrittenColumn>;

const SESSION_COLUMNS: readonly WrittenColumn[] = [
  "id", "shop", "shopifyId", "gid", "group", "sessionId", "amountMinor", "amount", "currency", "test",
  "merchantLocale", "kind", "paymentMethodType", "cancelUrl", "proposedAt", "customerEmail",
  "customerPhoneNumber", "customerEmailLookup", "customerPhoneLookup", "customerLocale",
  "shopifyApiVersion", "shopifyRequestId", "requestHash", "status", "receivedAt", "ledgerVersion", "updatedAt",
];
const ADDRESS_FIELDS: readonly (keyof NewPaymentAddress)[] = [
  "role", "givenName", "familyName", "line1", "line2", "city", "postalCode",
  "province", "provinceCode", "countryCode", "phoneNumber", "company",
];
const ADDRESS_COLUMNS: readonly (keyof PaymentAddress)[] = ["paymentSessionId", ...ADDRESS_FIELDS];
const REPLAY_COLUMNS: readonly (keyof SessionReplay)[] = ["id", "shop", "kind", "shopifyId", "shopifyRequestId", "conflict", "receivedAt"];

type Value = string | number | bigint | boolean | Date | null;

function sessionRow(session: NewPaymentSession, now: Date): SessionRow {
  return { ...session, id: newRowId(), status: "OPEN", receivedAt: now, ledgerVersion: 0, updatedAt: now };
}

const quoted = (columns: readonly string[]) => columns.map((column) => `"${column}"`).join(", ");

export function createPaymentReceiptStore(databaseUrl: string, connection: SqliteConnectionOptions = {}): PaymentReceiptStore {
  return databaseUrl.startsWith("file:") ? sqliteStore(databaseUrl.slice("file:".length), connection) : postgresStore(databaseUrl);
}

// ---------------------------------------------------------------- SQLite

/** Prisma's better-sqlite3 adapter stores DateTime as ISO 8601 text with an explicit +00:00. */
const sqliteTime = (date: Date) => date.toISOString().replace("Z", "+00:00");
const sqliteValue = (value: Value) => (value instanceof Date ? sqliteTime(value) : typeof value === "boolean" ? (value ? 1 : 0) : value);

/** How long a receipt waits for SQLite's write lock before the request fails with a 503 (Shopify retries it). */
const SQLITE_LOCK_WAIT_MS = 15_000;

/**
 * SQLite: a connection of its own, written synchronously. Such a write never
 * interleaves with another of this process, but Prisma's connection may hold the
 * write lock across awaits (an interactive transaction); a synchronous busy-wait
 * would then block the very event loop that transaction needs to finish. So this
 * connection does not wait inside SQLite (busy_timeout 0): it retries after a
 * short timer until the lock is free.
 */
function sqliteStore(file: string, connection: SqliteConnectionOptions): PaymentReceiptStore {
  const db = new Database(file);
  // The settings of Prisma's connections (adapter.ts), but for the busy timeout.
  db.exec(connection.backgroundCheckpoints ? `${SQLITE_SETTINGS} ${NO_AUTOCHECKPOINT}` : SQLITE_SETTINGS);
  db.pragma("busy_timeout = 0");

  const find = db.prepare<[string, string], { id: string; shopifyId: string; receivedAt: string; requestHash: string }>(
    `SELECT "id", "shopifyId", "receivedAt", "requestHash" FROM "PaymentSession" WHERE "shop" = ? AND "shopifyId" = ?`,
  );
  const insertShop = db.prepare<[string, string]>(`INSERT INTO "Shop" ("domain", "createdAt") VALUES (?, ?) ON CONFLICT ("domain") DO NOTHING`);
  const insertSession = db.prepare(
    `INSERT INTO "PaymentSession" (${quoted(SESSION_COLUMNS)}) VALUES (${SESSION_COLUMNS.map(() => "?").join(", ")}) ON CONFLICT ("shop", "shopifyId") DO NOTHING`,
  );
  const insertAddress = db.prepare(`INSERT INTO "PaymentAddress" (${quoted(ADDRESS_COLUMNS)}) VALUES (${ADDRESS_COLUMNS.map(() => "?").join(", ")})`);
  // One statement for all of the payment's digests, whatever their number: a JSON array as one parameter.
  const insertSearchTerms = db.prepare<[string, string, string]>(
    `INSERT INTO "PaymentSearchTerm" ("shop", "digest", "paymentSessionId") SELECT ?, "value", ? FROM json_each(?)`,
  );
  const insertReplay = db.prepare(`INSERT INTO "SessionReplay" (${quoted(REPLAY_COLUMNS)}) VALUES (${REPLAY_COLUMNS.map(() => "?").join(", ")})`);

  const stored = (row: { id: string; shopifyId: string; receivedAt: string; requestHash: string } | undefined): StoredPayment | null =>
    row ? { id: row.id, shopifyId: row.shopifyId, receivedAt: new Date(row.receivedAt), requestHash: row.requestHash } : null;

  // Inside the batch's transaction (below), better-sqlite3 runs this one as a savepoint:
  // a receipt that fails rolls back alone, and the batch's others are kept.
  const insert = db.transaction((session: NewPaymentSession, addresses: NewPaymentAddress[], searchDigests: readonly string[], now: Date): StoredPayment | null => {
    insertShop.run(session.shop, sqliteTime(now));
    const row = sessionRow(session, now);
    if (insertSession.run(...SESSION_COLUMNS.map((column) => sqliteValue(row[column]))).changes === 0) return null;
    for (const address of addresses) {
      const values: PaymentAddress = { ...address, paymentSessionId: row.id };
      insertAddress.run(...ADDRESS_COLUMNS.map((column) => sqliteValue(values[column])));
    }
    if (searchDigests.length > 0) insertSearchTerms.run(session.shop, row.id, JSON.stringify(searchDigests));
    return { id: row.id, shopifyId: session.shopifyId, receivedAt: now, requestHash: session.requestHash };
  });
  const writeBatch = db.transaction((receipts: readonly PendingReceipt[], now: Date): Settled<StoredPayment | null>[] =>
    receipts.map(({ session, addresses, searchDigests }) => {
      try {
        return { ok: true, value: insert(session, addresses, searchDigests, now) };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );
  // IMMEDIATE: write first (app/db/write-first.ts).
  // Receipts of the same turn of the event loop share one transaction and one commit
  // (most of a receipt's cost in SQLite: the WAL frames of every page it touched).
  const receipts = groupCommit<PendingReceipt, StoredPayment | null>((batch) => whenSqliteUnlocked(() => writeBatch.immediate(batch, new Date())), GROUP_COMMIT_MAX);

  return {
    find: (shop, shopifyId) => Promise.resolve(stored(find.get(shop, shopifyId))),
    insert: (session, addresses, searchDigests = []) => receipts.write({ session, addresses, searchDigests }),
    recordReplay: ({ shop, shopifyId, shopifyRequestId, conflict }) =>
      whenSqliteUnlocked(() => {
        insertReplay.run(newRowId(), shop, "PAYMENT", shopifyId, shopifyRequestId, conflict ? 1 : 0, sqliteTime(new Date()));
      }),
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
}

interface PendingReceipt {
  session: NewPaymentSession;
  addresses: NewPaymentAddress[];
  searchDigests: readonly string[];
}

/** The most receipts one transaction takes: a batch blocks the event loop while it is written. */
const GROUP_COMMIT_MAX = 64;

async function whenSqliteUnlocked<T>(write: () => T): Promise<T> {
  const deadline = Date.now() + SQLITE_LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return write();
    } catch (error) {
      const busy = (error as { code?: string }).code?.startsWith("SQLITE_BUSY") ?? false;
      if (!busy || Date.now() >= deadline) throw error;
      // 1, 2, 4 … 16 ms with jitter: short enough for a lock held for a few milliseconds.
      await new Promise((resolve) => setTimeout(resolve, Math.min(16, 2 ** attempt) * (0.5 + Math.random())));
    }
  }
}

// ---------------------------------------------------------------- PostgreSQL

const SESSION_CASTS: Partial<Record<WrittenColumn, string>> = { kind: '"PaymentKind"', status: '"PaymentStatus"' };

/**
 * PostgreSQL: one statement, so one round trip and its own transaction. The shop,
 * the session, its addresses and its search digests (one array parameter, the
 * last) are inserted by data-modifying CTEs; foreign keys are checked at the end
 * of the statement, when all of them are there.
 */
function postgresStore(databaseUrl: string): PaymentReceiptStore {
  // A small pool of its own next to Prisma's: receipts are single statements.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 5, options: "-c TimeZone=UTC" });
  // An idle connection that drops (the server restarted) must not crash the process.
  pool.on("error", () => undefined);
  const insertSql = new Map<number, string>();
  const insertStatement = (addresses: number) => {
    let sql = insertSql.get(addresses);
    if (sql) return sql;
    const sessionParams = SESSION_COLUMNS.map((column, i) => `$${i + 3}${SESSION_CASTS[column] ? `::${SESSION_CASTS[column]}` : ""}`);
    let next = SESSION_COLUMNS.length + 3;
    const addressRows = Array.from({ length: addresses }, () =>
      ADDRESS_FIELDS.map((column) => `$${next++}${column === "role" ? '::"AddressRole"' : ""}`),
    );
    sql = `WITH shop AS (
        INSERT INTO "Shop" ("domain", "createdAt") VALUES ($1, $2) ON CONFLICT ("domain") DO NOTHING
      ), session AS (
        INSERT INTO "PaymentSession" (${quoted(SESSION_COLUMNS)}) VALUES (${sessionParams.join(", ")})
        ON CONFLICT ("shop", "shopifyId") DO NOTHING RETURNING "id"
      )${
        addresses > 0
          ? `, address AS (
        INSERT INTO "PaymentAddress" (${quoted(ADDRESS_COLUMNS)})
        ${addressRows.map((params) => `SELECT "id", ${params.join(", ")} FROM session`).join(" UNION ALL ")}
      )`
          : ""
      }, terms AS (
        INSERT INTO "PaymentSearchTerm" ("shop", "digest", "paymentSessionId")
        SELECT $1, "digest", "id" FROM session, unnest($${next}::text[]) AS "digest"
      )
      SELECT "id" FROM session`;
    insertSql.set(addresses, sql);
    return sql;
  };
  const pgValue = (value: Value) => (typeof value === "bigint" ? value.toString() : value);

  return {
    async find(shop, shopifyId) {
      const { rows } = await pool.query<StoredPayment>({
        name: "payment-receipt-find",
        text: `SELECT "id", "shopifyId", "receivedAt", "requestHash" FROM "PaymentSession" WHERE "shop" = $1 AND "shopifyId" = $2`,
        values: [shop, shopifyId],
      });
      return rows[0] ?? null;
    },
    async insert(session, addresses, searchDigests = []) {
      const now = new Date();
      const row = sessionRow(session, now);
      const values = [
        session.shop,
        now,
        ...SESSION_COLUMNS.map((column) => pgValue(row[column])),
        ...addresses.flatMap((address) => ADDRESS_FIELDS.map((column) => pgValue(address[column]))),
        searchDigests,
      ];
      const { rows } = await pool.query<{ id: string }>({ name: `payment-receipt-insert-${addresses.length}`, text: insertStatement(addresses.length), values });
      return rows[0] ? { id: rows[0].id, shopifyId: session.shopifyId, receivedAt: now, requestHash: session.requestHash } : null;
    },
    async recordReplay({ shop, shopifyId, shopifyRequestId, conflict }) {
      await pool.query({
        name: "payment-receipt-replay",
        text: `INSERT INTO "SessionReplay" (${quoted(REPLAY_COLUMNS)}) VALUES ($1, $2, 'PAYMENT', $3, $4, $5, $6)`,
        values: [newRowId(), shop, shopifyId, shopifyRequestId, conflict, new Date()],
      });
    },
    close: () => pool.end(),
  };
}
