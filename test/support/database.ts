import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PrismaClient } from "@prisma/client";
import { inject } from "vitest";
import { createPrismaClient } from "../../app/db/prisma-client";
import { databaseUrlFor, withAdminConnection } from "./test-backend";

export interface TestDatabase {
  url: string;
  db: PrismaClient;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database of its own on the run's backend (test-backend.ts):
 * a copy of the run's template, as a SQLite file or as a PostgreSQL database
 * created from the migrated template database (CREATE DATABASE … TEMPLATE).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const backend = inject("testDatabase");
  if (backend.provider === "postgresql") {
    const name = `${backend.templateName.replace(/_template$/, "")}_${randomBytes(5).toString("hex")}`;
    await withAdminConnection(backend.adminUrl, async (admin) => {
      await admin.$executeRawUnsafe(`CREATE DATABASE "${name}" TEMPLATE "${backend.templateName}"`);
    });
    const url = databaseUrlFor(backend.adminUrl, name);
    const db = createPrismaClient(url);
    return {
      url,
      db,
      async drop() {
        await db.$disconnect();
        // FORCE: an app process a test killed may still hold a connection.
        await withAdminConnection(backend.adminUrl, (admin) => admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), "payments-app-test-"));
  const file = path.join(dir, "test.sqlite");
  copyFileSync(backend.templateFile, file);
  const url = `file:${file}`;
  const db = createPrismaClient(url);
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Installs the app on a shop the way token exchange leaves it: the shop's offline
 * session, and an online session (a day long, naming Shopify's associated user)
 * for each staff member who opened the admin, which the embedded admin uses.
 */
export async function installShop(db: PrismaClient, shop: string, staffUserIds: readonly string[] = ["42", "1001"]): Promise<void> {
  await db.session.create({
    data: { id: `offline_${shop}`, shop, state: "installed", isOnline: false, scope: "write_payment_gateways,write_payment_sessions", accessToken: `shpat_test_${shop}` },
  });
  for (const userId of staffUserIds) {
    await db.session.create({
      data: {
        id: `${shop}_${userId}`, shop, state: "installed", isOnline: true, scope: "write_payment_gateways,write_payment_sessions", accessToken: `shpua_test_${shop}_${userId}`,
        expires: new Date(Date.now() + 86_400_000), userId: BigInt(userId), firstName: "Test", lastName: `Staff ${userId}`, email: `staff-${userId}@example.com`,
      },
    });
  }
}
