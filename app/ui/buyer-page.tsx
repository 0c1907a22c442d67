import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import type { PaymentSummary } from "../payments/buyer/buyer-payment-page.server";
import { useBuyerWords } from "./buyer-words";

// A data: URL keeps the buyer page a single request with no asset to cache-bust.
export const buyerPageStyles = `data:text/css,${encodeURIComponent(`
body{margin:0;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f4f6f8;color:#202223}
main{max-width:520px;margin:3rem auto;box-sizing:border-box;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.15);padding:2rem}
h1{font-size:1.1rem;margin:0 0 .25rem;color:#616161;font-weight:500}
@media (max-width:560px){main{margin:0;border-radius:0;box-shadow:none;padding:1.25rem}}
.amount{font-size:2.2rem;font-weight:650;margin:.25rem 0 .25rem}
.pays{margin:0 0 1.5rem;color:#303030}
.badge{display:inline-block;background:#ffd79d;color:#4a3300;border-radius:8px;padding:.1rem .6rem;font-size:.8rem;margin-inline-start:.5rem}
.choices{display:grid;gap:.5rem;margin:1rem 0}
button{font:inherit;padding:.65rem 1rem;border-radius:8px;border:1px solid #8c9196;background:#fff;cursor:pointer}
button.primary{background:#008060;color:#fff;border-color:#008060;font-weight:600}
button.link{border:none;background:none;color:#2c6ecb;text-decoration:underline;padding:0}
button:focus-visible,select:focus-visible{outline:3px solid #2c6ecb;outline-offset:2px}
fieldset{border:1px solid #e1e3e5;border-radius:8px;margin:1rem 0}
.cancel{margin-top:1.5rem}
fieldset.plain{border:0;padding:0;margin:0;min-width:0}
button:disabled,select:disabled{opacity:.55;cursor:not-allowed}
.processing{background:#f1f8f5;border-radius:8px;padding:.5rem 1rem;margin-bottom:1rem}
.note{color:#6d7175;font-size:.9rem}
`)}`;

/**
 * While the outcome is being decided or reported, the page asks again every
 * 2 s (its loaders re-run; a decided payment redirects the buyer on). Done
 * in place rather than by a page reload (meta refresh), so the buyer's place,
 * focus and screen reader are not thrown back to the top every two seconds
 * (WCAG 2.2.1); the aria-live region announces what changed.
 */
function useFollowWhileUndecided(active: boolean) {
  const revalidator = useRevalidator();
  const latest = useRef(revalidator);
  latest.current = revalidator;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (latest.current.state === "idle") latest.current.revalidate();
    }, 2_000);
    return () => clearInterval(timer);
  }, [active]);
}

/**
 * The frame of every buyer page: the store's name (not its myshopify domain),
 * the amount in the page's language, and "You pay {amount} to {shop}". Its
 * words come from the language root chose for the document.
 */
export function BuyerPage({ summary, money, refresh, children }: { summary: PaymentSummary; money: string; refresh?: boolean; children: ReactNode }) {
  const { t } = useBuyerWords();
  useFollowWhileUndecided(Boolean(refresh));
  return (
    <main>
      {/* Without scripts the page still follows the payment, by reloading itself. */}
      {refresh ? (
        <noscript>
          <meta httpEquiv="refresh" content="2" />
        </noscript>
      ) : null}
      <h1>
        <bdi>{summary.shopName}</bdi>
        {summary.test ? <span className="badge">{t("header.testBadge")}</span> : null}
      </h1>
      <p className="amount" data-testid="amount">
        <bdi>{money}</bdi>
      </p>
      <p className="pays" data-testid="you-pay">{t("summary.youPay", { amount: money, shop: summary.shopName })}</p>
      {children}
    </main>
  );
}
