import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Link, Outlet, useLoaderData } from "@remix-run/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { boundary } from "@shopify/shopify-app-remix/server";
import { requireStaff } from "../admin/staff.server";
import { getEnv } from "../env.server";
import { AdminErrorBoundary, adminErrorTitle } from "../ui/admin-error-boundary";
import { EmbeddedAppProvider } from "../ui/embedded-app-provider";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

// The document's title for the layout's own error page (a malformed link) and
// for any page of the admin that names none.
export const meta: MetaFunction = ({ error }) => [{ title: error ? (isRouteErrorResponse(error) ? adminErrorTitle(error.status) : "Something went wrong") : "Payments app" }];

// The embedded admin's frame: App Bridge (Shopify's, or the sandbox's stand-in
// when APP_BRIDGE_URL says so) and Polaris. Each child route authenticates itself.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const env = getEnv();
  return { apiKey: env.SHOPIFY_API_KEY, appBridgeUrl: env.APP_BRIDGE_URL ?? null };
}

export default function EmbeddedApp() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <EmbeddedAppProvider apiKey={apiKey} appBridgeUrl={appBridgeUrl}>
      <ui-nav-menu>
        <Link to="/app" rel="home">
          Payments
        </Link>
        <Link to="/app?view=attention">Needs attention</Link>
        <Link to="/app/overview">Overview</Link>
        <Link to="/app/data-requests">Data requests</Link>
        <Link to="/app/audit">Audit trail</Link>
        <Link to="/app/settings">Settings</Link>
      </ui-nav-menu>
      <Outlet />
    </EmbeddedAppProvider>
  );
}

// The layout's own loader failed (a malformed link, the library's bounce page):
// no App Bridge or Polaris provider around this boundary.
export function ErrorBoundary() {
  return <AdminErrorBoundary inFrame={false} />;
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
