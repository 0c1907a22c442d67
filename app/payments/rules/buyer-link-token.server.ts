import { createHmac, hkdfSync, timingSafeEqual, type KeyObject } from "node:crypto";
import { secretKey } from "../../crypto/secret-key";

/**
 * The link Shopify sends the buyer to (spec §3.2 redirect_url): absolute, built
 * from SHOPIFY_APP_URL (never the request's Host), signed, and valid for a while.
 * It is derived from the stored session alone, so a retried request gets the
 * very same link.
 *
 * Token: {session id}.{expiry, unix seconds}.{HMAC-SHA256 of both, base64url}
 */
export interface BuyerLinkConfig {
  appUrl: string;
  secret: string;
  ttlHours: number;
}

const keys = new Map<string, KeyObject>();

// A key of its own, so a leaked link key would not be the app's API secret.
// Derived once per secret: every payment request and buyer page needs it.
function signingKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = secretKey(Buffer.from(hkdfSync("sha256", secret, "", "payments-app buyer link v1", 32)))));
  return key;
}

function sign(key: KeyObject, payload: string): string {
  return createHmac("sha256", key).update(payload).digest("base64url");
}

export function buyerPaymentUrl(config: BuyerLinkConfig, session: { id: string; receivedAt: Date }): string {
  const expires = Math.floor(session.receivedAt.getTime() / 1000) + config.ttlHours * 3600;
  const payload = `${session.id}.${expires}`;
  return `${config.appUrl}/pay/${payload}.${sign(signingKey(config.secret), payload)}`;
}

/** What a link token says: the session it names, that session's link past its expiry, or nothing trustworthy. */
export type BuyerTokenCheck = { status: "valid"; id: string } | { status: "expired"; id: string } | { status: "invalid" };

/**
 * Checks a link token. "expired" only for a token this app signed (so its id is
 * authentic) whose time is up; anything tampered with or not ours is "invalid".
 */
export function checkBuyerToken(config: BuyerLinkConfig, token: string, now = new Date()): BuyerTokenCheck {
  const match = /^([A-Za-z0-9_-]{1,64})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { status: "invalid" };
  const [, id = "", expires = "0", signature = ""] = match;
  const expected = Buffer.from(sign(signingKey(config.secret), `${id}.${expires}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { status: "invalid" };
  if (Number(expires) * 1000 <= now.getTime()) return { status: "expired", id };
  return { status: "valid", id };
}

/** The payment session id a link token names, or null if it was tampered with or has expired. */
export function readBuyerToken(config: BuyerLinkConfig, token: string, now = new Date()): string | null {
  const check = checkBuyerToken(config, token, now);
  return check.status === "valid" ? check.id : null;
}
