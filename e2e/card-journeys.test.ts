import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardDocument, encryptCardForApp } from "../sandbox/shopify/card-encryption";
import type { OpenedPayment, TypedCard } from "../sandbox/shopify/simulator";
import { submit, waitUntilRedirected } from "../test/support/buyer";
import { startSandboxStack, type SandboxStack } from "./support/sandbox-stack";

/**
 * Onsite card payments end to end (issue 13): the simulator encrypts the card
 * for the app's certificate as Shopify does and sends it over mTLS; the app
 * decrypts, charges the sandbox provider's test cards, and reports through the
 * outbox to the local Payments Apps API, 3-D Secure and confirmation included.
 */
let stack: SandboxStack;

// Distinctive, so that finding them anywhere means the app kept them.
const HOLDER = "Zebulon Quartermaine";
const CVC = "8263";
const card = (pan: string, extra: Partial<TypedCard> = {}): TypedCard => ({ pan, month: 12, year: 2029, fullName: HOLDER, cvc: CVC, ...extra });

beforeAll(async () => {
  stack = await startSandboxStack("cards.myshopify.com", {
    PROVIDER_RECHECK_SECONDS: "1",
    DELIVERY_RETRY_SCHEDULE: "0.1,0.2,0.3,0.5,1,1,1,1",
    DELIVERY_RETRY_JITTER: "0",
  });
});

afterAll(() => stack?.stop());

const session = (gid: string) => stack.shopify.sessions.get(gid);
const mutationsFor = (gid: string) => stack.shopify.calls.filter((c) => c.executed && c.variables?.id === gid).map((c) => c.mutations[0]);
const variablesOf = (gid: string, mutation: string) => stack.shopify.calls.find((c) => c.executed && c.variables?.id === gid && c.mutations[0] === mutation)?.variables;
const row = (payment: OpenedPayment) => stack.database.db.paymentSession.findFirstOrThrow({ where: { shopifyId: payment.id } });

async function finalState(gid: string, code: "RESOLVED" | "REJECTED") {
  await expect.poll(() => session(gid)?.state?.code ?? null, { timeout: 60_000 }).toBe(code);
  return session(gid)?.state;
}

/** Shopify sent the buyer to the app's 3-D Secure page; the buyer answers there. */
async function answerChallenge(payment: OpenedPayment, answer: "pass" | "fail" | "frictionless") {
  await expect.poll(() => session(payment.gid)?.state?.code ?? null, { timeout: 60_000 }).toBe("REDIRECTING");
  const page = session(payment.gid);
  const redirectUrl = page && "threeDSecureRedirectUrl" in page ? page.threeDSecureRedirectUrl : null;
  expect(redirectUrl).toMatch(new RegExp(`^${stack.app.url}/pay/[^/]+/challenge$`));
  await submit(stack.app.url, redirectUrl ?? "", { challenge: answer });
  return redirectUrl ?? "";
}

