import type { FollowUpRejectionCode, FollowUpStatus } from "@prisma/client";
import { recordAudit, type AuditInput } from "../../audit/audit-trail.server";
import type { Db, Tx } from "../../db.server";
import { deliveryOperationFor } from "../rules/delivery-operations";
import { enqueueDelivery, type OutboxSession } from "./outcome-outbox.server";
import { nextFollowUpStatus, type FollowUpKind } from "../rules/follow-up-transitions";

export type { FollowUpKind };

export type FollowUpOutcome =
  | { kind: "resolve"; providerReference: string | null }
  | { kind: "reject"; code: FollowUpRejectionCode; message: string };

interface FollowUpRow {
  id: string;
  shop: string;
  gid: string;
  status: FollowUpStatus;
  paymentSessionId: string;
}

/** Records, with its delivery, that a rule refused a follow-up at receipt (already stored REJECTED). */
export function enqueueRuleRejection(tx: Tx, kind: FollowUpKind, row: OutboxSession, now: Date) {
  return enqueueDelivery(tx, deliveryOperationFor(kind, "reject"), row, now);
}

/**
 * A refund's, capture's or void's outcome from the provider or staff, applied in
 * one transaction with its delivery. Repeating it is a no-op; contradicting a
 * final outcome throws InvalidTransitionError.
 */
export async function applyFollowUpOutcome(
  db: Db,
  kind: FollowUpKind,
  id: string,
  outcome: FollowUpOutcome,
  now = new Date(),
  /** A staff action: recorded with the change, in its transaction (nothing when nothing changed). */
  audit?: Omit<AuditInput, "beforeState" | "afterState" | "paymentSessionId" | "subject">,
): Promise<FollowUpStatus> {
  const status: FollowUpStatus = outcome.kind === "resolve" ? "RESOLVED" : "REJECTED";
  const data =
    outcome.kind === "resolve"
      ? { status, resolvedAt: now, providerReference: outcome.providerReference }
      : { status, rejectedAt: now, rejectionCode: outcome.code, rejectionMessage: outcome.message };
  return db.$transaction(async (tx) => {
    // Write first (app/db/write-first.ts): only a RECEIVED session changes.
    const where = { id, status: "RECEIVED" as const };
    const changed =
      kind === "refund"
        ? await tx.refundSession.updateMany({ where, data })
        : kind === "capture"
          ? await tx.captureSession.updateMany({ where, data })
          : await tx.voidSession.updateMany({ where, data });
    const row = await findFollowUp(tx, kind, id);
    if (changed.count === 1) {
      await enqueueDelivery(tx, deliveryOperationFor(kind, outcome.kind), row, now);
      if (audit) {
        await recordAudit(tx, { ...audit, paymentSessionId: row.paymentSessionId, subject: row.gid, beforeState: "RECEIVED", afterState: status }, now);
      }
      return status;
    }
    // Already final: the same outcome again is a no-op, another one an error.
    return nextFollowUpStatus(kind, row.status, outcome.kind);
  });
}

async function findFollowUp(tx: Tx, kind: FollowUpKind, id: string): Promise<FollowUpRow> {
  const select = { id: true, shop: true, gid: true, status: true, paymentSessionId: true } as const;
  if (kind === "refund") return tx.refundSession.findUniqueOrThrow({ where: { id }, select });
  if (kind === "capture") return tx.captureSession.findUniqueOrThrow({ where: { id }, select });
  return tx.voidSession.findUniqueOrThrow({ where: { id }, select });
}
