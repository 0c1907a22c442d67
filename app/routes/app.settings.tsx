import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, InlineStack, Layout, List, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { configurePaymentsApp, onboardingSchema, readinessProblem, readOnboarding, type ConfigureResult } from "../admin/onboarding.server";
import { connectProviderAccount, disconnectProviderAccount, providerConnectionSchema, type ProviderConnectionResult } from "../admin/provider-connections.server";
import { shopApiVersion } from "../admin/shop-settings.server";
import { requireStaff, staffLocale } from "../admin/staff.server";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { parseFields } from "../http/fields";
import { getProviderAccountStore, getProviders } from "../services.server";
import { AdminErrorBoundary } from "../ui/admin-error-boundary";
import { problemOf, problemsAsSentences } from "../ui/form-problems";
import { requireFormData } from "../http/form-body.server";
import type { ProviderMode } from "../providers/provider-accounts";

export const meta: MetaFunction = () => [{ title: "Settings" }];

const SETTINGS_LABELS = { externalHandle: "Account name", ready: "Ready to process payments" };
const PROVIDER_LABELS = { apiKey: "The key", mode: "The mode" };

type SettingsActionResult = (ConfigureResult & { intent: "onboarding" }) | ProviderConnectionResult;

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireStaff(request);
  const db = getDb();
  const [onboarding, apiVersion, testPayments, livePayments, accounts] = await Promise.all([
    readOnboarding(db, shop),
    shopApiVersion(db, shop),
    db.paymentSession.count({ where: { shop, test: true } }),
    db.paymentSession.count({ where: { shop, test: false } }),
    getProviderAccountStore().list(shop),
  ]);
  const live = await getProviders().forSession({ shop, test: false });
  // Only what the page shows: the Stripe account id, the key's kind and last four, when.
  const stripeAccounts = accounts
    .filter((account) => account.provider === "stripe")
    .map((account) => ({ mode: account.mode, externalAccountId: account.externalAccountId, keyKind: account.keyKind, keyLast4: account.keyLast4, connectedAt: account.connectedAt.toISOString() }));
  return { shop, locale: staffLocale(request), onboarding, apiVersion, defaultApiVersion: getEnv().PAYMENTS_APPS_API_VERSION, testPayments, livePayments, liveProvider: live?.name ?? null, stripeAccounts };
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const db = getDb();
  const env = getEnv();
  const form = await requireFormData(request);
  const intent = form.get("intent");
  const configure = { apiVersion: await shopApiVersion(db, staff.shop), origin: env.PAYMENTS_APPS_API_ORIGIN, timeoutMs: env.PAYMENTS_APPS_TIMEOUT_MS };

  if (intent === "connect-provider" || intent === "disconnect-provider") {
    const parsed = parseFields(providerConnectionSchema, form, "apiKey");
    if (!parsed.success) {
      const mode: ProviderMode = form.get("mode") === "live" ? "live" : "test";
      const problems = problemsAsSentences(parsed.problems, PROVIDER_LABELS);
      return data<SettingsActionResult>({ ok: false, intent, mode, status: 422, message: "Nothing was saved: correct the field marked below.", problems }, { status: 422 });
    }
    const store = getProviderAccountStore();
    const result = parsed.data.intent === "connect-provider" ? await connectProviderAccount(db, store, staff, parsed.data, configure) : await disconnectProviderAccount(db, store, staff, parsed.data, configure);
    const problems = result.ok ? [] : problemsAsSentences(result.problems, PROVIDER_LABELS);
    return data<SettingsActionResult>(result.ok ? result : { ...result, problems }, { status: result.ok ? 200 : result.status });
  }

  const parsed = parseFields(onboardingSchema, form, "externalHandle");
  if (!parsed.success) {
    const problems = problemsAsSentences(parsed.problems, SETTINGS_LABELS);
    return data<SettingsActionResult>({ intent: "onboarding", ok: false, message: "Nothing was sent to Shopify: correct the field marked below.", problems }, { status: 422 });
  }
  const notReady = readinessProblem(parsed.data, { liveAccountRequired: env.NODE_ENV === "production", hasLiveAccount: await getProviderAccountStore().hasVerifiedLiveAccount(staff.shop) });
  if (notReady) {
    return data<SettingsActionResult>({ intent: "onboarding", ok: false, message: "Nothing was sent to Shopify: correct the field marked below.", problems: problemsAsSentences([notReady], SETTINGS_LABELS) }, { status: 422 });
  }
  const result = await configurePaymentsApp(db, staff, parsed.data, configure);
  return data<SettingsActionResult>({ intent: "onboarding", ...result }, { status: result.ok ? 200 : 422 });
}

