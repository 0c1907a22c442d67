// `npm run dev:resolve -- <payment id>`: approve a payment of the dev shop without
// the buyer page (as if the provider approved it); the running app's worker then
// reports it to Shopify like any outcome.
import { createPrismaClient } from "../app/db/prisma-client";
import { applyPaymentOutcome } from "../app/payments/outcomes/payment-outcomes.server";
import { DEV_SHOP, devEnvironment } from "./dev-env";

const id = process.argv[2];
if (!id) {
  console.error("Usage: npm run dev:resolve -- <payment session id>");
  process.exit(2);
}
const env = devEnvironment();
const db = createPrismaClient(env.DATABASE_URL ?? "");
try {
  const { id: paymentId } = await db.paymentSession.findUniqueOrThrow({ where: { shop_shopifyId: { shop: DEV_SHOP, shopifyId: id } } });
  const payment = await applyPaymentOutcome(db, paymentId, {
    kind: "resolve",
    authorizationExpiresAt: new Date(Date.now() + 7 * 86_400_000),
    providerReference: "dev-resolve",
  });
  console.log(`${payment.shopifyId}: ${payment.status} (${payment.kind.toLowerCase()} of ${payment.amount} ${payment.currency})`);
} finally {
  await db.$disconnect();
}
