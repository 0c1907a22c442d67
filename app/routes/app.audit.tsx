import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Button, Card, DataTable, EmptyState, Page } from "@shopify/polaris";
import { useState } from "react";
import { requireStaff, staffLocale } from "../admin/staff.server";
import { listAuditEntries } from "../audit/audit-trail.server";
import { getDb } from "../db.server";
import { statusLabel } from "../ui/status-badges";
import { AdminErrorBoundary } from "../ui/admin-error-boundary";

export const meta: MetaFunction = () => [{ title: "Audit trail" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireStaff(request);
  const entries = await listAuditEntries(getDb(), shop, { limit: 500 });
  return {
    locale: staffLocale(request),
    entries: entries.map((entry) => ({ ...entry, createdAt: entry.createdAt.toISOString() })),
  };
}

export default function AuditTrail() {
  const { locale, entries } = useLoaderData<typeof loader>();
  const [downloading, setDownloading] = useState(false);
  const when = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" }).format(new Date(iso));

  // A plain link would go without the session token; fetch carries it (App Bridge), then the browser saves the file.
  const download = async () => {
    setDownloading(true);
    try {
      const response = await fetch("/app/audit.csv");
      if (!response.ok) throw new Error(`The export failed (${response.status}).`);
      const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "audit-trail.csv";
      const link = document.createElement("a");
      link.href = URL.createObjectURL(await response.blob());
      link.download = name;
      link.click();
      URL.revokeObjectURL(link.href);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Page title="Audit trail" subtitle="Every staff action and every reveal of customer data" backAction={{ content: "Payments", url: "/app" }} primaryAction={<Button onClick={download} loading={downloading}>Export CSV</Button>}>
      <Card padding={entries.length ? "0" : undefined}>
        {entries.length === 0 ? (
          <EmptyState heading="No staff actions yet" image="">
            <p>Resolving, rejecting or retrying from a payment's page, revealing customer details and saving settings are recorded here.</p>
          </EmptyState>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text", "text"]}
            headings={["Time", "Staff", "Action", "Subject", "Change", "Reason"]}
            rows={entries.map((entry) => [when(entry.createdAt), entry.staffUserId, statusLabel(entry.action), entry.subject ?? "—", entry.beforeState ? `${entry.beforeState} → ${entry.afterState ?? ""}` : "—", entry.reason])}
          />
        )}
      </Card>
    </Page>
  );
}

// A 4xx of this page (an unknown payment, a method it does not take) as a Polaris page inside the admin frame.
export function ErrorBoundary() {
  return <AdminErrorBoundary inFrame />;
}
