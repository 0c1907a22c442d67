/**
 * A buyer's browser, reduced to what the payment pages need: follow the app's
 * own redirects, submit forms, and stop at the first redirect that leaves the app.
 */
export interface PageVisit {
  status: number;
  url: string;
  html: string;
  /** Set when the app sent the browser elsewhere (Shopify's next action, the cancel URL). */
  leftTo: string | null;
}

export async function visit(appUrl: string, url: string, init?: RequestInit, hops = 5): Promise<PageVisit> {
  const response = await fetch(url, { ...init, redirect: "manual" });
  const location = response.headers.get("location");
  if (response.status >= 300 && response.status < 400 && location) {
    const next = new URL(location, url).toString();
    if (!next.startsWith(appUrl)) return { status: response.status, url, html: "", leftTo: next };
    if (hops === 0) throw new Error(`too many redirects at ${url}`);
    return visit(appUrl, next, undefined, hops - 1);
  }
  return { status: response.status, url, html: await response.text(), leftTo: null };
}

export function submit(appUrl: string, url: string, fields: Record<string, string>): Promise<PageVisit> {
  return visit(appUrl, url, { method: "POST", body: new URLSearchParams(fields), headers: { "Content-Type": "application/x-www-form-urlencoded" } });
}

/** Reloads a page until the app sends the buyer away (waiting pages refresh every 2 s). */
export async function waitUntilRedirected(appUrl: string, url: string, timeoutMs = 60_000): Promise<PageVisit> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = await visit(appUrl, url);
    if (page.leftTo || Date.now() > deadline) return page;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
