import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/** The embedded database used when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = "file:./data/app.sqlite";

// WAL lets readers go on while one transaction writes; NORMAL sync is durable
// across process crashes in WAL mode. Applied to every connection Prisma opens.
const SQLITE_SETTINGS = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

/**
 * The driver adapter for a DATABASE_URL. Shared by the app's Prisma client and by
 * prisma.config.ts (migrations), so both always reach the database the same way.
 * A relative SQLite path (file:./data/app.sqlite) is relative to the working
 * directory, which is the project root for every npm script.
 */
export function createDriverAdapter(databaseUrl: string): SqlMigrationAwareDriverAdapterFactory {
  if (databaseUrl.startsWith("file:")) {
    // better-sqlite3 creates the file but not its folder; a fresh clone has no data/.
    mkdirSync(path.dirname(databaseUrl.slice("file:".length)), { recursive: true });
    // Waiting up to 10 s for a lock beats failing a Shopify request with SQLITE_BUSY.
    const factory = new PrismaBetterSQLite3({ url: databaseUrl, timeout: 10_000 });
    return {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => {
        const connection = await factory.connect();
        await connection.executeScript(SQLITE_SETTINGS);
        return connection;
      },
      connectToShadowDb: () => factory.connectToShadowDb(),
    };
  }
  throw new Error(
    `DATABASE_URL must be a SQLite "file:" URL; got one starting with "${databaseUrl.split(":")[0]}:".`,
  );
}
