import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, EmptyState, IndexTable, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { requireStaff, staffLocale } from "../admin/staff.server";
import { getDb } from "../db.server";
import { CUSTOMER_EXPORT_RETENTION_DAYS, listCustomerDataExports } from "../privacy/customer-data.server";
import { AdminErrorBoundary } from "../ui/admin-error-boundary";
import { relativeAge } from "../ui/relative-time";

export const meta: MetaFunction = () => [{ title: "Customer data requests" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireStaff(request);
  return { locale: staffLocale(request), now: new Date().toISOString(), retentionDays: CUSTOMER_EXPORT_RETENTION_DAYS, exports: await listCustomerDataExports(getDb(), shop) };
}

export default function DataRequests() {
  const { locale, now, retentionDays, exports } = useLoaderData<typeof loader>();
  const [downloading, setDownloading] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

  // A plain link would go without the session token; fetch carries it (App Bridge), then the browser saves the file.
  const download = async (id: string) => {
    setDownloading(id);
    setProblem(null);
    try {
      const response = await fetch(`/app/data-requests/${id}.json`);
      if (!response.ok) throw new Error(response.status === 404 ? "This export is gone: it expired or the customer's data was erased." : `The download failed (${response.status}).`);
      const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "customer-data.json";
      const link = document.createElement("a");
      link.href = URL.createObjectURL(await response.blob());
      link.download = name;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : "The download failed.");
    } finally {
      setDownloading(null);
    }
  };

  return (
    <Page title="Customer data requests" subtitle="What this app holds about a customer who asked Shopify for their data" backAction={{ content: "Payments", url: "/app" }}>
      <BlockStack gap="400">
        {problem ? (
          <Banner tone="critical" onDismiss={() => setProblem(null)}>
            {problem}
          </Banner>
        ) : null}
        <Card padding={exports.length ? "0" : undefined}>
          {exports.length === 0 ? (
            <EmptyState heading="No data requests" image="">
              <p>When a customer asks for their data, Shopify tells the app, and the app prepares an export of their payments here for {retentionDays} days.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "data request", plural: "data requests" }}
              itemCount={exports.length}
              selectable={false}
              headings={[{ title: "Requested" }, { title: "Request" }, { title: "Payments", alignment: "end" }, { title: "Available until" }, { title: "Export" }]}
            >
              {exports.map((row, index) => (
                <IndexTable.Row id={row.id} key={row.id} position={index}>
                  <IndexTable.Cell>
                    <time dateTime={row.createdAt} title={`${date.format(new Date(row.createdAt))} UTC`}>
                      {relativeAge(new Date(row.createdAt), new Date(now), locale)}
                    </time>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <BlockStack gap="050">
                      <Text as="span">{row.dataRequestId ? `Data request ${row.dataRequestId}` : "Data request"}</Text>
                      {row.shopifyCustomerId ? (
                        <Text as="span" variant="bodySm" tone="subdued">
                          Customer {row.shopifyCustomerId}
                        </Text>
                      ) : null}
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {row.paymentCount}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{date.format(new Date(row.expiresAt))}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Button onClick={() => void download(row.id)} loading={downloading === row.id} accessibilityLabel={`Download the export of ${row.dataRequestId ? `data request ${row.dataRequestId}` : "this data request"}`}>
                      Download
                    </Button>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
        <Text as="p" tone="subdued">
          Each download is recorded in the audit trail with your name. The export holds the customer's personal data: send it to them through Shopify and keep no copy.
        </Text>
      </BlockStack>
    </Page>
  );
}

export function ErrorBoundary() {
  return <AdminErrorBoundary inFrame />;
}
