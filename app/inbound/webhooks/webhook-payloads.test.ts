import { describe, expect, it } from "vitest";
import { handledTopic, shopBindingProblems, WEBHOOK_TOPICS, type HandledTopic } from "./webhook-payloads";

const SHOP = "bound.myshopify.com";
const who = { id: 7, email: "who@example.com", phone: "5145550100" };
/** Each topic's body as Shopify documents it (spec §13). */
const BODIES: Record<HandledTopic, Record<string, unknown>> = {
  APP_UNINSTALLED: { id: 1, name: "Bound", email: "owner@example.com", domain: "shop.example.com", myshopify_domain: SHOP, plan_name: "basic" },
  CUSTOMERS_DATA_REQUEST: { shop_id: 1, shop_domain: SHOP, orders_requested: [1, 2], customer: who, data_request: { id: 9 } },
  CUSTOMERS_REDACT: { shop_id: 1, shop_domain: SHOP, customer: who, orders_to_redact: [1] },
  SHOP_REDACT: { shop_id: 1, shop_domain: SHOP },
};
const TOPICS = Object.keys(BODIES) as HandledTopic[];
const fits = (topic: HandledTopic, body: unknown) => WEBHOOK_TOPICS[topic].schema.safeParse(body).success && shopBindingProblems(topic, body as Record<string, unknown>, SHOP).length === 0;

describe("webhook bodies: one schema per topic, bound to the header's shop", () => {
  it("accepts each topic's documented body for its own shop", () => {
    for (const topic of TOPICS) expect(fits(topic, BODIES[topic]), topic).toBe(true);
  });

  it("refuses every topic's body under every other topic", () => {
    for (const body of TOPICS) for (const header of TOPICS) if (body !== header) expect(fits(header, BODIES[body]), `${body} as ${header}`).toBe(false);
  });

  it("refuses keys a fixed payload never has, at any depth", () => {
    expect(fits("SHOP_REDACT", { ...BODIES.SHOP_REDACT, customer: who })).toBe(false);
    expect(fits("CUSTOMERS_REDACT", { ...BODIES.CUSTOMERS_REDACT, customer: { ...who, admin: true } })).toBe(false);
    expect(fits("CUSTOMERS_DATA_REQUEST", { ...BODIES.CUSTOMERS_DATA_REQUEST, data_request: { id: 9, all: true } })).toBe(false);
  });

  it("refuses the compliance payloads' keys in app/uninstalled's open shop object (a customer, another shop's shop_domain)", () => {
    for (const key of ["shop_id", "shop_domain", "customer", "orders_to_redact", "orders_requested", "data_request"]) {
      const parsed = WEBHOOK_TOPICS.APP_UNINSTALLED.schema.safeParse({ ...BODIES.APP_UNINSTALLED, [key]: key === "shop_domain" ? "other.myshopify.com" : who });
      expect(parsed.success, key).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.path.join("."))).toEqual([key]);
    }
  });

  it("knows each topic by its exact name only: no other case or separator is another way to ask for it", () => {
    expect(handledTopic("shop/redact")).toBe("SHOP_REDACT");
    expect(handledTopic("customers/data_request")).toBe("CUSTOMERS_DATA_REQUEST");
    for (const name of ["SHOP/REDACT", "Shop/Redact", "shop.redact", "shop_redact", "SHOP_REDACT", "app/uninstalled ", "toString", "constructor"]) expect(handledTopic(name), name).toBeNull();
  });

  it("binds each body's shop to the header: another shop, or none, is a problem naming the field", () => {
    expect(shopBindingProblems("SHOP_REDACT", { shop_domain: "other.myshopify.com" }, SHOP)).toEqual([{ field: "shop_domain", message: expect.any(String) }]);
    expect(shopBindingProblems("APP_UNINSTALLED", { myshopify_domain: "other.myshopify.com", domain: "shop.example.com" }, SHOP).map((p) => p.field)).toEqual(["myshopify_domain"]);
    // `domain` names a shop only when it is a myshopify domain, and then it must agree too.
    expect(shopBindingProblems("APP_UNINSTALLED", { myshopify_domain: SHOP, domain: "other.myshopify.com" }, SHOP).map((p) => p.field)).toEqual(["domain"]);
    expect(shopBindingProblems("APP_UNINSTALLED", { domain: SHOP }, SHOP)).toEqual([]);
    expect(shopBindingProblems("APP_UNINSTALLED", { domain: "shop.example.com" }, SHOP).map((p) => p.field)).toEqual(["myshopify_domain"]);
    expect(shopBindingProblems("APP_UNINSTALLED", {}, SHOP)).toHaveLength(1);
    // Another shop written in capitals or with a trailing dot still names a shop, and not the header's.
    for (const domain of ["OTHER.MYSHOPIFY.COM", "other.myshopify.com.", "BOUND.myshopify.com", "other.myshopify.com "]) {
      expect(shopBindingProblems("APP_UNINSTALLED", { myshopify_domain: SHOP, domain }, SHOP).map((p) => p.field), domain).toEqual(["domain"]);
    }
  });
});
