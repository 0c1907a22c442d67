import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Payments app" }];

// The app lives inside the Shopify admin; opened directly it only says what it is.
export default function Index() {
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", lineHeight: 1.5 }}>
      <h1>Payments app</h1>
      <p>
        An offsite payments app for Shopify. Merchants install it from the Shopify admin; Shopify sends
        payment, refund, capture and void sessions to its session endpoints.
      </p>
    </main>
  );
}
