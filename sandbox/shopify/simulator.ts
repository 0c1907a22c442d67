import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import https from "node:https";
import type { PaymentsAppsSandbox } from "../payments-apps/server";
import { cardDocument, encryptCardForApp } from "./card-encryption";

/**
 * Shopify's outgoing side of the contract, played locally: it opens payment
 * sessions the way checkout does and sends the capture, refund and void
 * sessions a merchant triggers in the admin (spec §3), over mTLS with a
 * Shopify-like client certificate, retrying like Shopify when the app answers
 * non-2xx or not at all (same body and id, a new Shopify-Request-Id).
 * Every session it opens is registered with the local Payments Apps API first,
 * because on Shopify's side the session exists before the app hears of it.
 */
export interface SimulatorOptions {
  /** The app's session endpoints' origin, e.g. https://127.0.0.1:3443. */
  appOrigin: string;
  shop: string;
  apiVersion?: string;
  /** PEM files: Shopify's client certificate (with its chain) and key, and the CA of the app's server certificate. */
  clientCertFile: string;
  clientKeyFile: string;
  serverCaFile: string;
  paymentsApi: Pick<PaymentsAppsSandbox, "registerSession" | "url">;
  /**
   * Origin of the sandbox's checkout pages, where cancel_url brings the buyer back
   * (set by the sandbox storefront once it listens). Without one, cancel_url is
   * Shopify's own shape, https://{shop}/checkouts/c/{id}/payment.
   */
  checkoutOrigin?: string;
  /** The app's card-encryption certificate (PEM): what card payments are encrypted for (spec §3.3). */
  cardCertificatePem?: string;
  /** Attempts per request (Shopify's count is unconfirmed, spec §16): default 3. */
  attempts?: number;
  retryDelayMs?: number;
}

export interface SentRequest {
  status: number;
  body: Record<string, unknown>;
  attempts: number;
}

export interface StartPaymentOptions {
  kind?: "sale" | "authorization";
  amount?: string;
  currency?: string;
  test?: boolean;
  customer?: "full" | "email-only" | "none";
  /** Where this payment's cancel_url leads (the checkout's origin as the buyer opened it); default the simulator's. */
  checkoutOrigin?: string;
  /** Payment attempts of one checkout (several tabs) share a group. */
  group?: string;
  /** The buyer's email (one of SANDBOX_BUYERS); default one at random. */
  buyer?: string;
}

/** A card as the buyer types it at checkout. */
export interface TypedCard {
  pan: string;
  month: number;
  year: number;
  fullName: string;
  cvc?: string;
}

export interface StartCardPaymentOptions extends Omit<StartPaymentOptions, "checkoutOrigin"> {
  card: TypedCard;
  /** The merchant typed the card (mail or telephone order). */
  moto?: boolean;
}

export interface OpenedPayment {
  id: string;
  gid: string;
  body: Record<string, unknown>;
  response: SentRequest;
  redirectUrl: string | null;
}

const CUSTOMERS = [
  { locale: "fr", email: "camille.roy@example.com", given: "Camille", family: "Roy", line1: "1200 Rue Sainte-Catherine O", city: "Montréal", postal: "H3B 1K9", province: "Quebec", provinceCode: "QC", country: "CA" },
  { locale: "ja", email: "haruto.sato@example.com", given: "陽翔", family: "佐藤", line1: "1-1 Chiyoda", city: "Tokyo", postal: "100-0001", province: "Tokyo", provinceCode: "JP-13", country: "JP" },
  { locale: "en", email: "mary.jones@example.com", given: "Mary", family: "Jones", line1: "10 Downing Street", city: "London", postal: "SW1A 2AA", province: null, provinceCode: null, country: "GB" },
  { locale: "ar", email: "noura.alsabah@example.com", given: "Noura", family: "Al-Sabah", line1: "Gulf Road 5", city: "Kuwait City", postal: "13001", province: null, provinceCode: null, country: "KW" },
] as const;

/** Every sandbox buyer has the same phone, as test data often does: a privacy request must still find one buyer only. */
export const SANDBOX_BUYER_PHONE = "+15145550100";

