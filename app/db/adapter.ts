import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/** The embedded database used when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = "file:./data/app.sqlite";

export type DatabaseProvider = "sqlite" | "postgresql";

/** What a valid DATABASE_URL looks like, for error messages. */
export const DATABASE_URL_FORMS = '"file:./data/app.sqlite" (SQLite) or "postgresql://user:password@host:5432/database" (PostgreSQL)';

/** The database a DATABASE_URL names, or null when it names neither. */
export function databaseProviderOf(databaseUrl: string): DatabaseProvider | null {
  if (databaseUrl.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgresql";
  return null;
}

export function requireDatabaseProvider(databaseUrl: string): DatabaseProvider {
  const provider = databaseProviderOf(databaseUrl);
  if (!provider) {
    throw new Error(`DATABASE_URL must be ${DATABASE_URL_FORMS}; got one starting with "${databaseUrl.split(":")[0]}:".`);
  }
  return provider;
}

// WAL lets readers go on while one transaction writes; NORMAL sync is durable
// across process crashes in WAL mode. Applied to every connection Prisma opens.
/**
 * What a WAL file that grew in a burst is cut back to when writers start it over
 * (sqlite-checkpointer.ts): under steady load it stays below this and is reused,
 * never cut and grown again.
 */
export const SQLITE_WAL_SIZE_LIMIT_BYTES = 128 * 1024 * 1024;

export const SQLITE_SETTINGS = `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA journal_size_limit = ${SQLITE_WAL_SIZE_LIMIT_BYTES};`;

/** For a process whose WAL checkpoints run on a thread of their own (sqlite-checkpointer.ts). */
export const NO_AUTOCHECKPOINT = "PRAGMA wal_autocheckpoint = 0;";

export interface SqliteConnectionOptions {
  /** The process checkpoints in the background: connections do not checkpoint on commit. */
  backgroundCheckpoints?: boolean;
}

/**
 * The driver adapter for a DATABASE_URL. Shared by the app's Prisma client and by
 * prisma.config.ts (migrations), so both always reach the database the same way.
 * A relative SQLite path (file:./data/app.sqlite) is relative to the working
 * directory, which is the project root for every npm script.
 */
export function createDriverAdapter(databaseUrl: string, options: SqliteConnectionOptions = {}): SqlMigrationAwareDriverAdapterFactory {
  if (requireDatabaseProvider(databaseUrl) === "postgresql") {
    // A node-postgres pool per process (10 connections by default). The adapter
    // writes DateTime values as UTC wall-clock text and reads timestamptz values
    // as if their offset were +00:00, so every session must be in UTC; the server's
    // or database's own TimeZone would otherwise shift every stored instant. (A
    // URL with its own `options=` parameter replaces this one: include
    // `-c TimeZone=UTC` in it.)
    return new PrismaPg({ connectionString: databaseUrl, options: "-c TimeZone=UTC" });
  }
  // better-sqlite3 creates the file but not its folder; a fresh clone has no data/.
  mkdirSync(path.dirname(databaseUrl.slice("file:".length)), { recursive: true });
  // Waiting up to 10 s for a lock beats failing a Shopify request with SQLITE_BUSY.
  const factory = new PrismaBetterSQLite3({ url: databaseUrl, timeout: 10_000 });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const connection = await factory.connect();
      await connection.executeScript(options.backgroundCheckpoints ? `${SQLITE_SETTINGS} ${NO_AUTOCHECKPOINT}` : SQLITE_SETTINGS);
      return connection;
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}
