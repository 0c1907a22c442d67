import { checkBuyerToken, type BuyerLinkConfig } from "../payments/rules/buyer-link-token.server";

/**
 * The bucket a buyer-page request takes its token from: its client and the
 * payment link it is for. Per link, so that buyers sharing an address (one
 * office, a carrier's NAT, a load balancer the app cannot see past) never share
 * a bucket, and one buyer's waiting page polling every 2 s uses only its own.
 * Links the app did not sign (junk, tampered, guessed) share one bucket per
 * client, apart from every genuine link's: a flood of junk is limited as before
 * and cannot drain a real buyer's allowance. The signature check is an HMAC,
 * no database read, so this costs next to nothing before the limit applies.
 */
export function buyerLimitKey(client: string, pathname: string, links: BuyerLinkConfig): string {
  // /pay/{token}, /pay/{token}/challenge, and single fetch's /pay/{token}.data
  const token = (pathname.slice("/pay/".length).split("/")[0] ?? "").replace(/\.data$/, "");
  const check = checkBuyerToken(links, token);
  // An expired link is still one the app signed: its own bucket too.
  return check.status === "invalid" ? `${client} junk` : `${client} link:${check.id}`;
}
