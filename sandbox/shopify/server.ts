import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { PaymentsAppsSandbox } from "../payments-apps/server";
import { createSandboxAdmin, type SandboxAdminOptions } from "./admin";
import { merchantActions, timeInWords } from "./merchant-actions";
import { SANDBOX_BUYER_PHONE, SANDBOX_BUYERS, type OpenedPayment, type ShopifySimulator } from "./simulator";
import { isWebhookTopic, WEBHOOK_TOPICS, type SendWebhookOptions, type SentWebhook, type WebhookCustomer, type WebhookSender } from "./webhooks";

/**
 * Shopify's pages, played locally for a person at a browser: a checkout that
 * opens a payment session with the app and sends the buyer to the app's payment
 * page, and an order page (where Shopify's nextAction lands the buyer) with the
 * merchant's capture, refund and void buttons. Never part of the app's build.
 */
export interface ShopifySandboxOptions {
  port?: number;
  host?: string;
  shop: string;
  simulator: ShopifySimulator;
  paymentsApi: PaymentsAppsSandbox;
  /** The app to install and frame in the sandbox admin; without it there is no admin. */
  app?: SandboxAdminOptions["app"];
  accessToken?: SandboxAdminOptions["accessToken"];
  onInstall?: SandboxAdminOptions["onInstall"];
  /** Shopify's webhooks to the app (sandbox/shopify/webhooks.ts); without it, no webhook page. */
  webhooks?: WebhookSender;
}

