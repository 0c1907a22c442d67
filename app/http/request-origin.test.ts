import { describe, expect, it } from "vitest";
import { changesState, checkRequestOrigin } from "./request-origin";

const APP = "https://payments.example.com";
const check = (origin: string | null, referer: string | null = null) => checkRequestOrigin({ origin, referer }, APP);

describe("the origin of a state-changing request", () => {
  it("allows the app's own origin, whatever Host said", () => {
    expect(check("https://payments.example.com")).toEqual({ allowed: true });
  });

  it("refuses another origin, another scheme or another port of the same host", () => {
    for (const origin of ["https://evil.example", "http://payments.example.com", "https://payments.example.com:8443", "https://payments.example.com.evil.example"]) {
      expect(check(origin), origin).toEqual({ allowed: false, reason: "its Origin is another site" });
    }
  });

  it("refuses an Origin that is not a URL", () => {
    expect(check("not a url").allowed).toBe(false);
  });

  it("falls back to the Referer's origin when Origin is null or absent", () => {
    expect(check("null", "https://payments.example.com/pay/abc")).toEqual({ allowed: true });
    expect(check(null, "https://payments.example.com/app")).toEqual({ allowed: true });
    expect(check("null", "https://evil.example/form")).toEqual({ allowed: false, reason: "its Referer is another site" });
    expect(check(null, "https://evil.example/form").allowed).toBe(false);
  });

  it("refuses Origin: null without a Referer (a sandboxed frame hiding where it comes from)", () => {
    expect(check("null").allowed).toBe(false);
  });

  it("allows a request with neither header (not a browser's: browsers send Origin on every POST)", () => {
    expect(check(null)).toEqual({ allowed: true });
  });

  it("applies to every method but GET, HEAD and OPTIONS", () => {
    expect(["POST", "PUT", "PATCH", "DELETE", "PROPFIND"].map(changesState)).toEqual([true, true, true, true, true]);
    expect(["GET", "HEAD", "OPTIONS"].map(changesState)).toEqual([false, false, false]);
  });
});
