/** The offline session id Shopify's libraries use for a shop ("offline_{shop}"). */
export function offlineSessionId(shop: string): string {
  return `offline_${shop}`;
}
