import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { BlockStack, Box, Card, InlineGrid, InlineStack, Link, Page, Select, Text } from "@shopify/polaris";
import type * as PolarisViz from "@shopify/polaris-viz";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css";
import { useEffect, useState, type ReactNode } from "react";
import { loadOverview, overviewQuerySchema, overviewRange, type DayFigures, type Overview } from "../admin/overview.server";
import { requireStaff, staffLocale } from "../admin/staff.server";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { parseFields } from "../http/fields";
import { formatMoney } from "../payments/rules/money";
import { getPiiKeyring } from "../privacy/keyring.server";
import { AdminErrorBoundary } from "../ui/admin-error-boundary";
import { FilterProblemsBanner } from "../ui/filter-problems-banner";

export const meta: MetaFunction = () => [{ title: "Overview" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: vizStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireStaff(request);
  const locale = staffLocale(request);
  const parsed = parseFields(overviewQuerySchema, new URL(request.url).searchParams);
  const now = new Date();
  if (!parsed.success) return data({ shop, locale, range: overviewRange({}, now), overview: null, problems: parsed.problems }, { status: 400 });
  const overview = await loadOverview(getDb(), shop, parsed.data, { now, linkTtlHours: getEnv().PAYMENT_LINK_TTL_HOURS, keyring: getPiiKeyring() });
  return { shop, locale, range: { from: overview.from, to: overview.to }, overview, problems: [] };
}

const CHART_HEIGHT = 240;

/** "1 pending payment", "2 pending payments": the page is in English (its locale formats the numbers). */
function counted(number: Intl.NumberFormat, count: number, one: string, other: string): string {
  return `${number.format(count)} ${count === 1 ? one : other}`;
}
const DAY_MS = 86_400_000;

export default function OverviewPage() {
  const { shop, locale, range, overview, problems } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const days = Math.round((Date.parse(range.to) - Date.parse(range.from)) / DAY_MS) + 1;
  const chooseRange = (value: string) => {
    const next = new URLSearchParams(searchParams);
    const to = new Date().toISOString().slice(0, 10);
    next.set("to", to);
    next.set("from", new Date(Date.parse(to) - (Number(value) - 1) * DAY_MS).toISOString().slice(0, 10));
    navigate(`?${next.toString()}`);
  };
  // The list with the same filters and dates: the figures here are its counts.
  const listUrl = (() => {
    const next = new URLSearchParams(searchParams);
    next.set("from", range.from);
    next.set("to", range.to);
    return `/app?${next.toString()}`;
  })();

  return (
    <Page title="Overview" subtitle={shop} backAction={{ content: "Payments", url: "/app" }}>
      <BlockStack gap="400">
        <FilterProblemsBanner title="These dates cannot be used" problems={problems} />
        <InlineStack gap="400" align="space-between" blockAlign="end">
          <Box minWidth="220px">
            <Select
              label="Dates"
              options={[
                { label: "Last 7 days", value: "7" },
                { label: "Last 30 days", value: "30" },
                { label: "Last 90 days", value: "90" },
                ...([7, 30, 90].includes(days) ? [] : [{ label: `${range.from} to ${range.to}`, value: String(days) }]),
              ]}
              value={String(days)}
              onChange={chooseRange}
            />
          </Box>
          <Link url={listUrl}>See these payments in the list</Link>
        </InlineStack>
        {overview ? <Figures overview={overview} locale={locale} /> : null}
      </BlockStack>
    </Page>
  );
}

function Figures({ overview, locale }: { overview: Overview; locale: string }) {
  const number = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const duration = (ms: number | null) => (ms === null ? "No outcome yet" : ms < 60_000 ? `${number.format(Math.round(ms / 1000))} s` : `${number.format(Math.round(ms / 60_000))} min`);
  return (
    <BlockStack gap="400">
      <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
        <Figure title="Payments" value={number.format(overview.totals.payments)}>
          {Object.entries(overview.totals.byCurrency).map(([currency, total]) => (
            <Text as="p" key={currency} tone="subdued">
              {formatMoney(total.volume, currency, locale)} in {number.format(total.count)}
            </Text>
          ))}
        </Figure>
        <Figure title="Approval rate" value={overview.approvalRate === null ? "No answers yet" : percent.format(overview.approvalRate)}>
          <Text as="p" tone="subdued">
            {number.format(overview.finished.resolved)} approved, {number.format(overview.finished.rejected)} declined
          </Text>
        </Figure>
        <Figure title="Until Shopify has the outcome" value={duration(overview.timeToOutcome.medianMs)}>
          <Text as="p" tone="subdued">
            {overview.timeToOutcome.count === 0
              ? "No payment in these dates has reached Shopify with its outcome."
              : `Median of ${number.format(overview.timeToOutcome.count)}; 9 in 10 within ${duration(overview.timeToOutcome.p90Ms)}`}
          </Text>
        </Figure>
        <Figure title="Deliveries to Shopify" value={`${number.format(overview.deliveries.retrying)} retrying`}>
          <Text as="p" tone={overview.deliveries.dead + overview.deliveries.failed > 0 ? "critical" : "subdued"}>
            {number.format(overview.deliveries.dead)} gave up, {number.format(overview.deliveries.failed)} refused
          </Text>
        </Figure>
      </InlineGrid>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Deadlines
          </Text>
          <Text as="p">
            {counted(number, overview.deadlines.pending, "pending payment", "pending payments")}, {number.format(overview.deadlines.pendingExpiringSoon)} of them due within a day;{" "}
            {counted(number, overview.deadlines.authorizationsExpiringSoon, "authorization expires", "authorizations expire")} within a day with nothing captured.{" "}
            <Link url="/app?view=attention">See what needs attention</Link>
          </Text>
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Payments per day
          </Text>
          <ClientChart
            label="Payments per day, per currency"
            fallback={<DayTable days={overview.days} currencies={overview.currencies} locale={locale} cell={(figures) => number.format(figures?.count ?? 0)} />}
            render={(viz) => (
              <viz.LineChart
                data={overview.currencies.map((currency) => ({ name: currency, data: overview.days.map((day) => ({ key: day.day, value: day.byCurrency[currency]?.count ?? 0 })) }))}
                xAxisOptions={{ labelFormatter: (value) => String(value ?? "").slice(5) }}
              />
            )}
          />
        </BlockStack>
      </Card>
      {overview.currencies.map((currency) => (
        <Card key={currency}>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Volume per day in {currency}
            </Text>
            <ClientChart
              label={`Volume per day in ${currency}`}
              fallback={<DayTable days={overview.days} currencies={[currency]} locale={locale} cell={(figures) => formatMoney(figures?.volume ?? "0", currency, locale)} />}
              render={(viz) => (
                <viz.BarChart
                  // A chart's bar height only: the exact amounts are in the table for screen readers and the figures above.
                  data={[{ name: currency, data: overview.days.map((day) => ({ key: day.day, value: Number(day.byCurrency[currency]?.volume ?? "0") })) }]}
                  xAxisOptions={{ labelFormatter: (value) => String(value ?? "").slice(5) }}
                  yAxisOptions={{ labelFormatter: (value) => formatMoney(String(value ?? 0), currency, locale) }}
                />
              )}
            />
          </BlockStack>
        </Card>
      ))}
    </BlockStack>
  );
}

function Figure({ title, value, children }: { title: string; value: string; children?: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h2" variant="headingSm" tone="subdued">
          {title}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}

type Viz = typeof PolarisViz;

// The drawn chart is a picture for sighted staff: inert (no focus, no reading) because its
// SVG's own roles fail axe, and the same figures are in the table screen readers read.
// (React 18 knows no `inert` prop; the attribute passes through as written.)
const INERT = { inert: "" } as Record<string, string>;

/**
 * Polaris Viz reads `navigator` while rendering, which the server has not:
 * the server renders a box of the chart's size (no layout shift) and the
 * browser loads and draws the chart into it. The figures are in a table that
 * screen readers read in either case.
 */
function ClientChart({ label, render, fallback }: { label: string; render: (viz: Viz) => ReactNode; fallback: ReactNode }) {
  const [viz, setViz] = useState<Viz | null>(null);
  useEffect(() => {
    let mounted = true;
    void import("@shopify/polaris-viz").then((module) => mounted && setViz(module));
    return () => {
      mounted = false;
    };
  }, []);
  return (
    <div>
      <div style={{ height: CHART_HEIGHT }} aria-hidden="true" {...INERT} data-chart={label} data-drawn={viz ? "yes" : "no"}>
        {viz ? <viz.PolarisVizProvider defaultTheme="Light">{render(viz)}</viz.PolarisVizProvider> : null}
      </div>
      <Text as="span" visuallyHidden>
        {fallback}
      </Text>
    </div>
  );
}

function DayTable({ days, currencies, locale, cell }: { days: DayFigures[]; currencies: string[]; locale: string; cell: (figures: DayFigures["byCurrency"][string] | undefined) => string }) {
  const dayFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Day</th>
          {currencies.map((currency) => (
            <th scope="col" key={currency}>
              {currency}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {days.map((day) => (
          <tr key={day.day}>
            <th scope="row">{dayFormat.format(new Date(`${day.day}T00:00:00.000Z`))}</th>
            {currencies.map((currency) => (
              <td key={currency}>{cell(day.byCurrency[currency])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ErrorBoundary() {
  return <AdminErrorBoundary inFrame />;
}
