import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadCustomerDataExport } from "../admin/data-requests.server";
import { requireStaff } from "../admin/staff.server";
import { getDb } from "../db.server";
import { requireIdParam } from "../http/route-params";
import { getPiiKeyring } from "../privacy/keyring.server";

const NO_SUCH_EXPORT = "No such data export in this shop; it may have expired (exports are kept 30 days).";

// One customer data export as a JSON download (fetched with the session token
// by the data requests page); every download is in the audit trail.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const found = await downloadCustomerDataExport(getDb(), getPiiKeyring(), staff, requireIdParam(params.id, NO_SUCH_EXPORT));
  if (!found) throw new Response(NO_SUCH_EXPORT, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(found.document, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="customer-data-${found.dataRequestId ?? params.id}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
