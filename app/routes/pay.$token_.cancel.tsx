import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getDb } from "../db.server";
import { refreshFromProvider } from "../payments/buyer/buyer-payment-page.server";
import { requireBuyerPayment } from "../inbound/buyer-pages/require-buyer-payment.server";
import { getBuyerLinkConfig, getProcessingPolicy, getProviders } from "../services.server";
import { BuyerErrorPage } from "../ui/buyer-error-page";

/**
 * Where a provider's hosted page sends a buyer who gives up (cancel_url): back
 * to Shopify's checkout to pay another way. The provider is asked first, so a
 * payment that went through after all is shown as paid, not abandoned; an
 * abandoned one is rejected when the provider's page expires.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const payment = await requireBuyerPayment(db, getBuyerLinkConfig(), params.token);
  const result = await refreshFromProvider(db, getProviders(), payment, getProcessingPolicy());
  if (result === null || result.status === "redirect") throw redirect(payment.cancelUrl, 303);
  throw redirect(`/pay/${params.token}`, 303);
}

export function ErrorBoundary() {
  return <BuyerErrorPage />;
}
