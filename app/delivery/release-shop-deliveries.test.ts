import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { releaseShopDeliveries } from "./send-delivery.server";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe("releaseShopDeliveries (after a reinstall)", () => {
  it("clears the shop's reinstall mark and makes its pending deliveries due now, and no other shop's", async () => {
    const later = new Date(Date.now() + 3_600_000);
    const now = new Date();
    for (const domain of ["held.myshopify.com", "other.myshopify.com"]) {
      await database.db.shop.create({ data: { domain, needsReinstallAt: new Date() } });
      await database.db.delivery.create({ data: { shop: domain, operation: "REFUND_RESOLVE", sessionGid: `gid://shopify/RefundSession/${domain}`, nextAttemptAt: later } });
    }

    await releaseShopDeliveries(database.db, "held.myshopify.com", now);

    const shops = await database.db.shop.findMany({ orderBy: { domain: "asc" } });
    expect(shops.map((s) => [s.domain, s.needsReinstallAt === null])).toEqual([
      ["held.myshopify.com", true],
      ["other.myshopify.com", false],
    ]);
    const deliveries = await database.db.delivery.findMany({ orderBy: { shop: "asc" } });
    expect(deliveries.map((d) => d.nextAttemptAt.getTime())).toEqual([now.getTime(), later.getTime()]);
  });
});
