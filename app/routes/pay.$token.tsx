import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { getDb } from "../db.server";
import { BUYER_ANSWER_WITHIN_MS, buyerViewAfterProvider, payFromBuyerPage } from "../payments/buyer-payment-page.server";
import { requireBuyerPayment } from "../inbound/buyer-pages/require-buyer-payment.server";
import { SANDBOX_DECLINE_CODES } from "../providers/sandbox-provider.server";
import { getBuyerLinkConfig, getProcessingPolicy, getProviders } from "../services.server";
import { BuyerErrorPage } from "../ui/buyer-error-page";
import { BuyerPage, buyerPageStyles } from "../ui/buyer-page";
import { declineSentence } from "../ui/decline-words";
import { requireFormData } from "../http/form-body.server";

export const meta: MetaFunction = ({ error }) => [{ title: error ? "Payment link" : "Complete your payment" }, { name: "robots", content: "noindex" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const payment = await requireBuyerPayment(db, getBuyerLinkConfig(), params.token);
  const view = await buyerViewAfterProvider(db, getProviders(), payment, getProcessingPolicy());
  // Back from (or not yet sent to) a provider's hosted page that is still open: there again.
  if (view.kind === "provider-page") throw redirect(view.url, 303);
  if (view.kind === "redirect") throw redirect(view.url);
  if (view.kind === "challenge") throw redirect(`/pay/${params.token}/challenge`);
  return { view, declineCodes: SANDBOX_DECLINE_CODES };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const db = getDb();
  const payment = await requireBuyerPayment(db, getBuyerLinkConfig(), params.token);
  const form = await requireFormData(request);
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value.slice(0, 64) : "";
  };
  if (field("intent") === "cancel") throw redirect(payment.cancelUrl);
  const link = getBuyerLinkConfig();
  const pages = {
    returnUrl: `${link.appUrl}/pay/${params.token}/return`,
    cancelUrl: `${link.appUrl}/pay/${params.token}/cancel`,
    // The link's own deadline (buyer-link-token.server.ts): the provider's page must close before it.
    expiresAt: new Date(payment.receivedAt.getTime() + link.ttlHours * 3_600_000),
  };
  const input = { scenario: field("scenario"), declineCode: field("declineCode") };
  const result = await payFromBuyerPage(db, getProviders(), payment, input, getProcessingPolicy(), BUYER_ANSWER_WITHIN_MS, pages);
  // A provider's hosted page: the buyer pays there and comes back to /return.
  if (result?.status === "redirect") throw redirect(result.url, 303);
  // A provider's challenge page is its own (absolute URL) or one of ours, relative to this link.
  if (result?.status === "challenge") throw redirect(/^https:\/\//.test(result.url) ? result.url : `/pay/${params.token}/${result.url}`);
  throw redirect(`/pay/${params.token}`);
}

export default function PaymentPage() {
  const { view, declineCodes } = useLoaderData<typeof loader>();
  const { summary } = view;
  // While a choice is on its way, nothing can be pressed twice, and the buyer
  // sees at once that the payment is being processed.
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle" && navigation.formData?.get("intent") === "pay";
  const busy = navigation.state !== "idle";
  return (
    <BuyerPage summary={summary} refresh={view.kind === "waiting" || (view.kind === "declined" && view.stillReporting)}>
      {view.kind === "waiting" ? (
        <section aria-live="polite">
          <h2>{view.reason === "unreachable" ? "Your payment is recorded" : "Confirming your payment…"}</h2>
          <p>
            {view.reason === "provider"
              ? "We are waiting for the payment provider's answer. This page updates by itself."
              : view.reason === "shopify"
                ? "We are telling the store about your payment. This page updates by itself."
                : "We could not reach the store yet and keep trying. You can close this page; the store will be informed."}
          </p>
        </section>
      ) : view.kind === "declined" ? (
        <section aria-live="polite">
          <h2>Your payment was declined</h2>
          <p>{declineSentence(view.code)} No money was taken.</p>
          <p>
            <a href={view.returnUrl} rel="noreferrer">
              Return to the store to pay another way
            </a>
          </p>
          {view.stillReporting ? <p className="note">We are letting the store know; this page then takes you back by itself.</p> : null}
        </section>
      ) : (
        <>
          {submitting ? (
            <section aria-live="polite" className="processing">
              <h2>Processing your payment…</h2>
              <p>Please keep this page open.</p>
            </section>
          ) : null}
          {summary.test ? (
            <Form method="post" className="sandbox">
              <fieldset className="plain" disabled={busy}>
                <h2>Test mode: choose the outcome</h2>
                <p>This is a test payment. No money moves; pick what the payment provider should answer.</p>
                <input type="hidden" name="intent" value="pay" />
                <div className="choices">
                  <button type="submit" name="scenario" value="approve" className="primary">Approve</button>
                  <button type="submit" name="scenario" value="pending-approve">Pending, then approve</button>
                  <button type="submit" name="scenario" value="pending-decline">Pending, then decline</button>
                  <button type="submit" name="scenario" value="challenge">3-D Secure challenge</button>
                  <button type="submit" name="scenario" value="timeout">Provider times out</button>
                </div>
                <fieldset>
                  <legend>Decline</legend>
                  <label htmlFor="declineCode">Reason</label>{" "}
                  <select id="declineCode" name="declineCode" defaultValue="CARD_DECLINED">
                    {declineCodes.map((code) => (
                      <option key={code} value={code}>{code.toLowerCase().replace(/_/g, " ")}</option>
                    ))}
                  </select>{" "}
                  <button type="submit" name="scenario" value="decline">Decline</button>
                </fieldset>
              </fieldset>
            </Form>
          ) : (
            <Form method="post">
              <fieldset className="plain" disabled={busy}>
                <input type="hidden" name="intent" value="pay" />
                <button type="submit" className="primary">Pay {summary.formatted}</button>
              </fieldset>
            </Form>
          )}
          <Form method="post" className="cancel">
            <fieldset className="plain" disabled={busy}>
              <input type="hidden" name="intent" value="cancel" />
              <button type="submit" className="link">Cancel and return to the store</button>
            </fieldset>
          </Form>
        </>
      )}
    </BuyerPage>
  );
}

export const links = () => [{ rel: "stylesheet", href: buyerPageStyles }];

// An invalid (404) or expired (410) link, in words.
export function ErrorBoundary() {
  return <BuyerErrorPage />;
}
