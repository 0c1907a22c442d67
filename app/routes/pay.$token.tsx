import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { getDb } from "../db.server";
import { BUYER_ANSWER_WITHIN_MS, buyerViewAfterProvider, payFromBuyerPage } from "../payments/buyer/buyer-payment-page.server";
import { requireBuyerPayment } from "../inbound/buyer-pages/require-buyer-payment.server";
import { SANDBOX_DECLINE_CODES, SANDBOX_PROVIDER_NAME } from "../providers/sandbox-provider.server";
import { getBuyerLinkConfig, getProcessingPolicy, getProviders } from "../services.server";
import { BuyerErrorPage } from "../ui/buyer-error-page";
import { BuyerPage, buyerPageStyles } from "../ui/buyer-page";
import { buyerLanguageOfPayment, buyerMoney } from "../ui/buyer-language.server";
import { buyerWordsOfMatches, useBuyerWords } from "../ui/buyer-words";
import { declineSentenceKey } from "../ui/decline-words";
import { requireFormData } from "../http/form-body.server";

export const meta: MetaFunction = ({ error, matches }) => {
  const { t } = buyerWordsOfMatches(matches);
  return [{ title: t(error ? "title.link" : "title.pay") }, { name: "robots", content: "noindex" }];
};

export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const payment = await requireBuyerPayment(db, getBuyerLinkConfig(), params.token);
  const view = await buyerViewAfterProvider(db, getProviders(), payment, getProcessingPolicy());
  // Back from (or not yet sent to) a provider's hosted page that is still open: there again.
  if (view.kind === "provider-page") throw redirect(view.url, 303);
  if (view.kind === "redirect") throw redirect(view.url);
  if (view.kind === "challenge") throw redirect(`/pay/${params.token}/challenge`);
  // The sandbox's outcomes are offered only when the sandbox takes the payment: a
  // test payment of a shop with a connected test account (Stripe) is decided on that provider's page.
  const sandboxChoices = payment.test && view.kind !== "waiting" && view.kind !== "declined" && (await getProviders().forSession(payment))?.name === SANDBOX_PROVIDER_NAME;
  // The amount in the page's language: root chose it from the same payment.
  return { view, money: buyerMoney(buyerLanguageOfPayment(payment), view.summary), declineCodes: SANDBOX_DECLINE_CODES, sandboxChoices };
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
  const { view, money, declineCodes, sandboxChoices } = useLoaderData<typeof loader>();
  const { summary } = view;
  const { t } = useBuyerWords();
  // While a choice is on its way, nothing can be pressed twice, and the buyer
  // sees at once that the payment is being processed.
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle" && navigation.formData?.get("intent") === "pay";
  const busy = navigation.state !== "idle";
  return (
    <BuyerPage summary={summary} money={money} refresh={view.kind === "waiting" || (view.kind === "declined" && view.stillReporting)}>
      {view.kind === "waiting" ? (
        <section aria-live="polite">
          <h2>{t(view.reason === "unreachable" ? "waiting.recordedTitle" : "waiting.confirmingTitle")}</h2>
          <p>{t(view.reason === "provider" ? "waiting.provider" : view.reason === "shopify" ? "waiting.shopify" : "waiting.unreachable")}</p>
        </section>
      ) : view.kind === "declined" ? (
        <section aria-live="polite">
          <h2>{t("declined.title")}</h2>
          <p>
            {t(declineSentenceKey(view.code))} {t("declined.noMoneyTaken")}
          </p>
          <p>
            <a href={view.returnUrl} rel="noreferrer">
              {t("declined.return")}
            </a>
          </p>
          {view.stillReporting ? <p className="note">{t("declined.stillReporting")}</p> : null}
        </section>
      ) : (
        <>
          {submitting ? (
            <section aria-live="polite" className="processing">
              <h2>{t("processing.title")}</h2>
              <p>{t("processing.text")}</p>
            </section>
          ) : null}
          {sandboxChoices ? (
            <Form method="post" className="sandbox">
              <fieldset className="plain" disabled={busy}>
                <h2>{t("test.title")}</h2>
                <p>{t("test.text")}</p>
                <input type="hidden" name="intent" value="pay" />
                <div className="choices">
                  <button type="submit" name="scenario" value="approve" className="primary">{t("test.approve")}</button>
                  <button type="submit" name="scenario" value="pending-approve">{t("test.pendingApprove")}</button>
                  <button type="submit" name="scenario" value="pending-decline">{t("test.pendingDecline")}</button>
                  <button type="submit" name="scenario" value="challenge">{t("test.challenge")}</button>
                  <button type="submit" name="scenario" value="timeout">{t("test.timeout")}</button>
                </div>
                <fieldset>
                  <legend>{t("test.declineLegend")}</legend>
                  {/* The options are Shopify's rejection codes: test-mode vocabulary, kept as codes. */}
                  <label htmlFor="declineCode">{t("test.declineReason")}</label>{" "}
                  <select id="declineCode" name="declineCode" defaultValue="CARD_DECLINED">
                    {declineCodes.map((code) => (
                      <option key={code} value={code}>{code.toLowerCase().replace(/_/g, " ")}</option>
                    ))}
                  </select>{" "}
                  <button type="submit" name="scenario" value="decline">{t("test.declineButton")}</button>
                </fieldset>
              </fieldset>
            </Form>
          ) : (
            <Form method="post">
              <fieldset className="plain" disabled={busy}>
                <input type="hidden" name="intent" value="pay" />
                <button type="submit" className="primary">{t("pay.button", { amount: money })}</button>
              </fieldset>
            </Form>
          )}
          <Form method="post" className="cancel">
            <fieldset className="plain" disabled={busy}>
              <input type="hidden" name="intent" value="cancel" />
              <button type="submit" className="link">{t("pay.cancel")}</button>
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