export default function Settings() {
  const { shop, locale, onboarding, apiVersion, defaultApiVersion, testPayments, livePayments, liveProvider, stripeAccounts } = useLoaderData<typeof loader>();
  const actionResult = useActionData<typeof action>();
  const result = actionResult?.intent === "onboarding" ? actionResult : undefined;
  const providerResult = actionResult && actionResult.intent !== "onboarding" ? actionResult : undefined;
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
                <input type="hidden" name="intent" value="onboarding" />
                <Checkbox label="Ready to process payments" name="ready" value="true" checked={ready} onChange={setReady} error={problem("ready")} helpText="When ready, the merchant can activate the payment method in Settings › Payments, in test mode first. Connecting a live Stripe account below makes the app ready; disconnecting it makes it not ready." />
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
        <Layout.AnnotatedSection title="Stripe" description="The merchant's Stripe account, live and test separately. Paste a secret key (sk_…) or a restricted key (rk_…): the app checks it with Stripe, registers its webhook endpoint in that account, and keeps the key encrypted. Only its last four characters are ever shown.">
          <BlockStack gap="400">
            {(["live", "test"] as const).map((mode) => (
              <StripeAccountCard key={mode} mode={mode} account={stripeAccounts.find((account) => account.mode === mode) ?? null} result={providerResult?.mode === mode ? providerResult : undefined} locale={locale} submitting={navigation.state === "submitting" && navigation.formData?.get("mode") === mode} />
            ))}
          </BlockStack>
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

interface StripeAccountView {
  mode: ProviderMode;
  externalAccountId: string;
  keyKind: string;
  keyLast4: string;
  connectedAt: string;
}

function StripeAccountCard({ mode, account, result, locale, submitting }: { mode: ProviderMode; account: StripeAccountView | null; result: ProviderConnectionResult | undefined; locale: string; submitting: boolean }) {
  const [apiKey, setApiKey] = useState("");
  // The key leaves the page once it is saved; a refused one stays to be corrected.
  useEffect(() => {
    if (result?.ok) setApiKey("");
  }, [result]);
  const title = mode === "live" ? "Live mode" : "Test mode";
  const keyProblem = result && !result.ok ? problemOf(result.problems, "apiKey") : undefined;
  const otherProblem = result && !result.ok ? (problemOf(result.problems, "mode") ?? null) : null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h3" variant="headingSm">
          {title}
        </Text>
        {result ? (
          <Banner tone={result.ok ? "success" : "critical"}>
            <p role={result.ok ? "status" : "alert"}>{otherProblem ? `${result.message} ${otherProblem}` : result.message}</p>
          </Banner>
        ) : null}
        {account ? (
          <Form method="post">
            <BlockStack gap="200">
              <Text as="p">
                <span data-testid={`stripe-${mode}-account`}>
                  Connected: <strong>{account.externalAccountId}</strong>, {account.keyKind} key •••• {account.keyLast4}, since{" "}
                  {new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(account.connectedAt))}.
                </span>
              </Text>
              <input type="hidden" name="intent" value="disconnect-provider" />
              <input type="hidden" name="mode" value={mode} />
              <InlineStack>
                <Button submit tone="critical" loading={submitting} accessibilityLabel={`Disconnect the Stripe ${mode} account`}>
                  Disconnect
                </Button>
              </InlineStack>
            </BlockStack>
          </Form>
        ) : null}
        <Form method="post">
          <BlockStack gap="200">
            <input type="hidden" name="intent" value="connect-provider" />
            <input type="hidden" name="mode" value={mode} />
            <TextField
              label={`Stripe ${mode} key`}
              name="apiKey"
              type="password"
              value={apiKey}
              onChange={setApiKey}
              autoComplete="off"
              maxLength={255}
              placeholder={`sk_${mode}_… or rk_${mode}_…`}
              helpText={account ? "Connecting another key replaces this account." : mode === "live" ? "Live payments go to this account; the app is ready once it is connected." : "Test payments (test: true) can go to this account."}
              error={keyProblem}
            />
            <InlineStack>
              <Button submit variant="primary" loading={submitting} accessibilityLabel={`Connect the Stripe ${mode} account`}>
                {account ? "Replace" : "Connect"}
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
      </BlockStack>
    </Card>
  );
}

// A 4xx of this page (an unknown payment, a method it does not take) as a Polaris page inside the admin frame.
export function ErrorBoundary() {
  return <AdminErrorBoundary inFrame />;
}
