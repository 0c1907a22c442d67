import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, Layout, List, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { configurePaymentsApp, onboardingSchema, readOnboarding, type ConfigureResult } from "../admin/onboarding.server";
import { shopApiVersion } from "../admin/shop-settings.server";
import { requireStaff, staffLocale } from "../admin/staff.server";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { fieldProblems } from "../http/http-error";
import { getProviders } from "../services.server";
import { AdminErrorBoundary } from "../ui/admin-error-boundary";
import { problemOf, problemsAsSentences } from "../ui/form-problems";
import { requireFormData } from "../http/form-body.server";

export const meta: MetaFunction = () => [{ title: "Settings" }];

const SETTINGS_LABELS = { externalHandle: "Account name", ready: "Ready to process payments" };

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireStaff(request);
  const db = getDb();
  const [onboarding, apiVersion, testPayments, livePayments] = await Promise.all([
    readOnboarding(db, shop),
    shopApiVersion(db, shop),
    db.paymentSession.count({ where: { shop, test: true } }),
    db.paymentSession.count({ where: { shop, test: false } }),
  ]);
  const live = await getProviders().forSession({ shop, test: false });
  return { shop, locale: staffLocale(request), onboarding, apiVersion, defaultApiVersion: getEnv().PAYMENTS_APPS_API_VERSION, testPayments, livePayments, liveProvider: live?.name ?? null };
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const db = getDb();
  const parsed = onboardingSchema.safeParse(Object.fromEntries(await requireFormData(request)));
  if (!parsed.success) {
    const problems = problemsAsSentences(fieldProblems(parsed.error, "externalHandle"), SETTINGS_LABELS);
    return data<ConfigureResult>({ ok: false, message: "Nothing was sent to Shopify: correct the field marked below.", problems }, { status: 422 });
  }
  const env = getEnv();
  const result = await configurePaymentsApp(db, staff, parsed.data, { apiVersion: await shopApiVersion(db, staff.shop), origin: env.PAYMENTS_APPS_API_ORIGIN, timeoutMs: env.PAYMENTS_APPS_TIMEOUT_MS });
  return data<ConfigureResult>(result, { status: result.ok ? 200 : 422 });
}

export default function Settings() {
  const { shop, locale, onboarding, apiVersion, defaultApiVersion, testPayments, livePayments, liveProvider } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [externalHandle, setExternalHandle] = useState(onboarding.externalHandle ?? "");
  const [ready, setReady] = useState(onboarding.ready);
  const problem = (field: string) => (result && !result.ok ? problemOf(result.problems, field) : undefined);
  const configuredAt = onboarding.configuredAt ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(onboarding.configuredAt)) : null;

  return (
    <Page title="Settings" subtitle={shop} backAction={{ content: "Payments", url: "/app" }}>
      <Layout>
        <Layout.AnnotatedSection title="Onboarding" description="Your account at the payment provider, and whether Shopify may offer this payment method at checkout. Both can be changed at any time.">
          <Card>
            <Form method="post">
              <BlockStack gap="400">
                {result ? (
                  <Banner tone={result.ok ? "success" : "critical"}>
                    <p role={result.ok ? "status" : "alert"}>{result.message}</p>
                  </Banner>
                ) : null}
                <TextField label="Account name" name="externalHandle" value={externalHandle} onChange={setExternalHandle} autoComplete="off" maxLength={255} helpText="Shown to the merchant in the Shopify admin (Shopify's external handle)." error={problem("externalHandle")} />
                <Checkbox label="Ready to process payments" name="ready" value="true" checked={ready} onChange={setReady} helpText="When ready, the merchant can activate the payment method in Settings › Payments, in test mode first." />
                <Text as="p" tone="subdued" variant="bodySm">
                  {configuredAt ? `Shopify accepted these settings on ${configuredAt}: “${onboarding.externalHandle}”, ${onboarding.ready ? "ready" : "not ready"}.` : "Not configured with Shopify yet."}
                </Text>
                <Button submit variant="primary" loading={navigation.state === "submitting"}>
                  Save and send to Shopify
                </Button>
              </BlockStack>
            </Form>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title="Shopify API" description="Which version of Shopify's Payments Apps API the app speaks for this shop.">
          <Card>
            <BlockStack gap="200">
              <Text as="p">
                Version <strong data-testid="api-version">{apiVersion}</strong>
                {apiVersion === defaultApiVersion ? " (the app's default)" : ` (set for this shop; the app's default is ${defaultApiVersion})`}.
              </Text>
              <Text as="p" tone="subdued">
                It decides which rejection reasons Shopify accepts: from 2026-04 on there are more precise ones (insufficient funds, suspected fraud, …) and RISKY is replaced by FRAUD_SUSPECTED. The reason pickers only offer what this version accepts.
              </Text>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title="Test mode" description="How test and live payments are processed.">
          <Card>
            <List>
              <List.Item>
                Test payments ({testPayments} so far): Shopify marks them <code>test: true</code> when the merchant activated the method in test mode. They go to the built-in sandbox provider, which moves no money; its payment page offers approve, decline, pending and 3-D Secure.
              </List.Item>
              <List.Item>
                Live payments ({livePayments} so far): {liveProvider ? `processed by the “${liveProvider}” provider.` : "no live provider is configured, so they are declined with PROCESSING_ERROR. Keep the method in test mode."}
              </List.Item>
            </List>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}

// A 4xx of this page (an unknown payment, a method it does not take) as a Polaris page inside the admin frame.
export function ErrorBoundary() {
  return <AdminErrorBoundary inFrame />;
}
