import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import type { BuyerLinkRefusal } from "../payments/buyer/buyer-payment-lookup.server";
import type { MessageKey } from "./buyer-messages";
import { useBuyerWords } from "./buyer-words";

interface BuyerErrorView {
  title: MessageKey;
  text: MessageKey;
  returnUrl: string | null;
}

function isRefusal(data: unknown): data is BuyerLinkRefusal {
  return typeof data === "object" && data !== null && "buyerLink" in data;
}

/** What the buyer reads (as catalogue keys) for a link the app cannot serve, or for a failure of its own. */
export function buyerErrorView(error: unknown): BuyerErrorView {
  if (isRouteErrorResponse(error) && isRefusal(error.data) && error.data.buyerLink === "expired") {
    return { title: "error.expiredTitle", text: "error.expiredText", returnUrl: error.data.returnUrl };
  }
  if (isRouteErrorResponse(error) && error.status < 500 && !(isRefusal(error.data) || error.status === 404)) {
    return { title: "error.badRequestTitle", text: "error.badRequestText", returnUrl: null };
  }
  if (isRouteErrorResponse(error) && error.status < 500) {
    return { title: "error.invalidTitle", text: "error.invalidText", returnUrl: null };
  }
  return { title: "error.failedTitle", text: "error.failedText", returnUrl: null };
}

/**
 * The buyer pages' error boundary: a page in words, in the buyer page's style
 * (the route's own stylesheet) and language (an expired link's payment's; for
 * a link that is not valid, the browser's), keeping the status (404 invalid,
 * 410 expired).
 */
export function BuyerErrorPage() {
  const view = buyerErrorView(useRouteError());
  const { t } = useBuyerWords();
  return (
    <main>
      <h1>{t("error.heading")}</h1>
      <h2>{t(view.title)}</h2>
      <p>{t(view.text)}</p>
      {view.returnUrl ? (
        <p>
          <a href={view.returnUrl} rel="noreferrer">
            {t("error.return")}
          </a>
        </p>
      ) : null}
    </main>
  );
}
