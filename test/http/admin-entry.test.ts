import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedAppQuery, signSessionToken } from "../../sandbox/shopify/session-token";
import { startApp, TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, type AppProcess } from "../support/app-process";
import { createTestDatabase, installShop, type TestDatabase } from "../support/database";

/**
 * A person who opens the app's admin or auth URLs without Shopify's parameters,
 * or with malformed ones, reads a page that says what is wrong: never a 500.
 * The login path is a real page (what this is, how to open it, a shop field).
 */
const SHOP = "entry-shop.myshopify.com";
const BROWSER = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36" };

let database: TestDatabase;
let app: AppProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  app = await startApp({ DATABASE_URL: database.url, WORKER_ENABLED: "false" });
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await database?.drop();
});

const open = (path: string, init: RequestInit = {}) => fetch(new URL(path, app.url), { redirect: "manual", ...init, headers: { ...BROWSER, ...init.headers } });

/** A valid admin query (as Shopify's admin sends it) with some of its parameters replaced. */
function adminQuery(overrides: Record<string, string | string[]>): string {
  const query = embeddedAppQuery({ shop: SHOP, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, userId: "42" });
  for (const [key, value] of Object.entries(overrides)) {
    query.delete(key);
    for (const one of [value].flat()) query.append(key, one);
  }
  return query.toString();
}

function expectNoServerErrorLogged() {
  expect(app.logs.filter((line) => line.level === "error" || (typeof line.level === "number" && line.level >= 50))).toEqual([]);
}

