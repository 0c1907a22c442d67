import type { DeliveryOperation } from "@prisma/client";
import type { Tx } from "../../db.server";

/** The session an outcome is about; exactly one of the ids is set. */
export interface DeliveryTarget {
  shop: string;
  sessionGid: string;
  paymentSessionId?: string;
  refundSessionId?: string;
  captureSessionId?: string;
  voidSessionId?: string;
}

/**
 * Records, inside the caller's transaction, that `operation` must be reported to
 * Shopify for a session. Written together with the state change it reports, so
 * neither exists without the other. Enqueuing the same operation for the same
 * session twice keeps the first record, like Shopify's own idempotency (§4.2).
 */
export async function enqueueDelivery(tx: Tx, operation: DeliveryOperation, target: DeliveryTarget, now = new Date()): Promise<void> {
  await tx.delivery.upsert({
    where: { sessionGid_operation: { sessionGid: target.sessionGid, operation } },
    create: { operation, nextAttemptAt: now, ...target },
    update: {},
  });
}
