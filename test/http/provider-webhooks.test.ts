import { afterAll, describe, expect, it } from "vitest";
import { startApp } from "../support/app-process";
import { createTestDatabase } from "../support/database";

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/**
 * The route through the app's own server: a provider's server-to-server post
 * carries no Origin and must reach the route (not the cross-site refusal), and
 * whatever a sender sends is a 4xx, never a 5xx. (With accounts connected, the
 * applied cases are in app/payments/charging/provider-notifications.test.ts.)
 */
describe("POST /providers/{name}/webhooks through the app's server", () => {
  it("answers 404 for an account the app does not know, 400 without one, and 405 to a GET", async () => {
    const database = await createTestDatabase();
    const app = await startApp({ DATABASE_URL: database.url });
    cleanups.push(() => database.drop(), () => app.stop());
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${app.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

    const unknown = await post("/providers/stripe/webhooks?account=acct-nobody", JSON.stringify({ id: "evt_1" }), { "stripe-signature": "t=1,v1=00" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "UNKNOWN_ACCOUNT" } });
    expect(unknown.headers.get("cache-control")).toBe("no-store");

    expect((await post("/providers/stripe/webhooks", "{}")).status).toBe(400);
    expect((await post("/providers/Not_A_Provider/webhooks?account=a", "{}")).status).toBe(404);
    expect((await fetch(`${app.url}/providers/stripe/webhooks?account=a`)).status).toBe(405);
  });
});
