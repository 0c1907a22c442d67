import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { listRecentPayments, type PaymentListRow } from "../admin/payment-list.server";
import { requireStaff, staffLocale } from "../admin/staff.server";
import { getDb } from "../db.server";

export const meta: MetaFunction = () => [{ title: "Payments" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireStaff(request);
  const locale = staffLocale(request);
  return { shop, locale, payments: await listRecentPayments(getDb(), shop, { locale }) };
}

const STATUS_TONE: Record<PaymentListRow["status"], "info" | "attention" | "success" | "critical"> = {
  OPEN: "info",
  PENDING: "attention",
  RESOLVED: "success",
  REJECTED: "critical",
};

export default function Payments() {
  const { shop, locale, payments } = useLoaderData<typeof loader>();
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  return (
    <Page title="Payments" subtitle={shop}>
      <Layout>
        <Layout.Section>
          <Card padding="0">
            {payments.length === 0 ? (
              <EmptyState heading="No payments yet" image="">
                <p>Payment sessions appear here as soon as Shopify sends them: take a test payment at checkout to see one.</p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "payment", plural: "payments" }}
                itemCount={payments.length}
                selectable={false}
                headings={[{ title: "Payment" }, { title: "Received" }, { title: "Kind" }, { title: "Amount", alignment: "end" }, { title: "Status" }, { title: "Follow-ups" }]}
              >
                {payments.map((payment, index) => (
                  <IndexTable.Row id={payment.id} key={payment.id} position={index}>
                    <IndexTable.Cell>
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="span" variant="bodyMd" fontWeight="semibold">
                          {payment.shopifyId}
                        </Text>
                        {payment.test ? <Badge tone="warning">Test</Badge> : null}
                      </InlineStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{dateFormat.format(new Date(payment.receivedAt))}</IndexTable.Cell>
                    <IndexTable.Cell>{payment.kind === "SALE" ? "Sale" : "Authorization"}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {payment.formattedAmount}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <span data-testid={`status-${payment.shopifyId}`}>
                        <Badge tone={STATUS_TONE[payment.status]}>{payment.status.charAt(0) + payment.status.slice(1).toLowerCase()}</Badge>
                      </span>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      {[
                        payment.followUps.captures ? `${payment.followUps.captures} capture(s)` : null,
                        payment.followUps.refunds ? `${payment.followUps.refunds} refund(s)` : null,
                        payment.followUps.voids ? `${payment.followUps.voids} void(s)` : null,
                      ]
                        .filter(Boolean)
                        .join(", ") || "—"}
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
