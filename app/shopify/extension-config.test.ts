import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SESSION_ENDPOINTS } from "../inbound/sessions/session-routes.server";

// The extension's session URLs must be the paths the app's server serves.
const toml = readFileSync("extensions/payments-offsite/shopify.extension.toml", "utf8");
const appToml = readFileSync("shopify.app.toml", "utf8");

describe("extensions/payments-offsite/shopify.extension.toml", () => {
  it.each(["payment", "refund", "capture", "void"])("points %s_session_url at /sessions/%s, a path the app serves", (kind) => {
    const url = new RegExp(`^${kind}_session_url = "([^"]+)"$`, "m").exec(toml)?.[1];
    expect(url).toBeDefined();
    expect(new URL(url ?? "").pathname).toBe(`/sessions/${kind}`);
    expect(SESSION_ENDPOINTS[`/sessions/${kind}`]?.kind).toBe(kind);
  });

  it("is an offsite payments extension on the API version the app is built for", () => {
    expect(toml).toMatch(/^type = "payments_extension"$/m);
    expect(toml).toMatch(/target = "payments\.offsite\.render"/);
    expect(toml).toMatch(/^api_version = "2026-04"$/m);
    expect(appToml).toMatch(/^api_version = "2026-04"$/m);
    expect(appToml).toMatch(/^scopes = "write_payment_gateways,write_payment_sessions"$/m);
  });
});

describe("extensions/payments-credit-card/shopify.extension.toml", () => {
  const cardToml = readFileSync("extensions/payments-credit-card/shopify.extension.toml", "utf8");
  const urlOf = (key: string) => new RegExp(`^${key} = "([^"]+)"$`, "m").exec(cardToml)?.[1];

  it.each(["payment", "refund", "capture", "void"])("points %s_session_url at the same route as the offsite extension", (kind) => {
    const url = urlOf(`${kind}_session_url`);
    expect(url).toBeDefined();
    expect(url).toBe(new RegExp(`^${kind}_session_url = "([^"]+)"$`, "m").exec(toml)?.[1]);
    expect(SESSION_ENDPOINTS[new URL(url ?? "").pathname]?.kind).toBe(kind);
  });

  it("points confirmation_callback_url at the route that receives Shopify's confirmation", () => {
    const url = urlOf("confirmation_callback_url");
    expect(url).toBeDefined();
    expect(SESSION_ENDPOINTS[new URL(url ?? "").pathname]?.kind).toBe("confirmation");
  });

  it("is a credit card extension with 3-D Secure, oversell protection and an encryption certificate", () => {
    expect(cardToml).toMatch(/^type = "payments_extension"$/m);
    expect(cardToml).toMatch(/target = "payments\.credit-card\.render"/);
    expect(cardToml).toMatch(/^api_version = "2026-04"$/m);
    expect(cardToml).toMatch(/^supports_3ds = true$/m);
    expect(cardToml).toMatch(/^supports_oversell_protection = true$/m);
    expect(cardToml).toMatch(/^encryption_certificate_fingerprint = "[^"]+"$/m);
  });
});