describe("onsite card payments through the sandbox", () => {
  it("4242 4242 4242 4242: answered 201 {}, resolved once, and only brand, last four, expiry and initials kept", async () => {
    const payment = await stack.simulator.startCardPayment({ card: card("4242424242424242"), amount: "25.00" });
    expect(payment.response).toMatchObject({ status: 201, body: {} });

    await finalState(payment.gid, "RESOLVED");
    expect(mutationsFor(payment.gid)).toEqual(["paymentSessionResolve"]);
    expect(variablesOf(payment.gid, "paymentSessionResolve")).not.toHaveProperty("authentication");
    expect(await row(payment)).toMatchObject({ cardBrand: "visa", cardLast4: "4242", cardExpiryMonth: 12, cardExpiryYear: 2029, cardInitials: "ZQ", cancelUrl: "" });
  });

  it("a retried request is answered the same and charges once", async () => {
    const payment = await stack.simulator.startCardPayment({ card: card("4242424242424242") });
    const again = await stack.simulator.send("/sessions/payment", payment.body);
    expect(again).toMatchObject({ status: 201, body: {} });
    await finalState(payment.gid, "RESOLVED");
    const charges = await stack.database.db.providerCall.count({ where: { paymentSessionId: (await row(payment)).id, operation: "CHARGE" } });
    expect(charges).toBe(1);
  });

  it.each([
    ["4000000000000002", {}, "CARD_DECLINED"],
    ["4000000000009995", {}, "INSUFFICIENT_FUNDS"],
    ["4242424242424242", { year: 2020 }, "EXPIRED_CARD"],
    ["4242424242424241", {}, "INCORRECT_NUMBER"],
    ["4242424242424242", { cvc: "000" }, "INCORRECT_CVC"],
  ] as const)("%s %o is rejected as %s, without authentication", async (pan, extra, code) => {
    const payment = await stack.simulator.startCardPayment({ card: card(pan, extra) });
    expect(payment.response.status).toBe(201);
    await finalState(payment.gid, "REJECTED");
    expect(mutationsFor(payment.gid)).toEqual(["paymentSessionReject"]);
    expect(variablesOf(payment.gid, "paymentSessionReject")).not.toHaveProperty("authentication");
    expect((await row(payment)).rejectionCode).toBe(code);
  });

  it("a card whose tag does not verify is rejected as a processing error, and the log names the reason only", async () => {
    const id = `tampered${Date.now()}`;
    const gid = `gid://shopify/PaymentSession/${id}`;
    const encrypted = encryptCardForApp({ certificatePem: readFileSync(cardCertificateFile(), "utf8") }, cardDocument(card("4242424242424242")));
    const tag = Buffer.from(encrypted.tag, "base64");
    tag[0] = (tag[0] ?? 0) ^ 1;
    stack.shopify.registerSession({ gid, shop: stack.shop, kind: "payment", paymentKind: "sale", paymentMethod: "credit_card", supports3ds: true });
    const response = await stack.simulator.send("/sessions/payment", {
      id, gid, group: "tampered-group", amount: "5.00", currency: "USD", test: true, merchant_locale: "en-US", kind: "sale",
      proposed_at: new Date().toISOString(),
      payment_method: { type: "credit_card", data: { ...encrypted, tag: tag.toString("base64"), moto: false } },
    });
    expect(response).toMatchObject({ status: 201, body: {} });
    await finalState(gid, "REJECTED");
    const payment = await stack.database.db.paymentSession.findFirstOrThrow({ where: { shopifyId: id } });
    expect(payment).toMatchObject({ rejectionCode: "PROCESSING_ERROR", cardLast4: null });
    // The line reaches this process through the app's stdout, which may come after Shopify heard the rejection.
    const tagLogged = () => stack.app.logs.some((line) => line.paymentId === payment.id && line.reason === "tag_mismatch" && /tag/i.test(String(line.msg)));
    await expect.poll(tagLogged, { timeout: 60_000 }).toBe(true);
    const lines = stack.app.logs.filter((line) => line.paymentId === payment.id);
    // No part of the payload in any of its lines: neither ciphertext, key, tag nor fingerprint (16 characters suffice to tell).
    const output = JSON.stringify(lines) + stack.app.stderr.join("\n");
    const parts = [encrypted.encrypted_message, encrypted.ephemeral_public_key, encrypted.tag, tag.toString("base64"), encrypted.fingerprint]
      .filter((part): part is string => typeof part === "string" && part.length >= 16)
      .flatMap((part) => [part.slice(0, 16), part.slice(-16)]);
    expect(parts.length).toBeGreaterThanOrEqual(8);
    for (const part of parts) expect(output).not.toContain(part);
  });

  it("BUYER_ALREADY_REDIRECTED_BY_SHOPIFY: the refused redirect rejects the payment through the outbox, without authentication", async () => {
    const id = `toolate${Date.now()}`;
    const gid = `gid://shopify/PaymentSession/${id}`;
    const encrypted = encryptCardForApp({ certificatePem: readFileSync(cardCertificateFile(), "utf8") }, cardDocument(card("4000002760003184")));
    stack.shopify.registerSession({ gid, shop: stack.shop, kind: "payment", paymentKind: "sale", paymentMethod: "credit_card", supports3ds: true, confirmationSupported: true });
    // Shopify has moved this buyer on before the app asks to redirect them.
    stack.shopify.closeRedirectWindow(gid);
    const response = await stack.simulator.send("/sessions/payment", {
      id, gid, group: "toolate-group", amount: "7.00", currency: "USD", test: true, merchant_locale: "en-US", kind: "sale",
      proposed_at: new Date().toISOString(),
      payment_method: { type: "credit_card", data: { ...encrypted, moto: false } },
    });
    expect(response).toMatchObject({ status: 201, body: {} });

    await finalState(gid, "REJECTED");
    expect(session(gid)?.attempts.filter((a) => a.result === "refused")).toEqual([
      expect.objectContaining({ mutation: "paymentSessionRedirect", error: "BUYER_ALREADY_REDIRECTED_BY_SHOPIFY" }),
    ]);
    expect(mutationsFor(gid)).toEqual(["paymentSessionRedirect", "paymentSessionReject"]);
    // The app never sent the buyer anywhere: no authentication on the reject.
    expect(variablesOf(gid, "paymentSessionReject")).not.toHaveProperty("authentication");
    const payment = await stack.database.db.paymentSession.findFirstOrThrow({ where: { shopifyId: id } });
    expect(payment).toMatchObject({ status: "REJECTED", rejectionCode: "AUTHENTICATION_FAILED", threeDSecureRedirectUrl: null, threeDSecureAuthentication: null });
    // Shopify applied the reject before the app recorded its answer: poll for the app's record.
    const deliveries = async () =>
      (await stack.database.db.delivery.findMany({ where: { paymentSessionId: payment.id }, orderBy: { createdAt: "asc" } })).map((d) => [d.operation, d.status]);
    await expect.poll(deliveries, { timeout: 30_000 }).toEqual([["PAYMENT_REDIRECT", "FAILED"], ["PAYMENT_REJECT", "SUCCEEDED"]]);
  });

  it("3-D Secure passed: redirect, challenge, confirmation, then resolve with the authentication data", async () => {
    const payment = await stack.simulator.startCardPayment({ card: card("4000002760003184"), kind: "authorization" });
    const challengePage = await answerChallenge(payment, "pass");

    await finalState(payment.gid, "RESOLVED");
    expect(mutationsFor(payment.gid)).toEqual(["paymentSessionRedirect", "paymentSessionConfirm", "paymentSessionResolve"]);
    expect(variablesOf(payment.gid, "paymentSessionResolve")?.authentication).toEqual({
      authenticationData: { authenticationFlow: "CHALLENGE", chargebackLiability: "UNKNOWN", transStatus: "Y", version: "V2_2" },
    });
    // The buyer, back on the app's page, is sent on to where Shopify said.
    const landed = await waitUntilRedirected(stack.app.url, challengePage.replace(/\/challenge$/, ""));
    expect(landed.leftTo).toMatch(/\/checkouts\/[^/]+\/(confirming|thank_you)$/);
  });

  it("3-D Secure failed: rejected as AUTHENTICATION_FAILED with the authentication data, no confirmation", async () => {
    const payment = await stack.simulator.startCardPayment({ card: card("4000002760003184") });
    await answerChallenge(payment, "fail");
    await finalState(payment.gid, "REJECTED");
    expect(mutationsFor(payment.gid)).toEqual(["paymentSessionRedirect", "paymentSessionReject"]);
    expect(variablesOf(payment.gid, "paymentSessionReject")?.authentication).toMatchObject({ authenticationData: { transStatus: "N", transStatusReason: "01" } });
    expect((await row(payment)).rejectionCode).toBe("AUTHENTICATION_FAILED");
  });

  it("3-D Secure frictionless: resolved with a frictionless authentication", async () => {
    const payment = await stack.simulator.startCardPayment({ card: card("4000002760003184") });
    await answerChallenge(payment, "frictionless");
    await finalState(payment.gid, "RESOLVED");
    expect(variablesOf(payment.gid, "paymentSessionResolve")?.authentication).toMatchObject({ authenticationData: { authenticationFlow: "FRICTIONLESS", transStatus: "Y" } });
  });

  it("confirmation false: rejected as CONFIRMATION_REJECTED with the authentication data, the charge released", async () => {
    const payment = await stack.simulator.startCardPayment({ card: card("4000002760003184") });
    stack.simulator.refuseConfirmation(payment.gid);
    await answerChallenge(payment, "pass");
    await finalState(payment.gid, "REJECTED");
    expect(mutationsFor(payment.gid)).toEqual(["paymentSessionRedirect", "paymentSessionConfirm", "paymentSessionReject"]);
    expect(variablesOf(payment.gid, "paymentSessionReject")).toMatchObject({ reason: { code: "CONFIRMATION_REJECTED" }, authentication: { authenticationData: { transStatus: "Y" } } });
    const released = await stack.database.db.sandboxOperation.findUnique({ where: { id: `confirmation-rejected-${(await row(payment)).id}` } });
    expect(released?.kind).toBe("void");
  });

  it("captures, refunds and voids of card payments work as for offsite ones", async () => {
    const captured = await stack.simulator.startCardPayment({ card: card("4242424242424242"), kind: "authorization", amount: "30.00" });
    await finalState(captured.gid, "RESOLVED");
    const capture = await stack.simulator.followUp("capture", captured, "30.00");
    expect(capture.response.status).toBe(201);
    await finalState(capture.gid, "RESOLVED");
    const refund = await stack.simulator.followUp("refund", captured, "12.50");
    await finalState(refund.gid, "RESOLVED");

    const voided = await stack.simulator.startCardPayment({ card: card("4242424242424242"), kind: "authorization" });
    await finalState(voided.gid, "RESOLVED");
    const voiding = await stack.simulator.followUp("void", voided);
    await finalState(voiding.gid, "RESOLVED");
  });

  it("the sandbox checkout's \"Credit card (onsite)\": 4000 0027 6000 3184, the challenge passed, the order completes", async () => {
    const form = new URLSearchParams({ amount: "19.99", kind: "sale", number: "4000 0027 6000 3184", expiry: "12/2029", cvc: "123", name: HOLDER });
    const opened = await fetch(`${stack.storefront.url}/checkout/card`, { method: "POST", body: form, redirect: "manual" });
    expect(opened.status).toBe(303);
    const processing = new URL(opened.headers.get("location") ?? "", stack.storefront.url).toString();
    // Shopify's checkout follows the session until it is sent to the app's 3-D Secure page.
    let challenge = "";
    await expect
      .poll(async () => {
        const next = await fetch(processing, { redirect: "manual" });
        challenge = next.status === 303 ? (next.headers.get("location") ?? "") : "";
        return challenge;
      }, { timeout: 60_000 })
      .toMatch(/\/challenge$/);
    await submit(stack.app.url, challenge, { challenge: "pass" });
    await expect
      .poll(async () => (await fetch(processing, { redirect: "manual" })).headers.get("location") ?? "", { timeout: 60_000 })
      .toMatch(/\/thank_you$/);
  });

  it("leaves no card number, CVC or cardholder name in the database files or the app's output", async () => {
    // The CVC's four digits alone could turn up by chance (timestamps, random ids): the
    // card document's keys stand for it, as nothing but the card carries them.
    const secrets = ["4242424242424242", "4000002760003184", "4000000000000002", HOLDER, "Quartermaine", "verification_value", "full_name"];
    const output = JSON.stringify(stack.app.logs) + stack.app.stderr.join("\n");
    for (const secret of secrets) expect(output).not.toContain(secret);
    if (stack.database.url.startsWith("file:")) {
      const file = stack.database.url.slice("file:".length);
      const bytes = Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
      for (const secret of secrets) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    } else {
      // PostgreSQL: the server's files are not ours to read; every text column of the payment rows instead.
      const rows = JSON.stringify(await stack.database.db.paymentSession.findMany(), (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
      for (const secret of secrets) expect(rows).not.toContain(secret);
    }
  });
});

function cardCertificateFile(): string {
  return `${stack.pki.dir}/card-keys/card-encryption-certificate.pem`;
}
