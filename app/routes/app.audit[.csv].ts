import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "../admin/staff.server";
import { auditTrailCsv } from "../audit/audit-trail.server";
import { getDb } from "../db.server";

// The shop's audit trail as a CSV download (fetched with the session token by
// the audit page, then saved by the browser).
export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireStaff(request);
  const csv = await auditTrailCsv(getDb(), shop);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-trail-${shop.replace(/\.myshopify\.com$/, "")}-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
