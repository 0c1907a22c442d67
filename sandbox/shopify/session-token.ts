import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

/**
 * Shopify's session tokens (the `id_token` an embedded app receives): HS256 JWTs
 * signed with the app's client secret, issued by the shop's admin for one staff
 * member, valid for a minute. Played here for the sandbox admin.
 */
export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function signSessionToken(input: { shop: string; apiKey: string; apiSecret: string; userId: string; now?: Date; lifetimeSeconds?: number }): string {
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const claims: SessionTokenClaims = {
    iss: `https://${input.shop}/admin`,
    dest: `https://${input.shop}`,
    aud: input.apiKey,
    sub: input.userId,
    exp: now + (input.lifetimeSeconds ?? 60),
    nbf: now,
    iat: now,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const unsigned = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify(claims))}`;
  return `${unsigned}.${createHmac("sha256", input.apiSecret).update(unsigned).digest("base64url")}`;
}

/** The claims of a token this sandbox signed for the app, or null (bad signature, expired, other app). */
export function verifySessionToken(token: string, input: { apiKey: string; apiSecret: string; now?: Date }): SessionTokenClaims | null {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) return null;
  const expected = createHmac("sha256", input.apiSecret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: SessionTokenClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as SessionTokenClaims;
  } catch {
    return null;
  }
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (claims.aud !== input.apiKey || claims.exp < now - 10 || claims.nbf > now + 10) return null;
  return claims;
}

/**
 * The query Shopify's admin puts on an embedded app's URL: embedded, shop, host
 * (base64 of the admin's address for the shop), locale, timestamp, id_token and
 * an hmac over the rest signed with the app's secret.
 */
export function embeddedAppQuery(input: { shop: string; apiKey: string; apiSecret: string; userId: string; locale?: string; now?: Date }): URLSearchParams {
  const store = input.shop.replace(/\.myshopify\.com$/, "");
  const params = new URLSearchParams({
    embedded: "1",
    host: Buffer.from(`admin.shopify.com/store/${store}`).toString("base64url"),
    id_token: signSessionToken(input),
    locale: input.locale ?? "en",
    session: randomUUID().replaceAll("-", ""),
    shop: input.shop,
    timestamp: String(Math.floor((input.now ?? new Date()).getTime() / 1000)),
  });
  const message = [...params.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
  params.set("hmac", createHmac("sha256", input.apiSecret).update(message).digest("hex"));
  return params;
}
