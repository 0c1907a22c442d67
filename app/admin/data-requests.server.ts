import { recordAudit } from "../audit/audit-trail.server";
import type { Db } from "../db.server";
import { getCustomerDataExportDocument } from "../privacy/customer-data.server";
import type { PiiKeyring } from "../privacy/pii-crypto.server";
import type { StaffContext } from "./staff.server";

/**
 * A customer data export handed to a staff member: decrypted, and recorded in
 * the audit trail in the same transaction, so no copy leaves the app unrecorded.
 * Null when the shop has no such export (another shop's id included).
 */
export async function downloadCustomerDataExport(db: Db, keyring: PiiKeyring, staff: StaffContext, exportId: string, now = new Date()): Promise<{ document: string; dataRequestId: string | null } | null> {
  return db.$transaction(async (tx) => {
    const row = await tx.customerDataExport.findFirst({ where: { id: exportId, shop: staff.shop }, select: { id: true, dataRequestId: true } });
    if (!row) return null;
    const document = await getCustomerDataExportDocument(tx as Db, keyring, staff.shop, row.id);
    if (document === null) return null;
    await recordAudit(tx, { shop: staff.shop, staffUserId: staff.staffUserId, staffName: staff.staffName, staffEmail: staff.staffEmail, action: "CUSTOMER_DATA_EXPORT_DOWNLOAD", subject: row.id, reason: `Downloaded the customer data export${row.dataRequestId ? ` for data request ${row.dataRequestId}` : ""}` }, now);
    return { document, dataRequestId: row.dataRequestId };
  });
}
