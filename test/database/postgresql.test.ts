import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type * as Sqlite from "@prisma/client";
import type * as Postgresql from ".prisma/client-postgresql";
import { afterAll, beforeAll, describe, expect, expectTypeOf, inject, it } from "vitest";
import { createPrismaClient, providerOf } from "../../app/db/prisma-client";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { ROOT } from "../support/paths";
import { databaseUrlFor, withAdminConnection, type TestBackend } from "../support/test-backend";

const exec = promisify(execFile);
const backend = inject("testDatabase");
const adminUrlOf = (run: TestBackend) => (run.provider === "postgresql" ? run.adminUrl : "");

describe("the PostgreSQL client's types", () => {
  // The app is typed with the SQLite client (app/db/prisma-client.ts): that is
  // only sound while every model reads back the same on both.
  it("are the SQLite client's, model by model", () => {
    expectTypeOf<Postgresql.PaymentSession>().toEqualTypeOf<Sqlite.PaymentSession>();
    expectTypeOf<Postgresql.Delivery>().toEqualTypeOf<Sqlite.Delivery>();
    expectTypeOf<Postgresql.Session>().toEqualTypeOf<Sqlite.Session>();
    expectTypeOf<Postgresql.RefundSession>().toEqualTypeOf<Sqlite.RefundSession>();
    expectTypeOf<Postgresql.CaptureSession>().toEqualTypeOf<Sqlite.CaptureSession>();
    expectTypeOf<Postgresql.VoidSession>().toEqualTypeOf<Sqlite.VoidSession>();
    expectTypeOf<Postgresql.DeliveryAttempt>().toEqualTypeOf<Sqlite.DeliveryAttempt>();
    expectTypeOf<Postgresql.SandboxCharge>().toEqualTypeOf<Sqlite.SandboxCharge>();
    expectTypeOf<Postgresql.DeliveryStatus>().toEqualTypeOf<Sqlite.DeliveryStatus>();
  });
});

describe.skipIf(backend.provider !== "postgresql")("instants on PostgreSQL (skipped on SQLite)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    // A server set to another time zone than UTC (New Zealand is UTC+13 in November).
    const name = new URL(database.url).pathname.slice(1);
    await withAdminConnection(adminUrlOf(backend), (admin) => admin.$executeRawUnsafe(`ALTER DATABASE "${name}" SET timezone TO 'Pacific/Auckland'`));
  });
  afterAll(() => database?.drop());

  it("stores the instant a Date names and reads it back, whatever the database's time zone", async () => {
    const at = new Date("2026-11-29T10:00:00.123Z");
    await database.db.shop.create({ data: { domain: "zoned.myshopify.com", createdAt: at } });
    const [stored] = await database.db.$queryRawUnsafe<{ utc: string }[]>(
      `SELECT to_char("createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS "utc" FROM "Shop" WHERE "domain" = 'zoned.myshopify.com'`,
    );
    expect(stored?.utc).toBe("2026-11-29T10:00:00.123");
    expect((await database.db.shop.findUniqueOrThrow({ where: { domain: "zoned.myshopify.com" } })).createdAt.toISOString()).toBe(at.toISOString());

    // The database's own clock (DEFAULT CURRENT_TIMESTAMP) reads back as now too.
    await database.db.$executeRawUnsafe(`INSERT INTO "Shop" ("domain") VALUES ('defaulted.myshopify.com')`);
    const defaulted = await database.db.shop.findUniqueOrThrow({ where: { domain: "defaulted.myshopify.com" } });
    expect(Math.abs(defaulted.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });
});

// `prisma migrate deploy` runs Prisma's WebAssembly schema engine through
// @prisma/adapter-pg, which could not read PostgreSQL's `name` columns until
// patches/@prisma+adapter-pg+*.patch; this is that patch's regression test.
describe.skipIf(backend.provider !== "postgresql")("migrations on PostgreSQL (skipped on SQLite; run with TEST_DATABASE_URL=postgresql://…)", () => {
  const adminUrl = adminUrlOf(backend);
  const name = `payments_test_migrate_${process.pid}_${Date.now().toString(36)}`;
  const url = adminUrl && databaseUrlFor(adminUrl, name);

  beforeAll(() => withAdminConnection(adminUrl, (admin) => admin.$executeRawUnsafe(`CREATE DATABASE "${name}"`)));
  afterAll(() => withAdminConnection(adminUrl, (admin) => admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));

  it("reads a column of PostgreSQL's name type as text through the adapter", async () => {
    const db = createPrismaClient(url);
    try {
      expect(providerOf(db)).toBe("postgresql");
      expect(await db.$queryRawUnsafe(`SELECT current_database() AS "database", 'payments'::name AS "label"`)).toEqual([{ database: name, label: "payments" }]);
    } finally {
      await db.$disconnect();
    }
  });

  it("applies every migration with `prisma migrate deploy` on an empty database, and finds nothing to do the second time", { timeout: 120_000 }, async () => {
    const deploy = () => exec("npx", ["prisma", "migrate", "deploy"], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url } });
    const first = await deploy();
    expect(first.stdout).toContain("All migrations have been successfully applied.");

    const migrations = readdirSync(path.join(ROOT, "prisma", "postgresql", "migrations"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(migrations).toEqual(readdirSync(path.join(ROOT, "prisma", "migrations"), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name));
    const db = createPrismaClient(url);
    try {
      const applied = await db.$queryRawUnsafe<{ migration_name: string }[]>(
        `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`,
      );
      expect(applied.map((row) => row.migration_name)).toEqual(migrations.sort());
      // The schema is usable as the app uses it: enums, BigInt and timestamptz round-trip.
      await db.shop.create({ data: { domain: "migrated.myshopify.com" } });
      const charge = await db.sandboxCharge.create({
        data: { paymentId: "p1", kind: "SALE", amountMinor: 9_007_199_254_740_993n, currency: "USD", scenario: "approve", settlesAt: new Date("2026-11-29T10:00:00.123Z") },
      });
      expect(charge.amountMinor).toBe(9_007_199_254_740_993n);
      expect(charge.settlesAt.toISOString()).toBe("2026-11-29T10:00:00.123Z");
    } finally {
      await db.$disconnect();
    }

    const second = await deploy();
    expect(second.stdout).toContain("No pending migrations to apply.");
  });
});