/** The sandbox's buyers, by the email that names each (the webhooks page and the checkout offer them by name). */
export const SANDBOX_BUYERS: readonly { email: string; name: string }[] = CUSTOMERS.map((who) => ({ email: who.email, name: `${who.given} ${who.family}` }));

export function createShopifySimulator(options: SimulatorOptions) {
  const agent = new https.Agent({
    cert: readFileSync(options.clientCertFile),
    key: readFileSync(options.clientKeyFile),
    ca: readFileSync(options.serverCaFile),
    keepAlive: true,
  });
  const apiVersion = options.apiVersion ?? "2026-04";
  const attempts = options.attempts ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const newId = () => randomBytes(18).toString("base64url").slice(0, 24);
  let checkoutOrigin = options.checkoutOrigin ?? null;
  // Back to the checkout's payment step, as Shopify's cancel_url does; in the
  // sandbox, its own checkout page, which shows the payment abandoned.
  const cancelUrl = (id: string, origin = checkoutOrigin) =>
    origin ? `${origin}/checkouts/${id}/payment?cancelled=1` : `https://${options.shop}/checkouts/c/${id}/payment`;

  function postOnce(path: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = https.request(
        `${options.appOrigin}${path}`,
        {
          method: "POST",
          agent,
          timeout: 10_000,
          headers: {
            "Content-Type": "application/json",
            "Content-Length": Buffer.byteLength(payload),
            "Shopify-Shop-Domain": options.shop,
            "Shopify-Request-Id": randomUUID(),
            "Shopify-Api-Version": apiVersion,
          },
        },
        (response) => {
          let text = "";
          response.on("data", (chunk: Buffer) => (text += chunk.toString()));
          response.on("end", () => {
            let json: Record<string, unknown> = {};
            try {
              json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
            } catch {
              json = { raw: text };
            }
            resolve({ status: response.statusCode ?? 0, body: json });
          });
        },
      );
      request.on("timeout", () => request.destroy(new Error("timeout")));
      request.on("error", reject);
      request.end(payload);
    });
  }

  /** Sends a session request, retrying like Shopify on non-2xx answers and network errors. */
  async function send(path: string, body: Record<string, unknown>): Promise<SentRequest> {
    let last: { status: number; body: Record<string, unknown> } = { status: 0, body: {} };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        last = await postOnce(path, body);
        if (last.status >= 200 && last.status < 300) return { ...last, attempts: attempt };
        // A 4xx other than a conflict will not change on a retry; Shopify stops too (inferred).
        if (last.status >= 400 && last.status < 500 && last.status !== 409 && last.status !== 429) return { ...last, attempts: attempt };
      } catch (error) {
        last = { status: 0, body: { error: error instanceof Error ? error.message : String(error) } };
      }
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, retryDelayMs * attempt));
    }
    return { ...last, attempts };
  }

  const refusedConfirmations = new Set<string>();

  return {
    send,

    /** Where cancel_url brings buyers back from now on (the sandbox's checkout pages, once they run). */
    setCheckoutOrigin(origin: string) {
      checkoutOrigin = origin;
    },

    /** Checkout opens a payment session (spec §3.2) and gets the buyer's link. */
    async startPayment(start: StartPaymentOptions = {}): Promise<OpenedPayment> {
      const id = newId();
      const gid = `gid://shopify/PaymentSession/${id}`;
      const who = CUSTOMERS.find((buyer) => buyer.email === start.buyer) ?? CUSTOMERS[Math.floor(Math.random() * CUSTOMERS.length)] ?? CUSTOMERS[0];
      const address = {
        given_name: who.given, family_name: who.family, line1: who.line1, line2: null, city: who.city,
        postal_code: who.postal, province: who.province, province_code: who.provinceCode, country_code: who.country,
        phone_number: null, company: "",
      };
      const customer =
        start.customer === "none"
          ? undefined
          : start.customer === "email-only"
            ? { email: who.email, locale: who.locale, billing_address: address }
            : { email: who.email, phone_number: SANDBOX_BUYER_PHONE, locale: who.locale, billing_address: address, shipping_address: address };
      const body: Record<string, unknown> = {
        id,
        gid,
        group: start.group ?? randomBytes(32).toString("base64"),
        session_id: randomBytes(32).toString("base64"),
        amount: start.amount ?? "49.99",
        currency: start.currency ?? "USD",
        test: start.test ?? true,
        merchant_locale: "en",
        payment_method: { type: "offsite", data: { cancel_url: cancelUrl(id, start.checkoutOrigin ?? checkoutOrigin) } },
        proposed_at: new Date().toISOString(),
        ...(customer ? { customer } : {}),
        kind: start.kind ?? "sale",
      };
      options.paymentsApi.registerSession({ gid, shop: options.shop, kind: "payment", paymentKind: start.kind ?? "sale" });
      const response = await send("/sessions/payment", body);
      const redirectUrl = typeof response.body.redirect_url === "string" ? response.body.redirect_url : null;
      return { id, gid, body, response, redirectUrl };
    },

    /**
     * Checkout takes a card (spec §3.3): encrypted for the app's certificate as
     * Shopify does it, sent as a credit card payment session. The body is shaped
     * like Shopify's real ones: no session_id, no cancel_url, a regional locale.
     */
    async startCardPayment(start: StartCardPaymentOptions): Promise<OpenedPayment> {
      if (!options.cardCertificatePem) throw new Error("the simulator needs cardCertificatePem (the app's card-encryption certificate) for card payments");
      const id = newId();
      const gid = `gid://shopify/PaymentSession/${id}`;
      const who = CUSTOMERS.find((buyer) => buyer.email === start.buyer) ?? CUSTOMERS[2];
      const address = { given_name: who.given, family_name: who.family, line1: who.line1, city: who.city, postal_code: who.postal, country_code: who.country };
      const body: Record<string, unknown> = {
        id,
        gid,
        group: start.group ?? randomBytes(32).toString("base64"),
        amount: start.amount ?? "49.99",
        currency: start.currency ?? "USD",
        test: start.test ?? true,
        merchant_locale: "en-US",
        payment_method: {
          type: "credit_card",
          data: { ...encryptCardForApp({ certificatePem: options.cardCertificatePem }, cardDocument(start.card)), moto: start.moto ?? false },
        },
        proposed_at: new Date().toISOString(),
        ...(start.customer === "none" ? {} : { customer: { email: who.email, locale: "en-US", billing_address: address, shipping_address: address } }),
        kind: start.kind ?? "sale",
        client_details: { ip_address: "203.0.113.7", user_agent: "Mozilla/5.0 (X11; Linux x86_64)", accept_language: "en-US" },
      };
      // The credit card extension: 3-D Secure and the confirmation flow (extensions/payments-credit-card).
      options.paymentsApi.registerSession({ gid, shop: options.shop, kind: "payment", paymentKind: start.kind ?? "sale", paymentMethod: "credit_card", supports3ds: true, confirmationSupported: true });
      const response = await send("/sessions/payment", body);
      return { id, gid, body, response, redirectUrl: null };
    },

    /** Shopify will answer the next confirmation of this payment session with false (e.g. sold out). */
    refuseConfirmation(gid: string) {
      refusedConfirmations.add(gid);
    },

    /** Shopify's confirmation callback (spec §3.8), after the app's paymentSessionConfirm. */
    async sendConfirmation(gid: string) {
      const id = gid.slice(gid.lastIndexOf("/") + 1);
      return send("/sessions/confirm", { id, gid, confirmation_result: !refusedConfirmations.has(gid) });
    },

    /** The merchant captures, refunds or voids in the admin (spec §3.5–3.7). */
    async followUp(kind: "capture" | "refund" | "void", payment: OpenedPayment, amount?: string) {
      const id = newId();
      const type = ({ capture: "CaptureSession", refund: "RefundSession", void: "VoidSession" } as const)[kind];
      const gid = `gid://shopify/${type}/${id}`;
      const body: Record<string, unknown> = {
        id,
        gid,
        payment_id: payment.id,
        ...(kind === "void" ? {} : { amount: amount ?? payment.body.amount, currency: payment.body.currency }),
        test: payment.body.test,
        merchant_locale: "en",
        proposed_at: new Date().toISOString(),
      };
      options.paymentsApi.registerSession({ gid, shop: options.shop, kind });
      return { id, gid, body, response: await send(`/sessions/${kind}`, body) };
    },

    close() {
      agent.destroy();
    },
  };
}

export type ShopifySimulator = ReturnType<typeof createShopifySimulator>;
