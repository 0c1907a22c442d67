import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaClient } from "@prisma/client";
import { createDriverAdapter } from "../../app/db/adapter";
import { TEMPLATE_DATABASE } from "./paths";

export interface TestDatabase {
  url: string;
  db: PrismaClient;
  drop(): Promise<void>;
}

/** A fresh, migrated SQLite database of its own (a copy of the run's template). */
export function createTestDatabase(): TestDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), "payments-app-test-"));
  const file = path.join(dir, "test.sqlite");
  copyFileSync(TEMPLATE_DATABASE, file);
  const url = `file:${file}`;
  const db = new PrismaClient({ adapter: createDriverAdapter(url) });
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Installs the app on a shop the way OAuth leaves it: an offline session in session storage. */
export async function installShop(db: PrismaClient, shop: string): Promise<void> {
  await db.session.create({
    data: { id: `offline_${shop}`, shop, state: "installed", isOnline: false, scope: "write_payment_gateways,write_payment_sessions", accessToken: `shpat_test_${shop}` },
  });
}
