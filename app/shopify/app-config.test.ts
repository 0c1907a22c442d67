import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../env.server";
import { ADMIN_API_VERSION } from "../shopify.server";
import { handledTopic } from "../inbound/webhooks/webhook-payloads";

// shopify.app.toml is what `shopify app deploy` sends Shopify: it must say what the code does.
const toml = readFileSync("shopify.app.toml", "utf8");

/** The [[webhooks.subscriptions]] blocks, each as its raw lines. */
const subscriptions = toml
  .split(/^\[\[webhooks\.subscriptions\]\]$/m)
  .slice(1)
  .map((block) => block.split(/^\[/m)[0] ?? "");
const list = (block: string, key: string) =>
  JSON.parse(new RegExp(`^${key} = (\\[[^\\]]*\\])$`, "m").exec(block)?.[1] ?? "[]") as string[];
const uri = (block: string) => /^uri = "([^"]+)"$/m.exec(block)?.[1];

describe("shopify.app.toml", () => {
  it("is an embedded app", () => {
    expect(toml).toMatch(/^embedded = true$/m);
  });

  it("asks for the scopes the app asks for at install (spec §12)", () => {
    const scopes = /^scopes = "([^"]*)"$/m.exec(toml)?.[1];
    const fromEnv = parseEnv({ SHOPIFY_APP_URL: "https://x.example", SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "0123456789abcdef", SHOPIFY_REQUEST_AUTH: "none" }).SCOPES;
    expect(scopes).toBe("write_payment_gateways,write_payment_sessions");
    expect(scopes).toBe(fromEnv);
  });

  it("pins the webhooks' API version to the code's ADMIN_API_VERSION", () => {
    const webhooks = toml.split(/^\[webhooks\]$/m)[1] ?? "";
    expect(/^api_version = "([^"]+)"$/m.exec(webhooks)?.[1]).toBe(ADMIN_API_VERSION);
  });

  it("subscribes to app/uninstalled and every compliance topic, at a route that exists and handles them", () => {
    const topics = subscriptions.flatMap((block) => list(block, "topics").map((topic) => ({ topic, uri: uri(block) })));
    const compliance = subscriptions.flatMap((block) => list(block, "compliance_topics").map((topic) => ({ topic, uri: uri(block) })));
    expect(topics.map((t) => t.topic)).toEqual(["app/uninstalled"]);
    expect(compliance.map((t) => t.topic).sort()).toEqual(["customers/data_request", "customers/redact", "shop/redact"]);
    for (const { topic, uri: path } of [...topics, ...compliance]) {
      expect(path).toBe("/webhooks");
      // By the exact name Shopify sends in X-Shopify-Topic.
      expect(handledTopic(topic), topic).not.toBeNull();
    }
    expect(existsSync("app/routes/webhooks.ts")).toBe(true);
  });
});
