// Operator's view of outcome delivery, until the admin shows it:
//   npm run deliveries                  counts by status, and the dead/failed ones
//   npm run deliveries -- retry <id>    make a dead or failed delivery due again now
// Uses DATABASE_URL (default: the embedded SQLite database).
import { DEFAULT_DATABASE_URL } from "../app/db/adapter";
import { createPrismaClient } from "../app/db/prisma-client";
import { retryDeliveryNow } from "../app/delivery/send-delivery.server";

const db = createPrismaClient(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
const [command, id] = process.argv.slice(2);
try {
  if (command === "retry") {
    if (!id) throw new Error("Usage: npm run deliveries -- retry <delivery id>");
    const delivery = await db.delivery.findUnique({ where: { id } });
    if (!delivery) throw new Error(`No delivery ${id}.`);
    const retried = await retryDeliveryNow(db, delivery.shop, id);
    console.log(retried ? `${id}: due again now; a running app sends it within a moment.` : `${id} is ${delivery.status}; only DEAD or FAILED deliveries can be retried.`);
  } else {
    const counts = await db.delivery.groupBy({ by: ["status"], _count: true });
    console.log(counts.map((row) => `${row.status}: ${row._count}`).join("   ") || "no deliveries");
    const stuck = await db.delivery.findMany({ where: { status: { in: ["DEAD", "FAILED"] } }, orderBy: { updatedAt: "desc" }, take: 50 });
    for (const d of stuck) console.log(`${d.id}  ${d.status.padEnd(6)} ${d.operation.padEnd(16)} ${d.shop}  ${d.sessionGid}  after ${d.attempts} attempt(s): ${d.lastError ?? ""}`);
    const held = await db.shop.findMany({ where: { needsReinstallAt: { not: null } }, select: { domain: true, needsReinstallAt: true } });
    for (const shop of held) console.log(`held: ${shop.domain} needs a reinstall (Shopify refused its token at ${shop.needsReinstallAt?.toISOString()})`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
