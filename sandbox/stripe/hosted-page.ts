import { checkCardEntry } from "./cards";
import { formatAmount } from "./money";
import type { PaymentErrorRecord, SessionRecord } from "./records";
import type { SettleOutcome, StripeStore } from "./store";

/**
 * Stripe Checkout's hosted payment page, on the sandbox's own origin (`/c/pay/<cs id>`): plain
 * HTML, no scripts, no external assets. The buyer pays with a test card (cards.ts) or a delayed
 * bank debit; 3-D Secure cards get a second page; success sends the browser (303) to
 * success_url, the cancel link goes to cancel_url.
 */
export interface PageAnswer {
  status: number;
  html?: string;
  location?: string;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;background:#f6f9fc;margin:0;color:#30313d}main{max-width:440px;margin:3rem auto;background:#fff;border-radius:10px;padding:1.5rem 2rem;box-shadow:0 2px 8px rgba(50,50,93,.15)}
h1{font-size:1.1rem;margin:0 0 .3rem}.amount{font-size:2rem;font-weight:600;margin:.2rem 0 1rem}label{display:block;margin:.7rem 0 .2rem;font-size:.9rem}
input[type=text]{font:inherit;padding:.55rem;border-radius:6px;border:1px solid #c0c8d2;width:100%;box-sizing:border-box}.row{display:flex;gap:.6rem}.row>div{flex:1}
button{font:inherit;width:100%;padding:.7rem;margin-top:1.2rem;border:0;border-radius:6px;background:#635bff;color:#fff;cursor:pointer}button.secondary{background:#fff;color:#30313d;border:1px solid #c0c8d2}
fieldset{border:1px solid #e3e8ee;border-radius:6px;margin-top:1rem}[role=alert]{background:#fdecea;color:#a4131b;padding:.6rem;border-radius:6px}.note{color:#6a7383;font-size:.85rem}.test{background:#ffde92;color:#754d00;font-size:.75rem;padding:.1rem .4rem;border-radius:4px}</style>
</head><body><main>${body}</main></body></html>`;
}

export function successUrlFor(session: SessionRecord): string | null {
  return session.successUrl ? session.successUrl.replaceAll("{CHECKOUT_SESSION_ID}", session.id) : null;
}

function header(session: SessionRecord): string {
  const names = session.lineItems.map((item) => `${escape(item.name)}${item.quantity > 1 ? ` × ${item.quantity}` : ""}`).join(", ");
  return `<p class="note">Sandbox merchant ${session.scope.livemode ? "" : '<span class="test">TEST MODE</span>'}</p>
<h1>${names}</h1><p class="amount" data-testid="amount">${escape(formatAmount(session.amountTotal, session.currency))}</p>`;
}

const offersBankDebit = (s: SessionRecord) => s.paymentMethodTypes.includes("sepa_debit");
const offersCard = (s: SessionRecord) => s.paymentMethodTypes.includes("card");

function paymentForm(session: SessionRecord, error: string | null): string {
  const cancel = session.cancelUrl ? `<p class="note"><a href="${escape(session.cancelUrl)}" id="cancel">← Back to the store (cancel)</a></p>` : "";
  const card = offersCard(session)
    ? `<form method="post" action="/c/pay/${escape(session.id)}"><input type="hidden" name="method" value="card">
<label for="card_number">Card number</label><input type="text" id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" required>
<div class="row"><div><label for="expiry">Expiry (MM / YY)</label><input type="text" id="expiry" name="expiry" autocomplete="cc-exp" placeholder="MM / YY" required></div>
<div><label for="cvc">CVC</label><input type="text" id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC" required></div></div>
<button type="submit" id="pay">Pay ${escape(formatAmount(session.amountTotal, session.currency))}</button></form>`
    : "";
  const debit = offersBankDebit(session)
    ? `<form method="post" action="/c/pay/${escape(session.id)}"><input type="hidden" name="method" value="bank_debit"><fieldset><legend>Bank debit (SEPA-like: settles later)</legend>
<label><input type="radio" name="outcome" value="succeeded" checked> The bank pays (succeeds later)</label>
<label><input type="radio" name="outcome" value="failed"> The bank refuses (fails later)</label>
<label><input type="radio" name="outcome" value="manual"> Decide later (POST /_sandbox/payment_intents/:id/settle)</label>
<button type="submit" class="secondary" id="pay-bank-debit">Pay by bank debit</button></fieldset></form>`
    : "";
  return page("Pay", `${header(session)}${error ? `<p role="alert">${escape(error)}</p>` : ""}${card}${debit}${cancel}
<p class="note">Test cards: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined, 4000 0000 0000 9995 has insufficient funds, 4000 0027 6000 3184 asks for 3-D Secure. Any future expiry, any CVC.</p>`);
}

function challengePage(session: SessionRecord): string {
  return page("Authenticate", `${header(session)}<h1>3-D Secure authentication</h1><p>Your bank asks you to confirm this payment.</p>
<form method="post" action="/c/pay/${escape(session.id)}/3ds"><button type="submit" name="result" value="complete" id="complete">Complete authentication</button>
<button type="submit" name="result" value="fail" class="secondary" id="fail">Fail authentication</button></form>`);
}

function notice(title: string, text: string, link?: { href: string; label: string }): string {
  return page(title, `<h1>${escape(title)}</h1><p>${escape(text)}</p>${link ? `<p><a href="${escape(link.href)}">${escape(link.label)}</a></p>` : ""}`);
}

const paidAnswer = (session: SessionRecord): PageAnswer => {
  const target = successUrlFor(session);
  return target ? { status: 303, location: target } : { status: 200, html: notice("Payment complete", "Thanks: your payment went through. You can close this page.") };
};

function closedPage(session: SessionRecord): PageAnswer {
  if (session.status === "expired") {
    return { status: 410, html: notice("This checkout has expired", "The time to pay on this page has run out. Go back to the store to start again.", session.cancelUrl ? { href: session.cancelUrl, label: "Back to the store" } : undefined) };
  }
  return paidAnswer(session);
}

export function showPaymentPage(store: StripeStore, id: string): PageAnswer {
  const session = store.sessionForPage(id);
  if (!session) return { status: 404, html: notice("Page not found", "This payment page does not exist. Check the link the store gave you.") };
  if (session.status !== "open") return closedPage(session);
  const pi = session.paymentIntentId ? store.paymentIntents.get(session.paymentIntentId) : undefined;
  if (pi?.status === "requires_action") return { status: 200, html: challengePage(session) };
  return { status: 200, html: paymentForm(session, pi?.lastPaymentError?.message ?? null) };
}

const failed = (session: SessionRecord, error: PaymentErrorRecord | { message: string }): PageAnswer => ({ status: 402, html: paymentForm(session, error.message) });

export function submitPayment(store: StripeStore, id: string, form: URLSearchParams, now: Date): PageAnswer {
  const session = store.sessionForPage(id);
  if (!session) return { status: 404, html: notice("Page not found", "This payment page does not exist.") };
  if (session.status !== "open") return closedPage(session);
  const method = form.get("method");
  if (method === "bank_debit" && offersBankDebit(session)) {
    const choice = form.get("outcome");
    const outcome: SettleOutcome | null = choice === "succeeded" || choice === "failed" ? choice : null;
    store.payWithBankDebit(session, outcome);
    return paidAnswer(session);
  }
  if (method !== "card" || !offersCard(session)) return { status: 400, html: paymentForm(session, "Choose a way to pay.") };
  const entry = checkCardEntry({ number: form.get("card_number") ?? "", expiry: form.get("expiry") ?? "", cvc: form.get("cvc") ?? "" }, now);
  if ("code" in entry) return { status: 400, html: paymentForm(session, entry.message) };
  const result = store.payWithCard(session, entry.card, { month: entry.expMonth, year: entry.expYear });
  if (result === "requires_action") return { status: 303, location: `/c/pay/${session.id}/3ds` };
  if (result === "succeeded") return paidAnswer(session);
  return failed(session, result);
}

export function showChallenge(store: StripeStore, id: string): PageAnswer {
  return showPaymentPage(store, id);
}

export function submitChallenge(store: StripeStore, id: string, form: URLSearchParams): PageAnswer {
  const session = store.sessionForPage(id);
  if (!session) return { status: 404, html: notice("Page not found", "This payment page does not exist.") };
  if (session.status !== "open") return closedPage(session);
  const pi = session.paymentIntentId ? store.paymentIntents.get(session.paymentIntentId) : undefined;
  if (pi?.status !== "requires_action") return { status: 303, location: `/c/pay/${session.id}` };
  const result = store.finishAuthentication(session, form.get("result") === "complete");
  if (result === "succeeded") return paidAnswer(session);
  // The session stays open: the buyer sees why and may try another card.
  return { status: 303, location: `/c/pay/${session.id}` };
}