interface Order {
  payment: OpenedPayment;
  followUps: { kind: string; gid: string; amount: string | null; status: number }[];
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string, script = ""): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;background:#f1f1f1;margin:0}header{background:#1a1a1a;color:#fff;padding:.8rem 1.5rem;font-weight:600}
main{max-width:640px;margin:2rem auto;background:#fff;border-radius:12px;padding:1.5rem 2rem;box-shadow:0 1px 2px rgba(0,0,0,.2)}
label{display:block;margin:.6rem 0 .2rem}input,select,button{font:inherit;padding:.5rem;border-radius:8px;border:1px solid #8a8a8a;max-width:100%;box-sizing:border-box}code{overflow-wrap:anywhere}
button{background:#1a1a1a;color:#fff;cursor:pointer;margin-top:1rem}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem;border-bottom:1px solid #ddd}
.note{color:#616161;font-size:.9rem}.table{overflow-x:auto}@media (max-width:600px){main{margin:0;border-radius:0;padding:1rem}}</style></head><body><header>Shopify sandbox · ${escape(title)}</header><main>${body}</main>${script ? `<script>${script}</script>` : ""}</body></html>`;
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").slice(0, 10_000);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readText(req));
}

export async function startShopifySandbox(options: ShopifySandboxOptions) {
  const orders = new Map<string, Order>();
  const admin = options.app ? createSandboxAdmin({ shop: options.shop, app: options.app, paymentsApi: options.paymentsApi, accessToken: options.accessToken, onInstall: options.onInstall }) : null;

  const checkoutForm = (error = "") => page("Checkout", `
    <h1>Checkout at ${escape(options.shop)}</h1>
    ${error ? `<p role="alert">${escape(error)}</p>` : ""}
    <form method="post" action="/checkout">
      <label for="amount">Amount</label><input id="amount" name="amount" value="49.99" required>
      <label for="currency">Currency</label>
      <select id="currency" name="currency"><option>USD</option><option>CAD</option><option>EUR</option><option value="JPY">JPY (no decimals)</option><option value="KWD">KWD (3 decimals)</option></select>
      <label for="kind">Capture</label>
      <select id="kind" name="kind"><option value="sale">Automatically (sale)</option><option value="authorization">Manually (authorization)</option></select>
      <label for="buyer">Buyer</label>
      <select id="buyer" name="buyer"><option value="">Any (one at random)</option>${SANDBOX_BUYERS.map((b) => `<option value="${escape(b.email)}">${escape(`${b.name} <${b.email}>`)}</option>`).join("")}</select>
      <label><input type="checkbox" name="test" value="true" checked> Test mode</label>
      <h2>Payments App (offsite)</h2>
      <p class="note">Opens a payment session with the app over mTLS, as Shopify's checkout does, and sends you to the payment page it answers with.</p>
      <button type="submit" name="method" value="offsite">Pay with Payments App</button>
      <fieldset>
        <legend><h2>Credit card (onsite)</h2></legend>
        <label for="card-number">Card number</label><input id="card-number" name="number" value="4242 4242 4242 4242" autocomplete="off">
        <label for="card-expiry">Expiry (MM/YYYY)</label><input id="card-expiry" name="expiry" value="12/2029">
        <label for="card-cvc">Security code</label><input id="card-cvc" name="cvc" value="123" autocomplete="off">
        <label for="card-name">Name on card</label><input id="card-name" name="name" value="Mary Jones">
        <p class="note">The card is encrypted for the app's certificate, as Shopify does, and sent as a credit card payment session over mTLS.
        Test cards: 4242 4242 4242 4242 approves; 4000 0000 0000 0002 is declined; 4000 0000 0000 9995 has insufficient funds; 4000 0027 6000 3184 asks for 3-D Secure; 4000 0012 3456 7899 leaves the provider without an answer (it settles as approved after SANDBOX_PENDING_SECONDS); CVC 000 is incorrect.</p>
        <button type="submit" name="method" value="card">Pay by card</button>
      </fieldset>
    </form>
    ${admin ? `<p class="note"><a href="${admin.path}">Open the app in the sandbox admin</a></p>` : ""}
    ${options.webhooks ? `<p class="note"><a href="/webhooks">Send a webhook (uninstall, privacy requests)</a></p>` : ""}`);

  const orderPage = (order: Order, stage: string) => {
    const state = options.paymentsApi.sessions.get(order.payment.gid)?.state;
    const rows = order.followUps
      .map((f) => `<tr><td>${escape(f.kind)}</td><td>${escape(f.amount ?? "")}</td><td>${f.status}</td><td>${escape(options.paymentsApi.sessions.get(f.gid)?.state?.code ?? "waiting for the app")}</td></tr>`)
      .join("");
    const { amount, currency, kind } = order.payment.body as { amount: string; currency: string; kind: string };
    const id = escape(order.payment.id);
    const offered = merchantActions(
      { amount, currency, kind, state: state?.code },
      order.followUps.map((f) => ({ kind: f.kind, amount: f.amount, state: options.paymentsApi.sessions.get(f.gid)?.state?.code })),
    );
    const actions = offered.none
      ? `<p class="note" data-testid="no-merchant-action">${escape(offered.none)}</p>`
      : [
          offered.capture ? `<form method="post" action="/orders/${id}/capture"><label for="capture">Capture amount (${escape(currency)}; up to ${escape(offered.capture)})</label><input id="capture" name="amount" inputmode="decimal" value="${escape(offered.capture)}"><button>Capture</button></form>` : "",
          offered.refund ? `<form method="post" action="/orders/${id}/refund"><label for="refund">Refund amount (${escape(currency)}; up to ${escape(offered.refund)})</label><input id="refund" name="amount" inputmode="decimal" value="${escape(offered.refund)}"><button>Refund</button></form>` : "",
          offered.void ? `<form method="post" action="/orders/${id}/void"><button>Void authorization</button></form>` : "",
        ].join("");
    const pending = stage === "pending" || state?.code === "PENDING" || !state;
    // A buyer waiting on a pending payment sees it change without reloading:
    // the page asks for the state every two seconds and moves on when it changes.
    const follow = pending
      ? `const initial=${JSON.stringify(state?.code ?? "open")};const stop=Date.now()+30*60*1000;
const timer=setInterval(async()=>{if(Date.now()>stop)return clearInterval(timer);
try{const r=await fetch("/orders/${id}/state",{cache:"no-store"});if(!r.ok)return;const {code}=await r.json();
if(code!==initial){clearInterval(timer);location.replace("/checkouts/${id}/"+(code==="RESOLVED"?"thank_you":code==="REJECTED"?"payment":"pending"));}}catch{}},2000);`
      : "";
    return page(`Order ${order.payment.id}`, `
      <h1>${stage === "thank_you" ? "Thank you for your order" : stage === "pending" ? "Your payment is pending" : "Payment not completed"}</h1>
      <p>Payment <code>${id}</code>: ${escape(amount)} ${escape(currency)} (${escape(kind)}), state at Shopify: <strong data-testid="state">${escape(state?.code ?? "open")}</strong></p>
      ${pending ? `<p class="note" role="status" aria-live="polite">This page updates itself when the payment changes.</p>` : ""}
      <h2>Merchant actions</h2>
      ${actions}
      <h2>Sessions sent to the app</h2><div class="table" tabindex="0" role="region" aria-label="Sessions sent to the app"><table><tr><th>Kind</th><th>Amount</th><th>HTTP</th><th>State at Shopify</th></tr>${rows}</table></div>
      <p><a href="/checkout">New checkout</a></p>`, follow);
  };

  // Where the app's cancel_url brings a buyer who cancelled on its payment page:
  // back at the checkout, the payment abandoned (Shopify keeps the session open
  // until it expires; nothing was charged).
  const abandonedPage = (id: string, order: Order | undefined) => {
    const state = order ? options.paymentsApi.sessions.get(order.payment.gid)?.state : undefined;
    const amount = order ? `${String(order.payment.body.amount)} ${String(order.payment.body.currency)}` : null;
    return page("Checkout", `
      <h1>Payment abandoned</h1>
      <p>You cancelled on the payment page and came back to the checkout. The order was not paid and no money was taken.</p>
      <p>Payment <code>${escape(id)}</code>${amount ? `: ${escape(amount)}` : ""}, state at Shopify: <strong data-testid="state">${escape(state?.code ?? "open")}</strong></p>
      <p><a href="/checkout">Back to the checkout</a></p>`);
  };

  /** The origin the buyer opened this sandbox at (localhost or 127.0.0.1), for links back to it. */
  const originOf = (req: IncomingMessage): string | undefined => {
    const host = req.headers.host;
    return host && /^[a-z0-9.-]+(:\d{1,5})?$/i.test(host) ? `http://${host}` : undefined;
  };

  /** The last checkout's buyer: who the webhook page names unless told otherwise. */
  const lastCustomer = (): WebhookCustomer => {
    const last = [...orders.values()].at(-1)?.payment.body.customer as { email?: string; phone_number?: string } | undefined;
    return { email: last?.email ?? null, phone: last?.phone_number ?? null };
  };

  /** A webhook as Shopify sends it; app/uninstalled first revokes the token, as uninstalling does. */
  async function sendWebhook(topic: (typeof WEBHOOK_TOPICS)[number], customer: WebhookCustomer, sendOptions: SendWebhookOptions): Promise<SentWebhook> {
    if (!options.webhooks) throw new Error("this sandbox sends no webhooks");
    if (topic === "app/uninstalled" && (sendOptions.signature ?? "valid") === "valid") admin?.uninstall();
    return options.webhooks.send(topic, customer, sendOptions);
  }

  /**
   * Who a privacy webhook names: one of the sandbox's buyers as Shopify would name
   * them (their email and the phone all of them share), or the email and phone typed.
   */
  const customerFor = (buyer: string | null | undefined, typed: WebhookCustomer): WebhookCustomer => {
    const known = SANDBOX_BUYERS.find((b) => b.email === buyer);
    return known ? { email: known.email, phone: SANDBOX_BUYER_PHONE } : typed;
  };

  /** The webhook page; after a send, the form keeps what was chosen (topic, buyer, signature). */
  const webhookPage = (result?: SentWebhook, chosen: { topic?: string; buyer?: string | null; signature?: string } = {}) => {
    const customer = lastCustomer();
    const buyer = chosen.buyer !== undefined ? chosen.buyer : customer.email;
    const selected = (yes: boolean) => (yes ? " selected" : "");
    const buyerOptions = [
      ...SANDBOX_BUYERS.map((b) => `<option value="${escape(b.email)}"${selected(b.email === buyer)}>${escape(`${b.name} <${b.email}>, ${SANDBOX_BUYER_PHONE}`)}</option>`),
      `<option value=""${selected(!SANDBOX_BUYERS.some((b) => b.email === buyer))}>The email and phone below</option>`,
    ].join("");
    const signatures = [["valid", "signed with the app's secret"], ["wrong", "wrong HMAC"], ["missing", "no HMAC header"]] as const;
    const now = Date.now();
    const rows = [...(options.webhooks?.sent ?? [])]
      .reverse()
      .map((w) => `<tr><td><time datetime="${escape(w.at)}" title="${escape(new Date(w.at).toUTCString())}">${escape(timeInWords(w.at, now))}</time></td><td>${escape(w.topic)}</td><td>${escape(w.signature)}</td><td><code>${escape(w.webhookId)}</code></td><td data-testid="webhook-status">${w.status}</td><td>${w.attempts}</td></tr>`)
      .join("");
    return page("Webhooks", `
      <h1>Send a webhook to the app</h1>
      ${result ? `<p role="status">${escape(result.topic)}: the app answered <strong>${result.status}</strong>${outcomeOf(result) ? ` (${escape(outcomeOf(result) ?? "")})` : ""} after ${result.attempts} attempt(s).</p>` : ""}
      <form method="post" action="/webhooks">
        <label for="topic">Topic</label>
        <select id="topic" name="topic">${WEBHOOK_TOPICS.map((t) => `<option${selected(t === chosen.topic)}>${t}</option>`).join("")}</select>
        <label for="buyer">Buyer (customers/data_request, customers/redact)</label>
        <select id="buyer" name="buyer">${buyerOptions}</select>
        <p class="note">Every sandbox buyer has the phone ${escape(SANDBOX_BUYER_PHONE)}: redact one, and the others keep their details.</p>
        <label for="email">Customer email (when no buyer is picked)</label><input id="email" name="email" value="${escape(customer.email ?? "")}">
        <label for="phone">Customer phone (when no buyer is picked)</label><input id="phone" name="phone" value="${escape(customer.phone ?? "")}">
        <label for="signature">Signature</label>
        <select id="signature" name="signature">${signatures.map(([value, label]) => `<option value="${value}"${selected(value === chosen.signature)}>${label}</option>`).join("")}</select>
        <label for="webhookId">Webhook id (leave empty for a new one; reuse one to replay)</label><input id="webhookId" name="webhookId">
        <button type="submit">Send</button>
      </form>
      <p class="note">app/uninstalled revokes the app's token first, as uninstalling does; open the app in the admin to install it again.</p>
      <h2>Sent</h2><div class="table" tabindex="0" role="region" aria-label="Sent webhooks"><table><tr><th>When</th><th>Topic</th><th>Signature</th><th>Webhook id</th><th>HTTP</th><th>Attempts</th></tr>${rows}</table></div>
      <p><a href="/checkout">Checkout</a></p>`);
  };

  /** What the app said it did ("processed", "acknowledged" …), when it said so. */
  const outcomeOf = (sent: SentWebhook): string | null => {
    const answer = sent.response as { outcome?: unknown } | null;
    return typeof answer?.outcome === "string" ? answer.outcome : null;
  };

  const signatureOf = (value: unknown): SendWebhookOptions["signature"] => (value === "wrong" || value === "missing" ? value : "valid");

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://sandbox.local");
    const html = (status: number, body: string) => res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" }).end(body);
    if (admin && (await admin.handle(req, res, url))) return;
    if (options.webhooks && url.pathname === "/webhooks" && req.method === "GET") return html(200, webhookPage());
    if (options.webhooks && url.pathname === "/webhooks" && req.method === "POST") {
      const form = await readForm(req);
      const topic = form.get("topic") ?? "";
      if (!isWebhookTopic(topic)) return html(400, page("Webhooks", "<p>Unknown topic.</p>"));
      const result = await sendWebhook(topic, customerFor(form.get("buyer"), { email: form.get("email") || null, phone: form.get("phone") || null }), { signature: signatureOf(form.get("signature")), webhookId: form.get("webhookId") || undefined });
      return html(200, webhookPage(result, { topic, buyer: form.get("buyer"), signature: form.get("signature") ?? undefined }));
    }
    // For scripts and tests: POST /_sandbox/webhooks/{topic} with an optional JSON body
    // {"buyer" (a sandbox buyer's email), "email", "phone", "signature": "valid"|"wrong"|"missing", "webhookId"}.
    const control = /^\/_sandbox\/webhooks\/(.+)$/.exec(url.pathname);
    if (options.webhooks && control && req.method === "POST") {
      const topic = decodeURIComponent(control[1] ?? "");
      const json = (status: number, body: unknown) => res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
      if (!isWebhookTopic(topic)) return json(404, { error: `unknown topic; one of ${WEBHOOK_TOPICS.join(", ")}` });
      const text = await readText(req);
      let input: Record<string, unknown> = {};
      try {
        input = text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        return json(400, { error: "the body must be JSON" });
      }
      const fallback = lastCustomer();
      const typed = { email: typeof input.email === "string" ? input.email : fallback.email, phone: typeof input.phone === "string" ? input.phone : fallback.phone };
      const customer = customerFor(typeof input.buyer === "string" ? input.buyer : null, typed);
      return json(200, await sendWebhook(topic, customer, { signature: signatureOf(input.signature), webhookId: typeof input.webhookId === "string" ? input.webhookId : undefined }));
    }
    if (url.pathname === "/" || (url.pathname === "/checkout" && req.method === "GET")) return html(200, checkoutForm());
    if (url.pathname === "/checkout" && req.method === "POST") {
      const form = await readForm(req);
      // One checkout, two ways to pay (as Shopify's offers its payment methods): the button says which.
      if (form.get("method") === "card") return payByCard(form);
      const payment = await options.simulator.startPayment({
        checkoutOrigin: originOf(req),
        amount: form.get("amount") ?? "49.99",
        currency: form.get("currency") ?? "USD",
        kind: form.get("kind") === "authorization" ? "authorization" : "sale",
        test: form.get("test") === "true",
        buyer: form.get("buyer") || undefined,
      });
      if (!payment.redirectUrl) return html(502, checkoutForm(`The app answered ${payment.response.status}: ${JSON.stringify(payment.response.body)}`));
      orders.set(payment.id, { payment, followUps: [] });
      return res.writeHead(303, { Location: payment.redirectUrl }).end();
    }
    if (url.pathname === "/checkout/card" && req.method === "POST") return payByCard(await readForm(req));
    async function payByCard(form: URLSearchParams) {
      const [month, year] = (form.get("expiry") ?? "").split("/").map((part) => Number(part.trim()));
      const payment = await options.simulator.startCardPayment({
        amount: form.get("amount") ?? "49.99",
        ...(form.get("currency") ? { currency: form.get("currency") ?? "USD" } : {}),
        ...(form.has("method") ? { test: form.get("test") === "true" } : {}),
        buyer: form.get("buyer") || undefined,
        kind: form.get("kind") === "authorization" ? "authorization" : "sale",
        card: { pan: (form.get("number") ?? "").replace(/\D/g, ""), month: month ?? 0, year: year ?? 0, fullName: form.get("name") ?? "", ...(form.get("cvc") ? { cvc: form.get("cvc") ?? "" } : {}) },
      });
      if (payment.response.status !== 201) return html(502, checkoutForm(`The app answered ${payment.response.status}: ${JSON.stringify(payment.response.body)}`));
      orders.set(payment.id, { payment, followUps: [] });
      return res.writeHead(303, { Location: `/checkouts/${payment.id}/processing` }).end();
    }
    // Shopify's checkout while the app decides a card payment: it follows the session's state.
    const processing = /^\/checkouts\/([^/]+)\/processing$/.exec(url.pathname);
    if (processing && req.method === "GET") {
      const order = orders.get(processing[1] ?? "");
      if (!order) return html(404, page("Not found", "<p>No such order in this sandbox.</p>"));
      const record = options.paymentsApi.sessions.get(order.payment.gid);
      const state = record?.state;
      const redirectUrl = record && "threeDSecureRedirectUrl" in record ? record.threeDSecureRedirectUrl : null;
      const next =
        state?.code === "REDIRECTING" && redirectUrl ? redirectUrl
        : state?.code === "RESOLVED" ? `/checkouts/${order.payment.id}/thank_you`
        : state?.code === "REJECTED" ? `/checkouts/${order.payment.id}/payment`
        : state?.code === "CONFIRMING" ? `/checkouts/${order.payment.id}/confirming`
        : null;
      if (next) return res.writeHead(303, { Location: next }).end();
      return res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", Refresh: "1" }).end(page("Processing", "<p>Processing your payment…</p>"));
    }
    const checkout = /^\/checkouts\/([^/]+)\/(thank_you|payment|pending|confirming)$/.exec(url.pathname);
    if (checkout && req.method === "GET" && checkout[2] === "payment" && url.searchParams.has("cancelled")) {
      return html(200, abandonedPage(checkout[1] ?? "", orders.get(checkout[1] ?? "")));
    }
    if (checkout && req.method === "GET") {
      const order = orders.get(checkout[1] ?? "");
      return order ? html(200, orderPage(order, checkout[2] ?? "")) : html(404, page("Not found", "<p>No such order in this sandbox.</p>"));
    }
    const polled = /^\/orders\/([^/]+)\/state$/.exec(url.pathname);
    if (polled && req.method === "GET") {
      const order = orders.get(polled[1] ?? "");
      const code = order ? (options.paymentsApi.sessions.get(order.payment.gid)?.state?.code ?? "open") : null;
      return res.writeHead(order ? 200 : 404, { "Content-Type": "application/json", "Cache-Control": "no-store" }).end(JSON.stringify(order ? { code } : { error: "no such order" }));
    }
    const action = /^\/orders\/([^/]+)\/(capture|refund|void)$/.exec(url.pathname);
    if (action && req.method === "POST") {
      const order = orders.get(action[1] ?? "");
      if (!order) return html(404, page("Not found", "<p>No such order in this sandbox.</p>"));
      const kind = action[2] as "capture" | "refund" | "void";
      const amount = kind === "void" ? undefined : ((await readForm(req)).get("amount") ?? undefined);
      const sent = await options.simulator.followUp(kind, order.payment, amount);
      order.followUps.push({ kind, gid: sent.gid, amount: amount ?? null, status: sent.response.status });
      return res.writeHead(303, { Location: `/checkouts/${order.payment.id}/thank_you` }).end();
    }
    html(404, page("Not found", "<p>Nothing here.</p>"));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(`Sandbox error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  const url = `http://${options.host ?? "127.0.0.1"}:${address.port}`;
  // Payments started without this storefront's checkout form come back here too.
  options.simulator.setCheckoutOrigin(url);
  return {
    url,
    orders,
    /** The Shopify admin for the app (null when no app was given). */
    admin,
    /** Sends a webhook as Shopify does (app/uninstalled revokes the token first). */
    sendWebhook,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
