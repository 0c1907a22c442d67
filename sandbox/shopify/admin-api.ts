import { createHash } from "node:crypto";
import { buildSchema, graphql } from "graphql";

/**
 * The shop's Admin GraphQL API (POST /admin/api/{version}/graphql.json), as far
 * as the app reads it: `shop { name }` (the name buyers see on the payment
 * page). A real GraphQL executor over a slice of Shopify's schema, so a query
 * the real API would refuse (a field that does not exist) is refused here too.
 */
const SCHEMA = buildSchema(`
  type Query { shop: Shop! }
  type Shop { id: ID! name: String! myshopifyDomain: String! }
`);

export const ADMIN_GRAPHQL_PATH = /^\/admin\/api\/\d{4}-\d{2}\/graphql\.json$/;

/** The sandbox shop's name, as its merchant calls it: "browser-shop.myshopify.com" is "Browser Shop". */
export function sandboxShopName(shop: string): string {
  return shop
    .replace(/\.myshopify\.com$/, "")
    .split("-")
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join(" ");
}

const shopGid = (shop: string) => `gid://shopify/Shop/${Number.parseInt(createHash("sha256").update(shop).digest("hex").slice(0, 10), 16)}`;

/** Answers one Admin API request for `shop`, given whether its access token is the shop's current one. */
export async function answerAdminGraphql(shop: string, body: Record<string, unknown>, authorized: boolean): Promise<{ status: number; body: unknown }> {
  if (!authorized) return { status: 401, body: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" } };
  if (typeof body.query !== "string") return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } } };
  const variables = typeof body.variables === "object" && body.variables !== null ? (body.variables as Record<string, unknown>) : undefined;
  const result = await graphql({
    schema: SCHEMA,
    source: body.query,
    variableValues: variables,
    rootValue: { shop: { id: shopGid(shop), name: sandboxShopName(shop), myshopifyDomain: shop } },
  });
  return { status: 200, body: result };
}
