// `npm run dev:resolve -- <payment id>`: approve a payment in the dev database, as
// the buyer page and outcome delivery will once they exist, so that captures,
// refunds and voids can be tried by hand.
import { PrismaClient } from "@prisma/client";
import { createDriverAdapter } from "../app/db/adapter";
import { resolvePayment } from "../app/payments/payment-sessions.server";
import { DEV_SHOP, devEnvironment } from "./dev-env";

const id = process.argv[2];
if (!id) {
  console.error("Usage: npm run dev:resolve -- <payment session id>");
  process.exit(2);
}
const env = devEnvironment();
const db = new PrismaClient({ adapter: createDriverAdapter(env.DATABASE_URL ?? "") });
try {
  const payment = await resolvePayment(db, DEV_SHOP, id, { authorizationExpiresAt: new Date(Date.now() + 7 * 86_400_000) });
  console.log(`${payment.shopifyId}: ${payment.status} (${payment.kind.toLowerCase()} of ${payment.amount} ${payment.currency})`);
} finally {
  await db.$disconnect();
}
