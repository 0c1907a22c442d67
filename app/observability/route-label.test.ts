import { describe, expect, it } from "vitest";
import { methodLabel, routeLabel } from "./route-label";

describe("routeLabel", () => {
  it.each([
    ["/sessions/payment", "sessions/payment"],
    ["/sessions/refund", "sessions/refund"],
    ["/sessions/capture", "sessions/capture"],
    ["/sessions/void", "sessions/void"],
    ["/sessions/other-thing", "sessions/other"],
    ["/pay/eyJhbGciOi.token", "pay"],
    ["/pay/abc/challenge", "pay"],
    ["/app", "app"],
    ["/app/payments/clx123", "app"],
    ["/app/payments/clx123.data", "app"],
    ["/app.data", "app"],
    ["/apple", "other"],
    ["/auth/login", "auth"],
    ["/webhooks", "webhooks"],
    ["/healthz", "healthz"],
    ["/readyz", "readyz"],
    ["/metrics", "metrics"],
    ["/build/entry.client-ABC.js", "static"],
    ["/", "index"],
    ["/wp-login.php", "other"],
  ])("labels %s as %s, never with the ids in the path", (pathname, label) => {
    expect(routeLabel(pathname)).toBe(label);
  });

  it("keeps methods a client invents out of the labels", () => {
    expect(methodLabel("POST")).toBe("POST");
    expect(methodLabel("BREW")).toBe("OTHER");
    expect(methodLabel(undefined)).toBe("OTHER");
  });
});