describe("the login path (/auth/login)", () => {
  it("is a page saying what the app is and how to open it, with a shop field", async () => {
    const response = await open("/auth/login");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    expect(html).toContain("An offsite payments app for Shopify");
    expect(html).toContain("Apps › Payments app");
    expect(html).toMatch(/<form[^>]*method="post"/);
    expect(html).toContain('name="shop"');
  });

  it.each(["/app", "/app/payments/x", "/app/audit", "/app/audit.csv", "/app/settings"])("is where %s opened directly sends the person", async (path) => {
    const response = await open(path);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/auth/login");
    expect((await open("/auth/login")).status).toBe(200);
  });

  it.each([
    ["a store name", "my-store", "my-store"],
    ["a shop domain", "my-store.myshopify.com", "my-store"],
    ["a shop URL", "https://My-Store.myshopify.com/", "my-store"],
  ])("sends %s to the shop's admin to install or open the app", async (_what, input, store) => {
    const response = await open("/auth/login", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ shop: input }) });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`https://admin.shopify.com/store/${store}/oauth/install?client_id=${TEST_API_KEY}`);
  });

  it("starts the same from a link that names the shop", async () => {
    const response = await open(`/auth/login?shop=${SHOP}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toContain("/oauth/install?client_id=");
  });

  it.each([
    ["an empty shop", { "Content-Type": "application/x-www-form-urlencoded" }, "shop="],
    ["another site", { "Content-Type": "application/x-www-form-urlencoded" }, "shop=evil.example.com"],
    ["a shop with a path", { "Content-Type": "application/x-www-form-urlencoded" }, "shop=a.myshopify.com%2Fadmin"],
    ["a line break", { "Content-Type": "application/x-www-form-urlencoded" }, "shop=a%0A.myshopify.com"],
    ["no form at all (JSON)", { "Content-Type": "application/json" }, '{"shop":"a.myshopify.com"}'],
    ["a broken multipart body", { "Content-Type": "multipart/form-data; boundary=x" }, "--x\r\nbroken"],
  ])("answers %s with 400 and the page naming the field", async (_what, headers, body) => {
    const response = await open("/auth/login", { method: "POST", headers, body });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Enter your shop&#x27;s domain");
    expect(html).toContain('name="shop"');
  });

  it("answers a file posted as the shop with 400", async () => {
    const form = new FormData();
    form.append("shop", new Blob(["a.myshopify.com"]), "shop.txt");
    expect((await open("/auth/login", { method: "POST", body: form })).status).toBe(400);
  });

  it("answers a malformed shop in the link with 400", async () => {
    expect((await open("/auth/login?shop=%3Cscript%3E")).status).toBe(400);
  });
});

describe("malformed Shopify parameters on the admin and auth routes", () => {
  const routes = ["/app", "/app/payments/x", "/app/audit", "/app/audit.csv", "/app/settings", "/auth/session-token", "/auth/callback", "/auth/exit-iframe"];
  const malformed: [string, Record<string, string | string[]>, string][] = [
    ["a host that is not base64 (atob throws)", { host: "x" }, "host"],
    ["a host with stray characters", { host: "%%%" }, "host"],
    ["a host of another site", { host: Buffer.from("evil.example.com/store/x").toString("base64") }, "host"],
    ["a host that decodes to an invalid URL", { host: Buffer.from("a b/admin").toString("base64") }, "host"],
    ["a shop of another site", { shop: "evil.example.com" }, "shop"],
    ["a shop with a line break", { shop: "a\n.myshopify.com" }, "shop"],
    ["two shops", { shop: [SHOP, "other.myshopify.com"] }, "shop"],
    ["an embedded flag that is not 0 or 1", { embedded: "yes" }, "embedded"],
    ["an id_token that is not a token", { id_token: "not-a-token" }, "id_token"],
    ["a huge id_token", { id_token: `${"a".repeat(5000)}.b.c` }, "id_token"],
  ];

  for (const route of routes) {
    it.each(malformed)(`GET ${route} with %s is a 400 page naming the parameter`, async (_what, overrides, field) => {
      const response = await open(`${route}?${adminQuery(overrides)}`);
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text).toContain("This link to the app is not valid");
      expect(text).toContain(`${field} `);
      expect(text).toContain("Open the app from your store");
    });
  }

  it("renders the 400 as a page (Polaris, readable) on an admin page", async () => {
    const response = await open(`/app?${adminQuery({ host: "x" })}`);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    expect(html).toContain("This link is not valid");
    expect(html).toContain("Polaris-Page");
  });

  it("answers an action (POST) with malformed parameters with 400 too", async () => {
    const response = await open(`/app/settings?${adminQuery({ host: "x" })}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "accountName=x" });
    expect(response.status).toBe(400);
  });

  it.each([
    ["another site", "https://evil.example.com/"],
    ["a shop's storefront", "https://a.myshopify.com/"],
    ["a protocol-relative address", "//evil.example.com/x"],
    ["a javascript: address", "javascript:alert(1)"],
    ["plain http", "http://payments-app.test/app"],
    ["an unparsable address", "https://"],
    ["nothing", ""],
  ])("/auth/exit-iframe with exitIframe of %s is a 400", async (_what, destination) => {
    const response = await open(`/auth/exit-iframe?shop=${SHOP}&exitIframe=${encodeURIComponent(destination)}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("exitIframe ");
  });

  it.each([
    ["the app's own path", "/app"],
    ["the app's own address", `${TEST_APP_URL}/app/settings`],
    ["the Shopify admin", "https://admin.shopify.com/store/entry-shop/apps"],
    ["the shop's admin", `https://${SHOP}/admin/charges`],
  ])("/auth/exit-iframe still leaves the frame for %s", async (_what, destination) => {
    const response = await open(`/auth/exit-iframe?shop=${SHOP}&exitIframe=${encodeURIComponent(destination)}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("window.open(");
  });

  it("still serves the admin for Shopify's own parameters", async () => {
    const response = await open(`/app?${adminQuery({})}`);
    expect(response.status).toBe(200);
  });

  it("logged no error for any of it", () => {
    expectNoServerErrorLogged();
  });
});

describe("an admin page that cannot show what was asked (signed in)", () => {
  it("answers an unknown payment with 404 and a Polaris page saying so, with the way back", async () => {
    const response = await open(`/app/payments/does-not-exist?${adminQuery({})}`);
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain("Polaris-Page");
    expect(html).toContain("No such payment in this shop.");
    expect(html).toMatch(/<a[^>]+href="\/app"/);
  });

  it.each([
    ["a NUL character (PostgreSQL refuses it in text)", "a%00b"],
    ["a control character", "a%01b"],
    ["a very long id", "a".repeat(2000)],
    ["an encoded slash", "a%2Fb"],
  ])("answers a payment id with %s with 404 too, never a 500", async (_what, id) => {
    const response = await open(`/app/payments/${id}?${adminQuery({})}`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("No such payment in this shop.");
    const action = await open(`/app/payments/${id}?${adminQuery({})}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "intent=reveal-customer&reason=why" });
    expect(action.status).toBe(404);
  });

  it("answers a method the page does not take (405) with a Polaris page, not the bare status", async () => {
    const response = await open(`/app/audit?${adminQuery({})}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "x=1" });
    expect(response.status).toBe(405);
    const html = await response.text();
    expect(html).toContain("Polaris-Page");
    expect(html).toContain("Not allowed");
  });
});

describe("a form field holding a NUL (PostgreSQL refuses it in text)", () => {
  it.each([
    ["/app/settings", "externalHandle=a%00b&ready=on", "externalHandle"],
    ["/app/payments/x", "intent=resolve-payment&reason=because%00why", "reason"],
  ])("POST %s is a 400 naming the field, never a 500", async (path, body, field) => {
    const token = signSessionToken({ shop: SHOP, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, userId: "42" });
    const response = await open(path, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/x-www-form-urlencoded" }, body });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(`${field}: must not contain a NUL character.`);
  });
});

describe("an admin action whose body is not a form (signed in)", () => {
  const bearer = () => ({ Authorization: `Bearer ${signSessionToken({ shop: SHOP, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, userId: "42" })}` });
  const bodies: [string, string, string, number][] = [
    ["JSON", "application/json", '{"intent":"resolve-payment"}', 415],
    ["plain text", "text/plain", "intent=resolve-payment", 415],
    ["no content type", "", "intent=resolve-payment", 415],
    ["a multipart body cut short", "multipart/form-data; boundary=x", "--x\r\nbroken", 400],
  ];

  for (const path of ["/app/settings", "/app/payments/x"]) {
    it.each(bodies)(`POST ${path} with %s is a 4xx page, not a 500, and changes nothing`, async (_what, type, body, status) => {
      const before = await database.db.shop.findUnique({ where: { domain: SHOP } });
      const headers: Record<string, string> = { ...bearer(), ...(type ? { "Content-Type": type } : {}) };
      const response = await open(path, { method: "POST", headers, body: type ? body : new Blob([body]) });
      expect(response.status).toBe(status);
      expect(await response.text()).toContain(status === 415 ? "must be a form post" : "could not be read");
      expect(await database.db.shop.findUnique({ where: { domain: SHOP } })).toEqual(before);
    });
  }
});
