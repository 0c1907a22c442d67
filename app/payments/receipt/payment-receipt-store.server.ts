import type { PaymentAddress, PaymentSession, SessionReplay } from "@prisma/client";
import Database from "better-sqlite3";
import pg from "pg";
import { NO_AUTOCHECKPOINT, SQLITE_SETTINGS, type SqliteConnectionOptions } from "../../db/adapter";
import { groupCommit } from "../../db/group-commit";
import { startSqliteWriteThread, type SqliteParam, type WriteStep } from "../../db/sqlite-write-thread";
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
   * with the receipts that arrived with it, each in a savepoint of its own:
   * decisions 0017, 0018); resolves once that transaction has committed.
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

/** An address as receipts write it (decision 0019): its personal fields sealed as one value. */
export type NewPaymentAddress = Pick<PaymentAddress, "role" | "sealed" | "countryCode">;

/** The receipt's columns and those it sets itself (Prisma would, through defaults). */
type WrittenColumn = keyof NewPaymentSession | "id" | "status" | "receivedAt" | "ledgerVersion" | "updatedAt";
type SessionRow = Pick<PaymentSession, WrittenColumn>;

const SESSION_COLUMNS: readonly WrittenColumn[] = [
  "id", "shop", "shopifyId", "gid", "group", "sessionId", "amountMinor", "amount", "currency", "test",
  "merchantLocale", "kind", "paymentMethodType", "cancelUrl", "proposedAt", "customerEmail",
  "customerPhoneNumber", "customerEmailLookup", "customerPhoneLookup", "customerLocale",
  "shopifyApiVersion", "shopifyRequestId", "requestHash", "status", "receivedAt", "ledgerVersion", "updatedAt",
];
const ADDRESS_FIELDS: readonly (keyof NewPaymentAddress)[] = ["role", "sealed", "countryCode"];
type AddressColumn = keyof NewPaymentAddress | "paymentSessionId";
const ADDRESS_COLUMNS: readonly AddressColumn[] = ["paymentSessionId", ...ADDRESS_FIELDS];
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
const sqliteValue = (value: Value): SqliteParam => (value instanceof Date ? sqliteTime(value) : typeof value === "boolean" ? (value ? 1 : 0) : value);

/** How long a batch of receipts waits for SQLite's write lock before its requests fail with a 503 (Shopify retries them). */
const SQLITE_LOCK_WAIT_MS = 15_000;

/** The most receipts one transaction takes: what waits beyond it goes in the next. */
const GROUP_COMMIT_MAX = 64;

// The write thread's statements, by index (WriteStep.statement).
const INSERT_SHOP = 0;
const INSERT_SESSION = 1;
const INSERT_ADDRESS = 2;
const INSERT_SEARCH_TERMS = 3;
const INSERT_REPLAY = 4;
const WRITE_STATEMENTS = [
  `INSERT INTO "Shop" ("domain", "createdAt") VALUES (?, ?) ON CONFLICT ("domain") DO NOTHING`,
  `INSERT INTO "PaymentSession" (${quoted(SESSION_COLUMNS)}) VALUES (${SESSION_COLUMNS.map(() => "?").join(", ")}) ON CONFLICT ("shop", "shopifyId") DO NOTHING`,
  `INSERT INTO "PaymentAddress" (${quoted(ADDRESS_COLUMNS)}) VALUES (${ADDRESS_COLUMNS.map(() => "?").join(", ")})`,
  // One statement for all of the payment's digests, whatever their number: a JSON array as one parameter.
  `INSERT INTO "PaymentSearchTerm" ("shop", "digest", "paymentSessionId") SELECT ?, "value", ? FROM json_each(?)`,
  `INSERT INTO "SessionReplay" (${quoted(REPLAY_COLUMNS)}) VALUES (${REPLAY_COLUMNS.map(() => "?").join(", ")})`,
];

/**
 * SQLite: reads on a connection of the request thread (a look-up by the unique
 * key takes microseconds), writes on a thread of their own (decision 0018), where
 * committing a batch, and waiting for the write lock that a Prisma transaction or
 * a checkpoint holds, never stops the event loop. Receipts that arrive while a
 * batch is written share the next transaction (decision 0017).
 */
function sqliteStore(file: string, connection: SqliteConnectionOptions): PaymentReceiptStore {
  const db = new Database(file);
  db.exec(SQLITE_SETTINGS);
  const find = db.prepare<[string, string], { id: string; shopifyId: string; receivedAt: string; requestHash: string }>(
    `SELECT "id", "shopifyId", "receivedAt", "requestHash" FROM "PaymentSession" WHERE "shop" = ? AND "shopifyId" = ?`,
  );
  const stored = (row: { id: string; shopifyId: string; receivedAt: string; requestHash: string } | undefined): StoredPayment | null =>
    row ? { id: row.id, shopifyId: row.shopifyId, receivedAt: new Date(row.receivedAt), requestHash: row.requestHash } : null;

  const writer = startSqliteWriteThread({
    file,
    // The settings of Prisma's connections (adapter.ts); a statement's rollback journal in memory
    // (measured: kept in a temporary file, it cost a third of a receipt's write).
    settings: `${connection.backgroundCheckpoints ? `${SQLITE_SETTINGS} ${NO_AUTOCHECKPOINT}` : SQLITE_SETTINGS} PRAGMA temp_store = MEMORY;`,
    lockWaitMs: SQLITE_LOCK_WAIT_MS,
    statements: WRITE_STATEMENTS,
  });
  const writes = groupCommit<WriteStep[], boolean>((batch) => writer.write(batch), GROUP_COMMIT_MAX);

  return {
    find: (shop, shopifyId) => Promise.resolve(stored(find.get(shop, shopifyId))),
    async insert(session, addresses, searchDigests = []) {
      const now = new Date();
      const row = sessionRow(session, now);
      const steps: WriteStep[] = [
        { statement: INSERT_SHOP, params: [session.shop, sqliteTime(now)] },
        // A copy of a stored receipt ends here: the unique constraint settles concurrent copies.
        { statement: INSERT_SESSION, params: SESSION_COLUMNS.map((column) => sqliteValue(row[column])), endUnlessChanged: true },
        ...addresses.map((address): WriteStep => {
          const values: Pick<PaymentAddress, AddressColumn> = { ...address, paymentSessionId: row.id };
          return { statement: INSERT_ADDRESS, params: ADDRESS_COLUMNS.map((column) => sqliteValue(values[column])) };
        }),
        ...(searchDigests.length > 0 ? [{ statement: INSERT_SEARCH_TERMS, params: [session.shop, row.id, JSON.stringify(searchDigests)] }] : []),
      ];
      const written = await writes.write(steps);
      return written ? { id: row.id, shopifyId: session.shopifyId, receivedAt: now, requestHash: session.requestHash } : null;
    },
    async recordReplay({ shop, shopifyId, shopifyRequestId, conflict }) {
      await writes.write([{ statement: INSERT_REPLAY, params: [newRowId(), shop, "PAYMENT", shopifyId, shopifyRequestId, conflict ? 1 : 0, sqliteTime(new Date())] }]);
    },
    async close() {
      await writer.close();
      db.close();
    },
  };
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
