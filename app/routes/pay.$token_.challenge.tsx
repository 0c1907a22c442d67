import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { getDb } from "../db.server";
import { buyerView, completeBuyerChallenge } from "../payments/buyer/buyer-payment-page.server";
import { requireBuyerPayment } from "../inbound/buyer-pages/require-buyer-payment.server";
import { getBuyerLinkConfig, getProcessingPolicy, getProviders } from "../services.server";
import { SANDBOX_CHALLENGE_ANSWERS } from "../providers/sandbox-provider.server";
import { buyerLanguageOfPayment, buyerMoney } from "../ui/buyer-language.server";
import { BuyerErrorPage } from "../ui/buyer-error-page";
import { buyerWordsOfMatches, useBuyerWords } from "../ui/buyer-words";
import { BuyerPage, buyerPageStyles } from "../ui/buyer-page";
import { requireFormData } from "../http/form-body.server";

// The sandbox provider's 3-D Secure page (not nested under the payment page: "$token_").
export const meta: MetaFunction = ({ error, matches }) => {
  const { t } = buyerWordsOfMatches(matches);
  return [{ title: t(error ? "title.link" : "title.challenge") }, { name: "robots", content: "noindex" }];
};

export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const payment = await requireBuyerPayment(db, getBuyerLinkConfig(), params.token);
  const view = await buyerView(db, payment);
  if (view.kind !== "challenge") throw redirect(`/pay/${params.token}`);
  return { summary: view.summary, money: buyerMoney(buyerLanguageOfPayment(payment), view.summary) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const db = getDb();
  const payment = await requireBuyerPayment(db, getBuyerLinkConfig(), params.token);
  // Only a charge that is waiting on its challenge may be answered.
  if ((await buyerView(db, payment)).kind !== "challenge") throw redirect(`/pay/${params.token}`);
  const form = await requireFormData(request);
  const answer = SANDBOX_CHALLENGE_ANSWERS.find((choice) => choice === form.get("challenge")) ?? "fail";
  await completeBuyerChallenge(db, getProviders(), payment, { challenge: answer }, getProcessingPolicy(), getBuyerLinkConfig());
  throw redirect(`/pay/${params.token}`);
}

export default function ChallengePage() {
  const { summary, money } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const { t } = useBuyerWords();
  return (
    <BuyerPage summary={summary} money={money}>
      <Form method="post">
        {/* Pressed once: the answer is on its way, nothing can be pressed twice. */}
        <fieldset className="plain" disabled={navigation.state !== "idle"}>
          <h2>{t("challenge.title")}</h2>
          <p>{t("challenge.text")}</p>
          <div className="choices">
            <button type="submit" name="challenge" value="pass" className="primary">{t("challenge.pass")}</button>
            <button type="submit" name="challenge" value="fail">{t("challenge.fail")}</button>
            {/* A 3-D Secure server may also approve without asking the buyer anything. */}
            <button type="submit" name="challenge" value="frictionless">{t("challenge.frictionless")}</button>
          </div>
          {navigation.state !== "idle" ? <p aria-live="polite">{t("challenge.checking")}</p> : null}
        </fieldset>
      </Form>
    </BuyerPage>
  );
}

export const links = () => [{ rel: "stylesheet", href: buyerPageStyles }];

// An invalid (404) or expired (410) link, in words.
export function ErrorBoundary() {
  return <BuyerErrorPage />;
}
