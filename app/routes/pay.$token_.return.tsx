import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getDb } from "../db.server";
import { refreshFromProvider } from "../payments/buyer/buyer-payment-page.server";
import { requireBuyerPayment } from "../inbound/buyer-pages/require-buyer-payment.server";
import { getBuyerLinkConfig, getProcessingPolicy, getProviders } from "../services.server";
import { BuyerErrorPage } from "../ui/buyer-error-page";

/**
 * Where a provider's hosted page sends the buyer back (success_url). Its query
 * string is never read: the outcome is asked from the provider, applied, and the
 * buyer sees the payment page, which shows it (or waits for Shopify).
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const payment = await requireBuyerPayment(db, getBuyerLinkConfig(), params.token);
  const result = await refreshFromProvider(db, getProviders(), payment, getProcessingPolicy());
  // Back without paying (the session is still open): the provider's page again.
  if (result?.status === "redirect" && result.url) throw redirect(result.url, 303);
  throw redirect(`/pay/${params.token}`, 303);
}

export function ErrorBoundary() {
  return <BuyerErrorPage />;
}
