import { describe, expect, it } from "vitest";
import { adminRequestProblems, shopDomainFromInput } from "./admin-request";

const APP_URL = "https://payments.example.com";
const problemsOf = (query: string) => adminRequestProblems(new URL(`${APP_URL}/app?${query}`), APP_URL).map((problem) => problem.field);
const b64 = (text: string) => Buffer.from(text).toString("base64");

describe("Shopify's parameters on admin URLs", () => {
  it.each([
    ["nothing at all", ""],
    ["the admin's parameters", `shop=my-shop.myshopify.com&host=${b64("admin.shopify.com/store/my-shop").replace(/=+$/, "")}&embedded=1&id_token=a.b.c`],
    ["a padded host", `host=${encodeURIComponent(b64("admin.shopify.com/store/my-shop1"))}`],
    ["a base64url host", `host=${Buffer.from("admin.shopify.com/store/my-shop").toString("base64url")}`],
    ["the legacy host", `host=${b64("my-shop.myshopify.com/admin").replace(/=+$/, "")}`],
    ["embedded=0", "embedded=0"],
  ])("accepts %s", (_what, query) => {
    expect(problemsOf(query)).toEqual([]);
  });

  it.each([
    ["host", "host=x"],
    ["host", "host=abcde"],
    ["host", `host=${b64("admin.shopify.com.evil.example/store/x")}`],
    ["host", `host=${b64("admin.shopify.com/store/x\n")}`],
    ["host", "host="],
    ["shop", "shop=My-Shop.myshopify.com.evil.example"],
    ["shop", "shop=-shop.myshopify.com"],
    ["shop", "shop="],
    ["embedded", "embedded=true"],
    ["id_token", "id_token=a.b"],
    ["id_token", "id_token=a.b.c%20"],
    ["exitIframe", "exitIframe=https%3A%2F%2Fadmin.shopify.com%3A8443%2F"],
    ["exitIframe", "exitIframe=https%3A%2F%2Fa.myshopify.com%2Fadminx"],
    ["exitIframe", "exitIframe=%2F%2F%2Fetc"],
    ["exitIframe", "exitIframe=%2Fapp%2F%2Fx"],
  ])("names %s when it is malformed (%s)", (field, query) => {
    expect(problemsOf(query)).toEqual([field]);
  });
});

describe("the shop typed on the login page", () => {
  it.each([
    ["my-shop", "my-shop.myshopify.com"],
    [" My-Shop.myshopify.com ", "my-shop.myshopify.com"],
    ["https://my-shop.myshopify.com/", "my-shop.myshopify.com"],
  ])("reads %j as %s", (input, domain) => {
    expect(shopDomainFromInput(input)).toBe(domain);
  });

  it.each(["", "my shop", "evil.example.com", "my-shop.myshopify.com/admin", "a".repeat(300)])("refuses %j", (input) => {
    expect(shopDomainFromInput(input)).toBeNull();
  });
});
