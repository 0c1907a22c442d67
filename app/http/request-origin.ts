/**
 * Whether a state-changing request (a form post, a fetch with a body) was sent by
 * one of the app's own pages: the browser's Origin, else its Referer, must be the
 * app's public origin (SHOPIFY_APP_URL's, never the request's Host, which a proxy
 * may rewrite).
 *
 * Neither header: allowed. Every browser in use sends Origin on a POST, so a
 * request without either does not come from a page in a browser and cannot carry
 * a buyer's or a merchant's authority across sites; refusing it would stop curl
 * and server-side clients and protect nothing. `Origin: null` (a sandboxed frame,
 * a redirect across sites) without a Referer of ours is refused: that is how a
 * forged post would hide where it comes from.
 */
export type OriginVerdict = { allowed: true } | { allowed: false; reason: string };

export function checkRequestOrigin(headers: { origin: string | null; referer: string | null }, appOrigin: string): OriginVerdict {
  const { origin, referer } = headers;
  if (origin !== null && origin !== "null") {
    return originOf(origin) === appOrigin ? { allowed: true } : { allowed: false, reason: "its Origin is another site" };
  }
  if (referer !== null && referer !== "") {
    return originOf(referer) === appOrigin ? { allowed: true } : { allowed: false, reason: "its Referer is another site" };
  }
  return origin === "null" ? { allowed: false, reason: "it names no origin (Origin: null) and no Referer" } : { allowed: true };
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Methods that change nothing, which any page may send (Remix checks the others too, against Host). */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const changesState = (method: string | undefined): boolean => !SAFE_METHODS.has(method ?? "GET");
