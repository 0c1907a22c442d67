import type { LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { getDb } from "./db.server";
import { getBuyerLinkConfig } from "./services.server";
import { documentLanguage } from "./ui/buyer-language.server";

/**
 * The document's language and direction. A buyer page speaks the buyer's
 * language (its own loader and its error boundary read the same choice from
 * here, so `<html lang dir>` and the words always agree); everything else is
 * English.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return { buyerLanguage: await documentLanguage(getDb(), getBuyerLinkConfig(), request) };
}

function Document({ title, children }: { title?: string; children: ReactNode }) {
  const buyerLanguage = useRouteLoaderData<typeof loader>("root")?.buyerLanguage ?? null;
  return (
    <html lang={buyerLanguage?.locale ?? "en"} dir={buyerLanguage?.dir ?? "ltr"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        {/* No favicon request (a 404 in every console). */}
        <link rel="icon" href="data:," />
        {title ? <title>{title}</title> : null}
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  // Marks the document once React has hydrated it (its handlers are attached):
  // browser tests wait for it before clicking what only works hydrated.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <Document>
      <Outlet />
    </Document>
  );
}

/**
 * A page in words for whatever no route's own boundary catches: a path that does
 * not exist, or an error. Never the error itself (its message may hold data; the
 * log has what an operator needs), and without Remix's default boundary, which
 * writes the whole error to stderr.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const [title, explanation] =
    status === 404
      ? ["Page not found", "There is no page at this address. Check the link, or go back to where you came from."]
      : status < 500
        ? ["This request could not be served", "The page could not be shown for this request. Go back and try again."]
        : ["Something went wrong", "The app could not show this page. Try again in a moment; if it keeps happening, contact the store."];
  return (
    <Document title={title}>
      <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", padding: "0 1rem", lineHeight: 1.5 }}>
        <h1>{title}</h1>
        <p>{explanation}</p>
      </main>
    </Document>
  );
}
