import type { DeliveryOperation } from "@prisma/client";
import type { Tx } from "../../db.server";
import { DELIVERY_OPERATIONS, SESSION_COLUMN } from "../rules/delivery-operations";

/** The session an outcome is about: a payment, refund, capture or void row, as its operation's entry says. */
export interface OutboxSession {
  id: string;
  shop: string;
  gid: string;
}

/**
 * Records, inside the caller's transaction, that `operation` must be reported to
 * Shopify for a session. Written together with the state change it reports, so
 * neither exists without the other. Enqueuing the same operation for the same
 * session twice keeps the first record, like Shopify's own idempotency (§4.2).
 */
export async function enqueueDelivery(tx: Tx, operation: DeliveryOperation, session: OutboxSession, now = new Date()): Promise<void> {
  const column = SESSION_COLUMN[DELIVERY_OPERATIONS[operation].session];
  await tx.delivery.upsert({
    where: { sessionGid_operation: { sessionGid: session.gid, operation } },
    create: { operation, nextAttemptAt: now, shop: session.shop, sessionGid: session.gid, [column]: session.id },
    update: {},
  });
}
