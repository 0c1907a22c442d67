import { describe, expect, it } from "vitest";
import { routePattern } from "./route-pattern";

const TOKEN = "cmx6pobin00014zu0vnjb60s4.1796510549.-crta8W15CNfWgqagYVbmH76tYLnj_yjBkQ5L6TrjIg";

describe("the route pattern of a path", () => {
  it("names a buyer page by its pattern, never its token", () => {
    expect(routePattern(`/pay/${TOKEN}`, { token: TOKEN })).toBe("/pay/:token");
    expect(routePattern(`/pay/${TOKEN}/challenge`, { token: TOKEN })).toBe("/pay/:token/challenge");
    expect(routePattern(`/pay/${TOKEN}.data`, { token: TOKEN })).toBe("/pay/:token");
  });

  it("masks a buyer link's token even when Remix passes no params (OPTIONS is refused before matching)", () => {
    expect(routePattern(`/pay/${TOKEN}`, {})).toBe("/pay/:token");
    expect(routePattern(`/pay/${TOKEN}/return`, {})).toBe("/pay/:token/return");
    expect(routePattern(`/pay/${TOKEN}.data`, {})).toBe("/pay/:token");
  });

  it("masks a param however the path encodes it", () => {
    expect(routePattern("/app/payments/a%20b", { id: "a b" })).toBe("/app/payments/:id");
  });

  it("names a splat's segments *", () => {
    expect(routePattern("/.env", { "*": ".env" })).toBe("/*");
    expect(routePattern("/auth/a/b%3Ac", { "*": "a/b:c" })).toBe("/auth/*");
  });

  it("leaves a path without params as it is", () => {
    expect(routePattern("/app/settings", {})).toBe("/app/settings");
    expect(routePattern("/_root.data", {})).toBe("/");
  });
});
