import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import type { BuyerLinkRefusal } from "../payments/buyer-payment-lookup.server";

interface BuyerErrorView {
  title: string;
  text: string;
  returnUrl: string | null;
}

function isRefusal(data: unknown): data is BuyerLinkRefusal {
  return typeof data === "object" && data !== null && "buyerLink" in data;
}

/** What the buyer reads for a link the app cannot serve, or for a failure of its own. */
export function buyerErrorView(error: unknown): BuyerErrorView {
  if (isRouteErrorResponse(error) && isRefusal(error.data) && error.data.buyerLink === "expired") {
    return {
      title: "This payment link has expired",
      text: "If you already paid, the store has your payment. Otherwise, return to the store and start the payment again from the checkout.",
      returnUrl: error.data.returnUrl,
    };
  }
  if (isRouteErrorResponse(error) && error.status < 500 && !(isRefusal(error.data) || error.status === 404)) {
    return {
      title: "We could not take that request",
      text: "Go back to the payment page and choose again.",
      returnUrl: null,
    };
  }
  if (isRouteErrorResponse(error) && error.status < 500) {
    return {
      title: "This payment link is not valid",
      text: "It may have been copied incompletely, or it has expired. Return to the store and start the payment again from the checkout; no money was taken through this link.",
      returnUrl: null,
    };
  }
  return {
    title: "We could not show your payment",
    text: "Something went wrong on our side. Reload this page in a moment; your payment is not taken twice.",
    returnUrl: null,
  };
}

/**
 * The buyer pages' error boundary: a page in words, in the buyer page's style
 * (the route's own stylesheet), keeping the status (404 invalid, 410 expired).
 */
export function BuyerErrorPage() {
  const view = buyerErrorView(useRouteError());
  return (
    <main>
      <h1>Payments App</h1>
      <h2>{view.title}</h2>
      <p>{view.text}</p>
      {view.returnUrl ? (
        <p>
          <a href={view.returnUrl} rel="noreferrer">
            Return to the store
          </a>
        </p>
      ) : null}
    </main>
  );
}
