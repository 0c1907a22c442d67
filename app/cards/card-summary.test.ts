import { describe, expect, it } from "vitest";
import { cardBrandOf, formatCardSummary, initialsOf, isCardExpired, isCvcShapeValid, passesLuhn, summarizeCard, type CardBrand } from "./card-summary";

describe("what may be kept of a card", () => {
  it.each<[string, CardBrand]>([
    ["4242424242424242", "visa"],
    ["4000056655665556", "visa"],
    ["5555555555554444", "mastercard"],
    ["2223003122003222", "mastercard"],
    ["2720990000000007", "mastercard"],
    ["378282246310005", "amex"],
    ["340000000000009", "amex"],
    ["6011111111111117", "discover"],
    ["6445644564456445", "discover"],
    ["6500000000000002", "discover"],
    ["3566002020360505", "jcb"],
    ["36227206271667", "diners"],
    ["30569309025904", "diners"],
    ["3095000000000000", "diners"],
    ["6200000000000005", "unionpay"],
    ["6221260000000000", "unionpay"],
    ["2200000000000004", "mir"],
    ["6759649826438453", "maestro"],
    ["5018000000000009", "maestro"],
    ["1234567890123452", "unknown"],
    ["9999999999999995", "unknown"],
  ])("tells the brand of %s: %s", (pan, brand) => {
    expect(cardBrandOf(pan)).toBe(brand);
  });

  it("formats the summary staff see: brand, last four, expiry", () => {
    const summary = summarizeCard({ pan: "4242424242424242", fullName: "Jim Smith", expiryMonth: 12, expiryYear: 2029 });
    expect(summary).toEqual({ brand: "visa", last4: "4242", expiryMonth: 12, expiryYear: 2029, initials: "JS" });
    expect(formatCardSummary(summary)).toBe("Visa •••• 4242, 12/2029");
    expect(formatCardSummary({ brand: "amex", last4: "0005", expiryMonth: 3, expiryYear: 2030 })).toBe("American Express •••• 0005, 03/2030");
    expect(formatCardSummary({ brand: "unknown", last4: "3452", expiryMonth: 1, expiryYear: 2031 })).toBe("Card •••• 3452, 01/2031");
  });

  it("keeps initials only: the first letters of the first and last names", () => {
    expect(initialsOf("Jim Smith")).toBe("JS");
    expect(initialsOf("  mary   ann   smith ")).toBe("MS");
    expect(initialsOf("Cher")).toBe("C");
    expect(initialsOf("")).toBe("");
    expect(initialsOf("Émile Zola")).toBe("ÉZ");
    expect(initialsOf("𝒜lice Ω")).toBe("𝒜Ω");
  });
});

describe("the checks on a card that need no provider", () => {
  it("passes the issue's sandbox test cards through the Luhn check, and fails a mistyped one", () => {
    for (const pan of ["4242424242424242", "4000000000000002", "4000000000009995", "4000002760003184"]) expect(passesLuhn(pan), pan).toBe(true);
    for (const pan of ["4242424242424241", "4000000000000001", "4000002760003185", "", "4242-4242", "x"]) expect(passesLuhn(pan), pan).toBe(false);
  });

  it("counts a card valid through the end of its expiry month everywhere on Earth (UTC−12)", () => {
    const expiry = { month: 12, year: 2029 };
    expect(isCardExpired(expiry, new Date("2029-12-01T00:00:00Z"))).toBe(false);
    expect(isCardExpired(expiry, new Date("2029-12-31T23:59:59Z"))).toBe(false);
    expect(isCardExpired(expiry, new Date("2030-01-01T11:59:59.999Z"))).toBe(false);
    expect(isCardExpired(expiry, new Date("2030-01-01T12:00:00Z"))).toBe(true);
    expect(isCardExpired({ month: 2, year: 2028 }, new Date("2028-02-29T23:00:00Z"))).toBe(false);
    expect(isCardExpired({ month: 2, year: 2028 }, new Date("2028-03-02T00:00:00Z"))).toBe(true);
    expect(isCardExpired({ month: 1, year: 2020 }, new Date("2026-12-02T00:00:00Z"))).toBe(true);
  });

  it("expects a 4-digit CVC for American Express and a 3-digit one otherwise", () => {
    expect(isCvcShapeValid("1234", "amex")).toBe(true);
    expect(isCvcShapeValid("123", "amex")).toBe(false);
    expect(isCvcShapeValid("123", "visa")).toBe(true);
    expect(isCvcShapeValid("1234", "visa")).toBe(false);
    expect(isCvcShapeValid("000", "mastercard")).toBe(true);
    expect(isCvcShapeValid("12a", "visa")).toBe(false);
    expect(isCvcShapeValid("1234", "unknown")).toBe(true);
  });
});
