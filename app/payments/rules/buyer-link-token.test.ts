import { describe, expect, it } from "vitest";
import { buyerPaymentUrl, checkBuyerToken, readBuyerToken, type BuyerLinkConfig } from "./buyer-link-token.server";

const CONFIG: BuyerLinkConfig = {
  appUrl: "https://payments.example.com",
  secret: "a-test-secret-of-some-length-1234",
  ttlHours: 72,
};

const SESSION = { id: "clx0abc123def456ghi789jk", receivedAt: new Date("2026-03-01T12:00:00Z") };

/** Just after the session was received: well within the link's lifetime. */
const SOON_AFTER = new Date("2026-03-01T12:05:00Z");

const EXPIRES_AT = new Date(SESSION.receivedAt.getTime() + CONFIG.ttlHours * 3600 * 1000);

function tokenOf(url: string): string {
  const prefix = `${CONFIG.appUrl}/pay/`;
  if (!url.startsWith(prefix)) throw new Error(`${url} does not start with ${prefix}`);
  return url.slice(prefix.length);
}

/** Another character of the same kind (digit for digit, letter for letter), so only the value changes. */
function otherCharacter(character: string): string {
  if (/[0-9]/.test(character)) return character === "0" ? "1" : "0";
  if (character === ".") return "_";
  return character === "A" ? "B" : "A";
}

describe("buyerPaymentUrl", () => {
  it("starts with the configured app URL and /pay/", () => {
    expect(buyerPaymentUrl(CONFIG, SESSION).startsWith("https://payments.example.com/pay/")).toBe(true);
  });

  it("names the session id and the expiry in unix seconds, then the signature", () => {
    const expires = EXPIRES_AT.getTime() / 1000;
    expect(tokenOf(buyerPaymentUrl(CONFIG, SESSION))).toMatch(
      new RegExp(`^${SESSION.id}\\.${expires}\\.[A-Za-z0-9_-]{43}$`),
    );
  });

  it("gives the very same URL for the same session", () => {
    expect(buyerPaymentUrl(CONFIG, { ...SESSION, receivedAt: new Date(SESSION.receivedAt) })).toBe(
      buyerPaymentUrl(CONFIG, SESSION),
    );
  });

  it("gives another URL for another session", () => {
    expect(buyerPaymentUrl(CONFIG, { ...SESSION, id: "clx0other" })).not.toBe(buyerPaymentUrl(CONFIG, SESSION));
  });
});

describe("readBuyerToken", () => {
  const token = tokenOf(buyerPaymentUrl(CONFIG, SESSION));

  it("returns the session id of a valid token", () => {
    expect(readBuyerToken(CONFIG, token, SOON_AFTER)).toBe(SESSION.id);
  });

  it("returns the session id until one millisecond before the link expires", () => {
    expect(readBuyerToken(CONFIG, token, new Date(EXPIRES_AT.getTime() - 1))).toBe(SESSION.id);
  });

  it("returns null once the link has expired", () => {
    expect(readBuyerToken(CONFIG, token, EXPIRES_AT)).toBeNull();
    expect(readBuyerToken(CONFIG, token, new Date(EXPIRES_AT.getTime() + 24 * 3600 * 1000))).toBeNull();
  });

  it("returns null for a token with any single character changed", () => {
    const accepted: string[] = [];
    for (let index = 0; index < token.length; index++) {
      const changed = token.slice(0, index) + otherCharacter(token.charAt(index)) + token.slice(index + 1);
      expect(changed).not.toBe(token);
      if (readBuyerToken(CONFIG, changed, SOON_AFTER) !== null) accepted.push(changed);
    }
    expect(accepted).toEqual([]);
  });

  it("returns null for a token whose expiry was pushed back", () => {
    const [id, , signature] = token.split(".");
    const later = EXPIRES_AT.getTime() / 1000 + 3600;
    expect(readBuyerToken(CONFIG, `${id}.${later}.${signature}`, SOON_AFTER)).toBeNull();
  });

  it("returns null for a token signed with another secret", () => {
    const forged = tokenOf(buyerPaymentUrl({ ...CONFIG, secret: "another-secret-of-some-length-5678" }, SESSION));
    expect(forged).not.toBe(token);
    expect(readBuyerToken(CONFIG, forged, SOON_AFTER)).toBeNull();
  });

  it.each([
    ["an empty string", ""],
    ["a word", "pay"],
    ["the whole URL instead of the token", `${CONFIG.appUrl}/pay/TOKEN`],
    ["a token without its signature", "PAYLOAD"],
    ["a token with an extra part", "TOKEN.extra"],
    ["a path traversal", "../../etc/passwd"],
    ["dots only", ".."],
    ["a very long string", "a".repeat(10_000)],
    ["a token with whitespace around it", " TOKEN "],
  ])("returns null for %s", (_, junk) => {
    const text = junk
      .replace("TOKEN", token)
      .replace("PAYLOAD", token.split(".").slice(0, 2).join("."));
    expect(readBuyerToken(CONFIG, text, SOON_AFTER)).toBeNull();
  });
});

describe("checkBuyerToken", () => {
  const token = tokenOf(buyerPaymentUrl(CONFIG, SESSION));

  it("tells an expired link of ours (its id authentic) from one that is not valid", () => {
    expect(checkBuyerToken(CONFIG, token, SOON_AFTER)).toEqual({ status: "valid", id: SESSION.id });
    expect(checkBuyerToken(CONFIG, token, EXPIRES_AT)).toEqual({ status: "expired", id: SESSION.id });
    const [id, expires, signature] = token.split(".");
    expect(checkBuyerToken(CONFIG, `${id}.${Number(expires) - 1}.${signature}`, EXPIRES_AT)).toEqual({ status: "invalid" });
    expect(checkBuyerToken({ ...CONFIG, secret: "another-secret-of-some-length-5678" }, token, EXPIRES_AT)).toEqual({ status: "invalid" });
    expect(checkBuyerToken(CONFIG, "garbage", EXPIRES_AT)).toEqual({ status: "invalid" });
  });
});
