import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, BlockStack, Button, Card, FormLayout, Link, Page, Text, TextField } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import englishI18n from "@shopify/polaris/locales/en.json";
import { useState } from "react";
import { getEnv } from "../env.server";
import { shopDomainFromInput } from "../shopify/admin-request";
import { getShopify } from "../shopify.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];
export const meta: MetaFunction = () => [{ title: "Payments app · Open in Shopify" }];

/**
 * The library's login path: where it sends anyone who opens the app's admin
 * pages without Shopify's parameters (outside the Shopify admin). As in Shopify's
 * app template, a page that says what this is, with a shop field; a submitted
 * shop goes through `login()`, which starts the install (or opens the app) in
 * that shop's admin. The shop is checked here first so a bad one is a 400 naming
 * the field, whatever was posted (the library would throw on a non-form body).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const shop = new URL(request.url).searchParams.get("shop");
  if (shop !== null) await startLogin(request, shop);
  return { sandboxAdminUrl: sandboxAdminUrl() };
}

export async function action({ request }: ActionFunctionArgs) {
  return startLogin(request, await readShopField(request));
}

type LoginProblem = { field: "shop"; message: string };

/** Throws the library's redirect to the shop's admin, or a 400 page naming the field. */
async function startLogin(request: Request, input: string): Promise<never> {
  const shop = shopDomainFromInput(input);
  if (!shop) {
    const problem: LoginProblem = { field: "shop", message: "Enter your shop's domain, such as my-shop.myshopify.com." };
    // The person's input goes back into the field (React escapes it), to correct it.
    throw data({ problem, shop: input.slice(0, 255), sandboxAdminUrl: sandboxAdminUrl() }, { status: 400 });
  }
  // login() reads the shop from the URL first: hand it the checked domain only.
  const checked = new URL(`/auth/login?shop=${encodeURIComponent(shop)}`, getEnv().SHOPIFY_APP_URL);
  await getShopify().login(new Request(checked, { headers: request.headers }));
  throw new Error("login() returned without redirecting for a valid shop");
}

async function readShopField(request: Request): Promise<string> {
  try {
    const value = (await request.formData()).get("shop");
    return typeof value === "string" ? value : "";
  } catch {
    // Not a form (another content type, a broken body): no shop was given.
    return "";
  }
}

/** The local Shopify sandbox's admin page of the app, in development. */
function sandboxAdminUrl(): string | null {
  const origin = getEnv().SHOPIFY_SANDBOX_ORIGIN;
  return origin ? `${origin}/admin/apps/payments-app` : null;
}

export default function Login() {
  const loaded = useLoaderData<typeof loader>();
  return <LoginPage sandboxAdminUrl={loaded.sandboxAdminUrl} problem={null} />;
}

// A refused shop (400) is thrown so the status is kept; it renders the same page with the error.
export function ErrorBoundary() {
  return <LoginErrorPage />;
}

function LoginErrorPage() {
  const error = useRouteError();
  if (!isRouteErrorResponse(error) || error.status !== 400) throw error;
  const refused = error.data as { problem: LoginProblem; shop: string; sandboxAdminUrl: string | null };
  return <LoginPage sandboxAdminUrl={refused.sandboxAdminUrl} problem={refused.problem} submitted={refused.shop} />;
}

function LoginPage({ sandboxAdminUrl, problem, submitted = "" }: { sandboxAdminUrl: string | null; problem: LoginProblem | null; submitted?: string }) {
  const [shop, setShop] = useState(submitted);
  return (
    <PolarisAppProvider i18n={englishI18n}>
      <Page narrowWidth>
        <BlockStack gap="400">
          <Card>
            <BlockStack gap="300">
              <Text as="h1" variant="headingLg">
                Payments app
              </Text>
              <Text as="p">
                An offsite payments app for Shopify: it takes your store's payments, refunds, captures and voids with a
                payment provider and reports each outcome to Shopify. It runs inside the Shopify admin.
              </Text>
              <Text as="p">
                To open it, go to your store's Shopify admin and choose <strong>Apps › Payments app</strong>. Or enter
                your shop's domain: you will be taken to your Shopify admin to install or open the app.
              </Text>
            </BlockStack>
          </Card>
          <Card>
            <Form method="post">
              <FormLayout>
                <TextField
                  type="text"
                  name="shop"
                  label="Shop domain"
                  helpText="For example: my-shop.myshopify.com"
                  value={shop}
                  onChange={setShop}
                  autoComplete="on"
                  error={problem?.message}
                />
                <Button submit variant="primary">
                  Open in Shopify
                </Button>
              </FormLayout>
            </Form>
          </Card>
          {sandboxAdminUrl ? (
            <Card>
              <Text as="p">
                Development: this app runs with the local Shopify sandbox. <Link url={sandboxAdminUrl}>Open the sandbox admin</Link>.
              </Text>
            </Card>
          ) : null}
        </BlockStack>
      </Page>
    </PolarisAppProvider>
  );
}
