import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, BlockStack, Card, Page, Text } from "@shopify/polaris";
import englishI18n from "@shopify/polaris/locales/en.json";
import { boundary } from "@shopify/shopify-app-remix/server";

const TITLES: Record<number, string> = {
  400: "This link is not valid",
  401: "Your session has ended",
  403: "Not allowed",
  404: "Not found",
  405: "Not allowed",
  409: "Changed meanwhile",
  413: "Too large",
  422: "Not possible",
  429: "Too many requests",
};

/** The title of the admin's page for a thrown status (also the document's title: a page without one is a serious accessibility fault). */
export function adminErrorTitle(status: number): string {
  return TITLES[status] ?? "Something is not right";
}

const DEFAULT_MESSAGES: Record<number, string> = {
  401: "Open the app again from your store's Shopify admin.",
  404: "There is nothing here: the payment or page does not exist in this shop.",
};

/** The words of a thrown 4xx: its text when it has one (every `require*` helper says what is wrong), else one for its status. */
function messageOf(status: number, data: unknown): string {
  if (typeof data === "string" && data.trim() !== "" && !data.trimStart().startsWith("<")) return data.trim();
  if (data && typeof data === "object" && "message" in data && typeof data.message === "string") return data.message;
  return DEFAULT_MESSAGES[status] ?? "The request could not be served. Go back and try again.";
}

/**
 * The admin's error boundary. A 4xx thrown by a route (an unknown payment, a
 * malformed link, a method the route does not take) is a Polaris page in words
 * with a way back to the payments list. Everything else goes to the library's
 * boundary unchanged: its thrown responses (the session-token bounce page, the
 * exit-iframe page) are HTML that must reach the browser as they are.
 *
 * `inFrame`: rendered inside the admin layout (App Bridge and Polaris already
 * provided) or in its place, when the layout's own loader failed.
 */
export function AdminErrorBoundary({ inFrame }: { inFrame: boolean }) {
  const error = useRouteError();
  if (!isRouteErrorResponse(error) || error.status < 400 || error.status >= 500) return boundary.error(error);
  const page = <AdminErrorPage status={error.status} message={messageOf(error.status, error.data)} />;
  return inFrame ? page : <PolarisAppProvider i18n={englishI18n}>{page}</PolarisAppProvider>;
}

export function AdminErrorPage({ status, message }: { status: number; message: string }) {
  return (
    <Page title={adminErrorTitle(status)} backAction={{ content: "Payments", url: "/app" }}>
      <Card>
        <BlockStack gap="200">
          <Text as="p" variant="bodyMd">
            {message}
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            Error {status}
          </Text>
        </BlockStack>
      </Card>
    </Page>
  );
}
