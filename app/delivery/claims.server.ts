import type { Delivery } from "@prisma/client";
import { Prisma } from "@prisma/client";
import { providerOf } from "../db/prisma-client";
import type { Db } from "../db.server";

/**
 * Claims up to `limit` due deliveries for one worker with a lease. Several app
 * processes may run workers at once: the UPDATE re-checks the lease on each row,
 * so a row another worker claimed a moment earlier is skipped, not taken twice.
 * SQLite runs one writer at a time, so each claim sees the ones before it. On
 * PostgreSQL the candidates are locked with SKIP LOCKED: concurrent workers take
 * disjoint batches instead of queueing on each other's rows, and a candidate
 * claimed and committed meanwhile fails the re-checked lease condition.
 * A worker that dies loses its claims when the lease expires. Deliveries of a
 * shop that needs a reinstall or uninstalled the app wait (never sent) until it
 * installs again.
 */
export async function claimDueDeliveries(db: Db, owner: string, limit: number, leaseMs: number, now = new Date()): Promise<Delivery[]> {
  const leaseExpiresAt = new Date(now.getTime() + leaseMs);
  const lockCandidates = providerOf(db) === "postgresql" ? Prisma.sql`FOR UPDATE OF d SKIP LOCKED` : Prisma.empty;
  const claimed = await db.$executeRaw`
    UPDATE "Delivery"
       SET "leaseOwner" = ${owner}, "leaseExpiresAt" = ${leaseExpiresAt}
     WHERE "id" IN (
             SELECT d."id" FROM "Delivery" d
               JOIN "Shop" s ON s."domain" = d."shop"
              WHERE d."status" = 'PENDING' AND d."nextAttemptAt" <= ${now}
                AND (d."leaseExpiresAt" IS NULL OR d."leaseExpiresAt" <= ${now})
                AND s."needsReinstallAt" IS NULL
                AND s."uninstalledAt" IS NULL
              ORDER BY d."nextAttemptAt"
              LIMIT ${limit}
              ${lockCandidates})
       AND "status" = 'PENDING'
       AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" <= ${now})`;
  if (claimed === 0) return [];
  return db.delivery.findMany({ where: { leaseOwner: owner, leaseExpiresAt: leaseExpiresAt, status: "PENDING" } });
}
