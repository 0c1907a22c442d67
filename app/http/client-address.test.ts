import { describe, expect, it } from "vitest";
import { clientAddress, rateLimitSubject } from "./client-address";

describe("the client's address", () => {
  it("is the socket's address with no trusted proxy, whatever X-Forwarded-For says", () => {
    expect(clientAddress("203.0.113.7", "198.51.100.1", 0)).toBe("203.0.113.7");
    expect(clientAddress("::ffff:203.0.113.7", undefined, 0)).toBe("203.0.113.7");
  });

  it("is the entry appended by the one trusted load balancer: the right-most", () => {
    expect(clientAddress("10.0.0.2", "198.51.100.1", 1)).toBe("198.51.100.1");
    expect(clientAddress("10.0.0.2", "6.6.6.6, 198.51.100.1", 1)).toBe("198.51.100.1");
  });

  it("is the entry N from the right behind N trusted proxies, never one further left", () => {
    // client → CDN (appends the client) → load balancer (appends the CDN) → app
    expect(clientAddress("10.0.0.2", "198.51.100.1, 192.0.2.50", 2)).toBe("198.51.100.1");
    expect(clientAddress("10.0.0.2", "6.6.6.6, 7.7.7.7, 198.51.100.1, 192.0.2.50", 2)).toBe("198.51.100.1");
  });

  it("reads repeated X-Forwarded-For headers as one list, in order", () => {
    expect(clientAddress("10.0.0.2", ["6.6.6.6", "198.51.100.1"], 1)).toBe("198.51.100.1");
  });

  it("is the left-most entry of a header shorter than the trusted hops (every entry is a trusted proxy's)", () => {
    expect(clientAddress("10.0.0.2", "198.51.100.1", 3)).toBe("198.51.100.1");
  });

  it("is the socket's address when the header is missing, empty, or the chosen entry is not an address", () => {
    expect(clientAddress("10.0.0.2", undefined, 1)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", " , ", 1)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", "pick-my-bucket", 1)).toBe("10.0.0.2");
    expect(clientAddress(undefined, undefined, 0)).toBe("unknown");
  });

  it("drops ports and brackets and writes IPv6 in lower case, so one client is one key", () => {
    expect(clientAddress("10.0.0.2", "198.51.100.1:51234", 1)).toBe("198.51.100.1");
    expect(clientAddress("10.0.0.2", "[2001:DB8::1]:443", 1)).toBe("2001:db8::1");
    expect(clientAddress("10.0.0.2", "2001:db8::1", 1)).toBe("2001:db8::1");
    expect(clientAddress("10.0.0.2", "::ffff:198.51.100.1", 1)).toBe("198.51.100.1");
  });
});

describe("whose allowance a request takes", () => {
  it("is the address itself for IPv4", () => {
    expect(rateLimitSubject("198.51.100.1")).toBe("198.51.100.1");
  });

  it("is the /64 network for IPv6, however the address is written, so a subscriber cannot take a fresh bucket per address", () => {
    expect(rateLimitSubject("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(rateLimitSubject("2001:db8:1:2:ffff:ffff:ffff:fffe")).toBe("2001:db8:1:2::/64");
    expect(rateLimitSubject("2001:0db8:0001:0002:0000:0000:0000:0009")).toBe("2001:db8:1:2::/64");
    expect(rateLimitSubject("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(rateLimitSubject("::1")).toBe("0:0:0:0::/64");
    expect(rateLimitSubject("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(rateLimitSubject("64:ff9b::198.51.100.1")).toBe("64:ff9b:0:0::/64");
  });

  it("tells two IPv6 networks apart", () => {
    expect(rateLimitSubject("2001:db8:1:2::1")).not.toBe(rateLimitSubject("2001:db8:1:3::1"));
  });
});
