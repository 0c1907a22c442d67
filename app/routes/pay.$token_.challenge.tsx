import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { getDb } from "../db.server";
import { buyerView, completeBuyerChallenge } from "../payments/buyer-payment-page.server";
import { requireBuyerPayment } from "../inbound/buyer-pages/require-buyer-payment.server";
import { getBuyerLinkConfig, getProcessingPolicy, getProviders } from "../services.server";
import { SANDBOX_CHALLENGE_ANSWERS } from "../providers/sandbox-provider.server";
import { BuyerErrorPage } from "../ui/buyer-error-page";
import { BuyerPage, buyerPageStyles } from "../ui/buyer-page";
import { requireFormData } from "../http/form-body.server";

// The sandbox provider's 3-D Secure page (not nested under the payment page: "$token_").
export const meta: MetaFunction = ({ error }) => [{ title: error ? "Payment link" : "Verify your payment" }, { name: "robots", content: "noindex" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const payment = await requireBuyerPayment(db, getBuyerLinkConfig(), params.token);
  const view = await buyerView(db, payment);
  if (view.kind !== "challenge") throw redirect(`/pay/${params.token}`);
  return { summary: view.summary };
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
  const { summary } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  return (
    <BuyerPage summary={summary}>
      <Form method="post">
        {/* Pressed once: the answer is on its way, nothing can be pressed twice. */}
        <fieldset className="plain" disabled={navigation.state !== "idle"}>
          <h2>3-D Secure verification (sandbox)</h2>
          <p>Your bank asks you to confirm this payment.</p>
          <div className="choices">
            <button type="submit" name="challenge" value="pass" className="primary">Pass verification</button>
            <button type="submit" name="challenge" value="fail">Fail verification</button>
            {/* A 3-D Secure server may also approve without asking the buyer anything. */}
            <button type="submit" name="challenge" value="frictionless">Frictionless (no challenge)</button>
          </div>
          {navigation.state !== "idle" ? <p aria-live="polite">Checking with your bank…</p> : null}
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
