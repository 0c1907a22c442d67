import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/database";
import { applyPaymentOutcome } from "./payment-outcomes.server";

const SHOP = "outcomes.myshopify.com";
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.shop.create({ data: { domain: SHOP } });
});
afterAll(() => database.drop());

async function openPayment(group: string, shopifyId: string) {
  return database.db.paymentSession.create({
    data: {
      shop: SHOP,
      shopifyId,
      gid: `gid://shopify/PaymentSession/${shopifyId}`,
      group,
      amountMinor: 1999n,
      amount: "19.99",
      currency: "USD",
      test: true,
      merchantLocale: "en",
      kind: "SALE",
      paymentMethodType: "offsite",
      cancelUrl: `https://${SHOP}/cancel`,
      proposedAt: new Date(),
      shopifyApiVersion: "2026-04",
      shopifyRequestId: shopifyId,
      requestHash: shopifyId,
    },
  });
}

describe("applyPaymentOutcome", () => {
  // Two tabs of one checkout, both approved at the same moment: on PostgreSQL each
  // transaction locks only its own payment, so the checkout itself must be locked.
  it("lets only one payment of a checkout succeed when several are approved at once", async () => {
    for (let round = 0; round < 5; round++) {
      const group = `grp-${round}`;
      const payments = await Promise.all(Array.from({ length: 4 }, (_, tab) => openPayment(group, `pay-${round}-${tab}`)));
      const results = await Promise.all(
        payments.map((payment) => applyPaymentOutcome(database.db, payment.id, { kind: "resolve", authorizationExpiresAt: null, providerReference: null })),
      );
      expect(results.filter((payment) => payment.status === "RESOLVED")).toHaveLength(1);
      expect(results.filter((payment) => payment.status === "REJECTED")).toHaveLength(3);
      const deliveries = await database.db.delivery.findMany({ where: { paymentSessionId: { in: payments.map((p) => p.id) } } });
      expect(deliveries.map((d) => d.operation).sort()).toEqual(["PAYMENT_REJECT", "PAYMENT_REJECT", "PAYMENT_REJECT", "PAYMENT_RESOLVE"]);
    }
  });
});
