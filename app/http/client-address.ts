import { isIP } from "node:net";

/** The most proxies TRUSTED_PROXY_HOPS may name; a longer chain is a misconfiguration, not a deployment. */
export const MAX_TRUSTED_PROXY_HOPS = 10;

/**
 * The address of the client a request came from, for rate limits and logs.
 *
 * `trustedHops` is how many proxies we run in front of the app, each appending the
 * address it received the request from to X-Forwarded-For. The right-most entry
 * was appended by the proxy nearest the app, so the client is the entry
 * `trustedHops` from the right. Everything to its left was written by whoever sent
 * the request and can say anything: it is never read.
 *
 * - 0 hops, or no header: the socket's address.
 * - A header with fewer entries than hops (a request that skipped an outer proxy):
 *   its left-most entry. Every entry of such a header was appended by one of our
 *   proxies (a client's own entries would have made it at least `trustedHops`
 *   long), so the left-most is the farthest address they saw; the socket's would
 *   be our proxy's, one bucket for everybody.
 * - An entry that is not an IP address (a proxy we do not understand): the
 *   socket's address, rather than a key anybody could shape.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedHops: number): string {
  const socket = normalise(socketAddress ?? "") ?? "unknown";
  if (trustedHops <= 0 || forwardedFor === undefined) return socket;
  // Node joins repeated X-Forwarded-For headers with ", "; an array is the same list.
  const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (entries.length === 0) return socket;
  const chosen = entries[Math.max(0, entries.length - trustedHops)] ?? "";
  return normalise(chosen) ?? socket;
}

/** An IP address without port or brackets, IPv4-mapped IPv6 as IPv4; null for anything else. */
function normalise(address: string): string | null {
  let candidate = address.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(candidate);
  if (bracketed) candidate = bracketed[1] ?? "";
  else if (/^[\d.]+:\d+$/.test(candidate)) candidate = candidate.slice(0, candidate.lastIndexOf(":"));
  if (candidate.toLowerCase().startsWith("::ffff:") && isIP(candidate.slice(7)) === 4) candidate = candidate.slice(7);
  return isIP(candidate) ? candidate.toLowerCase() : null;
}

/**
 * Whose allowance a request from `address` (clientAddress's answer) takes: an
 * IPv4 address, or the /64 network of an IPv6 one. A single IPv6 subscriber is
 * given a whole /64 (2^64 addresses) and can send each request from a fresh
 * one: per address, each would come with a full bucket, and the limit would
 * hold nobody. A /64 is one home or one site, which is what an IPv4 address
 * stands for.
 */
export function rateLimitSubject(address: string): string {
  if (isIP(address) !== 6) return address;
  const hextets = expandIPv6(address);
  return hextets ? `${hextets.slice(0, 4).join(":")}::/64` : address;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros; null if it cannot be read. */
function expandIPv6(address: string): string[] | null {
  const [withoutZone = ""] = address.split("%");
  const halves = withoutZone.split("::");
  if (halves.length > 2) return null;
  const groups = (half: string | undefined) => (half ? half.split(":").flatMap(ipv4AsHextets) : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  return [...head, ...Array<string>(missing).fill("0"), ...tail].map((group) => (Number.parseInt(group, 16) || 0).toString(16));
}

/** An embedded IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) as its two hextets; any other group as it is. */
function ipv4AsHextets(group: string): string[] {
  if (!group.includes(".")) return [group];
  const [a = 0, b = 0, c = 0, d = 0] = group.split(".").map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
