import { Link, useNavigate } from "@remix-run/react";
import { AppProvider as PolarisAppProvider } from "@shopify/polaris";
import type { LinkLikeComponentProps } from "@shopify/polaris/build/ts/src/utilities/link";
import englishI18n from "@shopify/polaris/locales/en.json";
import { forwardRef, useEffect, type ReactNode } from "react";

/** The App Bridge script Shopify's admin expects every embedded app to load. */
const SHOPIFY_APP_BRIDGE_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

// What @shopify/shopify-app-remix/react's AppProvider does, kept here because its
// module imports JSON with an import attribute that Remix's classic compiler
// (esbuild 0.17) cannot parse: App Bridge's script, Polaris with Remix links,
// and App Bridge's `shopify:navigate` events turned into Remix navigations.
const RemixPolarisLink = forwardRef<HTMLAnchorElement, LinkLikeComponentProps>(function RemixPolarisLink({ url, external, children, ...rest }, ref) {
  if (external) {
    return (
      <a href={url} ref={ref} target="_blank" rel="noopener noreferrer" {...rest}>
        {children}
      </a>
    );
  }
  return (
    <Link to={url} ref={ref} {...rest}>
      {children}
    </Link>
  );
});

export function EmbeddedAppProvider({ apiKey, appBridgeUrl, children }: { apiKey: string; appBridgeUrl?: string | null; children: ReactNode }) {
  const navigate = useNavigate();
  useEffect(() => {
    const onNavigate = (event: Event) => {
      const href = (event.target as Element | null)?.getAttribute?.("href");
      if (href) navigate(href);
    };
    addEventListener("shopify:navigate", onNavigate);
    return () => removeEventListener("shopify:navigate", onNavigate);
  }, [navigate]);
  return (
    <>
      <script src={appBridgeUrl ?? SHOPIFY_APP_BRIDGE_URL} data-api-key={apiKey} />
      <PolarisAppProvider i18n={englishI18n} linkComponent={RemixPolarisLink}>
        {children}
      </PolarisAppProvider>
    </>
  );
}
