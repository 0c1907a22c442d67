import type { AuditEntry, StaffAction } from "@prisma/client";
import type { Db, Tx } from "../db.server";

/**
 * Who the audit trail names for what Shopify asked and the app did (the privacy
 * webhooks): not a staff user id, which are numeric.
 */
export const SHOPIFY_ACTOR = "Shopify";

/** A staff action (or Shopify's request) to record, in the transaction that performs it. */
export interface AuditInput {
  shop: string;
  staffUserId: string;
  /** The staff member's name and email from Shopify's associated user (online token). */
  staffName?: string | null;
  staffEmail?: string | null;
  action: StaffAction;
  paymentSessionId?: string | null;
  subject?: string | null;
  beforeState?: string | null;
  afterState?: string | null;
  reason: string;
}

export function recordAudit(tx: Tx | Db, entry: AuditInput, now = new Date()): Promise<AuditEntry> {
  return tx.auditEntry.create({
    data: {
      shop: entry.shop,
      staffUserId: entry.staffUserId,
      staffName: entry.staffName ?? null,
      staffEmail: entry.staffEmail ?? null,
      action: entry.action,
      paymentSessionId: entry.paymentSessionId ?? null,
      subject: entry.subject ?? null,
      beforeState: entry.beforeState ?? null,
      afterState: entry.afterState ?? null,
      reason: entry.reason,
      createdAt: now,
    },
  });
}

/** The shop's audit trail, newest first (one payment's, one staff member's, one action's when given). */
export function listAuditEntries(db: Db, shop: string, options: { paymentSessionId?: string; staffUserId?: string; action?: StaffAction; limit?: number } = {}): Promise<AuditEntry[]> {
  return db.auditEntry.findMany({
    where: {
      shop,
      ...(options.paymentSessionId ? { paymentSessionId: options.paymentSessionId } : {}),
      ...(options.staffUserId ? { staffUserId: options.staffUserId } : {}),
      ...(options.action ? { action: options.action } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit ?? 10_000,
  });
}

/** Who has entries in the shop's audit trail, for the staff filter's choices. */
export async function auditStaffIds(db: Db, shop: string): Promise<string[]> {
  // A GROUP BY in SQL (Prisma's `distinct` would read every entry of the shop and drop repeats in JavaScript).
  const rows = await db.auditEntry.groupBy({ by: ["staffUserId"], where: { shop }, orderBy: { staffUserId: "asc" }, take: 500 });
  return rows.map((row) => row.staffUserId);
}

const CSV_COLUMNS = ["time", "staff_user_id", "action", "payment_session_id", "subject", "before", "after", "reason"] as const;

/**
 * The shop's audit trail as CSV (RFC 4180), oldest first. Cells that a
 * spreadsheet would run as a formula are prefixed with a quote.
 */
export async function auditTrailCsv(db: Db, shop: string): Promise<string> {
  const entries = await db.auditEntry.findMany({ where: { shop }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const lines = [CSV_COLUMNS.join(",")];
  for (const entry of entries) {
    lines.push(
      [entry.createdAt.toISOString(), entry.staffUserId, entry.action, entry.paymentSessionId, entry.subject, entry.beforeState, entry.afterState, entry.reason]
        .map(csvCell)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

function csvCell(value: string | null): string {
  if (value === null) return "";
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
