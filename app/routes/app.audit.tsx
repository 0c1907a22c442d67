import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { $Enums } from "@prisma/client";
import { BlockStack, Box, Button, Card, EmptyState, IndexTable, InlineStack, Link, Page, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { requireStaff, staffLocale } from "../admin/staff.server";
import { auditStaffIds, listAuditEntries } from "../audit/audit-trail.server";
import { getDb } from "../db.server";
import { parseFields } from "../http/fields";
import { AdminErrorBoundary } from "../ui/admin-error-boundary";
import { STAFF_ACTION_WORDS, stateWords } from "../ui/audit-words";
import { relativeAge } from "../ui/relative-time";
import { FilterProblemsBanner } from "../ui/filter-problems-banner";
import auditTrailStyles from "../ui/audit-trail.css";

export const meta: MetaFunction = () => [{ title: "Audit trail" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: auditTrailStyles }];

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const auditQuerySchema = z.object({
  staff: z.preprocess(emptyAsUndefined, z.string().max(100, "must be at most 100 characters").optional()),
  action: z.preprocess(emptyAsUndefined, z.enum($Enums.StaffAction, { error: "must be one of the actions offered" }).optional()),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireStaff(request);
  const db = getDb();
  const locale = staffLocale(request);
  const staffIds = await auditStaffIds(db, shop);
  const parsed = parseFields(auditQuerySchema, new URL(request.url).searchParams);
  if (!parsed.success) return data({ locale, now: new Date().toISOString(), staffIds, entries: [], problems: parsed.problems }, { status: 400 });
  const entries = await listAuditEntries(db, shop, { limit: 500, staffUserId: parsed.data.staff, action: parsed.data.action });
  return {
    locale,
    now: new Date().toISOString(),
    staffIds,
    problems: [],
    entries: entries.map((entry) => ({
      id: entry.id,
      createdAt: entry.createdAt.toISOString(),
      staffUserId: entry.staffUserId,
      // Staff names arrive with online tokens (another change): shown when the entry has one.
      staffName: "staffName" in entry && typeof entry.staffName === "string" ? entry.staffName : null,
      action: entry.action,
      paymentSessionId: entry.paymentSessionId,
      subject: entry.subject,
      beforeState: entry.beforeState,
      afterState: entry.afterState,
      reason: entry.reason,
    })),
  };
}

export default function AuditTrail() {
  const { locale, now, staffIds, entries, problems } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const [downloading, setDownloading] = useState(false);
  const exact = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });
  const filter = (key: "staff" | "action", value: string) => {
    const next = new URLSearchParams(searchParams);
    if (value) next.set(key, value);
    else next.delete(key);
    navigate(`?${next.toString()}`);
  };

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
      <BlockStack gap="400">
        <FilterProblemsBanner title="These filters cannot be used" problems={problems} />
        <Card>
          <InlineStack gap="400" wrap>
            <Box minWidth="200px">
              <Select label="Staff member" options={[{ label: "Everyone", value: "" }, ...staffIds.map((id) => ({ label: id, value: id }))]} value={searchParams.get("staff") ?? ""} onChange={(value) => filter("staff", value)} />
            </Box>
            <Box minWidth="260px">
              <Select
                label="Action"
                options={[{ label: "Every action", value: "" }, ...Object.entries(STAFF_ACTION_WORDS).map(([value, label]) => ({ label, value }))]}
                value={searchParams.get("action") ?? ""}
                onChange={(value) => filter("action", value)}
              />
            </Box>
          </InlineStack>
        </Card>
        <Card padding={entries.length ? "0" : undefined}>
          {entries.length === 0 ? (
            <EmptyState heading={searchParams.get("staff") || searchParams.get("action") ? "No entries match these filters" : "No staff actions yet"} image="">
              <p>Resolving, rejecting or retrying from a payment's page, revealing customer details, downloading data exports and saving settings are recorded here.</p>
            </EmptyState>
          ) : (
            <div className="audit-trail">
              <IndexTable
                resourceName={{ singular: "entry", plural: "entries" }}
                itemCount={entries.length}
                selectable={false}
                headings={[{ title: "When" }, { title: "Who" }, { title: "What" }, { title: "Payment" }, { title: "Change" }, { title: "Reason" }]}
              >
                {entries.map((entry, index) => (
                  <IndexTable.Row id={entry.id} key={entry.id} position={index}>
                    <IndexTable.Cell>
                      <time dateTime={entry.createdAt} title={`${exact.format(new Date(entry.createdAt))} UTC`} style={{ whiteSpace: "nowrap" }}>
                        {relativeAge(new Date(entry.createdAt), new Date(now), locale)}
                      </time>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{entry.staffName ?? (entry.staffUserId === "Shopify" ? "Shopify" : `Staff ${entry.staffUserId}`)}</IndexTable.Cell>
                    <IndexTable.Cell>{STAFF_ACTION_WORDS[entry.action]}</IndexTable.Cell>
                    <IndexTable.Cell>
                      {entry.paymentSessionId ? (
                        <Link url={`/app/payments/${entry.paymentSessionId}`} removeUnderline accessibilityLabel={`Open payment ${entry.subject ?? ""}`.trim()}>
                          Open payment
                        </Link>
                      ) : (
                        <Text as="span" tone="subdued">
                          —
                        </Text>
                      )}
                    </IndexTable.Cell>
                    <IndexTable.Cell>{entry.beforeState ? `${stateWords(entry.beforeState)} → ${entry.afterState ? stateWords(entry.afterState) : ""}` : "—"}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <div style={{ whiteSpace: "normal", minWidth: "12rem", maxWidth: "28rem" }}>
                        <Text as="span" breakWord>
                          {entry.reason}
                        </Text>
                      </div>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </div>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}

// A 4xx of this page (an unknown payment, a method it does not take) as a Polaris page inside the admin frame.
export function ErrorBoundary() {
  return <AdminErrorBoundary inFrame />;
}
