import type { Db } from "../../db.server";
import { fieldError, HttpError } from "../../http/http-error";
import { logger } from "../../logger.server";
import { isShopInstalled } from "../../shopify/installed-shops.server";
import type { SessionRequestMeta } from "../../payments/receipt/session-request-schemas";
import type { SessionHttpRequest } from "./session-request-meta";

// A shop's permanent domain: lowercase letters, digits and hyphens, then .myshopify.com.
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,62}\.myshopify\.com$/;
const API_VERSION = /^(\d{4}-(01|04|07|10)|unstable)$/;

/**
 * The edge of every session endpoint: the request must prove it is Shopify's
 * (401), carry Shopify's three headers (400), and name a shop that installed the
 * app (404). Returns the headers' meaning.
 */
export async function requireShopifySessionRequest(db: Db, request: SessionHttpRequest): Promise<SessionRequestMeta> {
  const client = request.shopifyClient;
  if (!client.verified) {
    throw new HttpError(401, "NOT_SHOPIFY", `This request did not prove it comes from Shopify: ${client.reason}.`, [
      { field: "client_certificate", message: client.reason },
    ]);
  }
  if (client.via === "none") {
    logger.warn({ path: request.path }, "SHOPIFY_REQUEST_AUTH=none: served a session request without checking that Shopify sent it");
  }

  const shop = request.header("shopify-shop-domain")?.trim().toLowerCase() ?? "";
  if (!SHOP_DOMAIN.test(shop)) {
    throw fieldError(400, "INVALID_HEADER", "Shopify-Shop-Domain", shop ? "must be a shop's *.myshopify.com domain" : "is required");
  }
  const requestId = request.header("shopify-request-id")?.trim() ?? "";
  if (!requestId || requestId.length > 255) {
    throw fieldError(400, "INVALID_HEADER", "Shopify-Request-Id", requestId ? "must be at most 255 characters" : "is required");
  }
  const apiVersion = request.header("shopify-api-version")?.trim() ?? "";
  if (!API_VERSION.test(apiVersion)) {
    throw fieldError(400, "INVALID_HEADER", "Shopify-Api-Version", apiVersion ? "must be a version such as \"2026-04\" or \"unstable\"" : "is required");
  }

  if (!(await isShopInstalled(db, shop))) {
    throw fieldError(404, "SHOP_NOT_INSTALLED", "Shopify-Shop-Domain", "this shop has not installed the app");
  }
  return { shop, requestId, apiVersion };
}
