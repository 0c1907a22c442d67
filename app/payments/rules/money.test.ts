import { describe, expect, it } from "vitest";
import { formatAmount, InvalidAmountError, parseAmount, formatMoney } from "./money";

/** The error parseAmount throws for `amount`, so that both its class and message can be checked. */
function refusal(amount: string, currency: string): unknown {
  try {
    parseAmount(amount, currency);
  } catch (error) {
    return error;
  }
  throw new Error(`parseAmount("${amount}", "${currency}") was accepted`);
}

describe("parseAmount", () => {
  it("reads a JPY amount as whole yen, since JPY has no decimals", () => {
    expect(parseAmount("1500", "JPY")).toEqual({ minor: 1500n, currency: "JPY" });
  });

  it("reads a USD amount as cents", () => {
    expect(parseAmount("123.45", "USD")).toEqual({ minor: 12345n, currency: "USD" });
  });

  it("reads a KWD amount as fils, with three decimals", () => {
    expect(parseAmount("1.234", "KWD")).toEqual({ minor: 1234n, currency: "KWD" });
  });

  it("reads a CLF amount with four decimals", () => {
    expect(parseAmount("2.0001", "CLF")).toEqual({ minor: 20001n, currency: "CLF" });
  });

  it("reads a whole number without decimals in a currency that has them", () => {
    expect(parseAmount("12", "USD")).toEqual({ minor: 1200n, currency: "USD" });
  });

  it("accepts fewer decimals than the currency allows", () => {
    expect(parseAmount("12.5", "USD")).toEqual({ minor: 1250n, currency: "USD" });
    expect(parseAmount("1.5", "KWD")).toEqual({ minor: 1500n, currency: "KWD" });
  });

  it("accepts amounts below one major unit", () => {
    expect(parseAmount("0.01", "USD")).toEqual({ minor: 1n, currency: "USD" });
    expect(parseAmount("0.0001", "CLF")).toEqual({ minor: 1n, currency: "CLF" });
  });

  it("accepts the largest amount a signed 64-bit integer holds", () => {
    expect(parseAmount("9223372036854775807", "JPY")).toEqual({ minor: 9223372036854775807n, currency: "JPY" });
  });

  describe("refuses", () => {
    it.each([
      ["more decimals than USD has", "12.345", "USD", 'USD has 2 decimal places; "12.345" has 3'],
      ["any decimals for JPY", "1.5", "JPY", 'JPY has 0 decimal places; "1.5" has 1'],
      ["more decimals than KWD has", "1.2345", "KWD", 'KWD has 3 decimal places; "1.2345" has 4'],
    ])("%s", (_, amount, currency, message) => {
      const error = refusal(amount, currency);
      expect(error).toBeInstanceOf(InvalidAmountError);
      expect((error as Error).message).toBe(message);
    });

    it.each([
      ["a negative amount", "-1"],
      ["letters", "abc"],
      ["an exponent", "1e3"],
      ["an empty string", ""],
      ["leading whitespace", " 1.00"],
      ["trailing whitespace", "1.00 "],
      ["a leading zero", "01.00"],
      ["a comma as decimal separator", "1,00"],
      ["a thousands separator", "1,000.00"],
      ["a plus sign", "+1.00"],
      ["a trailing decimal point", "1."],
      ["a leading decimal point", ".50"],
    ])("%s as not a plain decimal", (_, amount) => {
      const error = refusal(amount, "USD");
      expect(error).toBeInstanceOf(InvalidAmountError);
      expect((error as Error).message).toBe(
        `"${amount}" is not a plain decimal amount like "12.34" (no sign, exponent or separators)`,
      );
    });

    it.each([
      ["0", "USD"],
      ["0.00", "USD"],
      ["0", "JPY"],
      ["0.000", "KWD"],
    ])("zero (%s %s), because Shopify never asks to move nothing", (amount, currency) => {
      const error = refusal(amount, currency);
      expect(error).toBeInstanceOf(InvalidAmountError);
      expect((error as Error).message).toBe("must be greater than zero");
    });

    it("an unknown currency", () => {
      const error = refusal("1.00", "XYZ");
      expect(error).toBeInstanceOf(InvalidAmountError);
      expect((error as Error).message).toBe('unknown currency "XYZ" (expected an ISO 4217 code)');
    });

    it("a lowercase currency code", () => {
      const error = refusal("1.00", "usd");
      expect(error).toBeInstanceOf(InvalidAmountError);
      expect((error as Error).message).toBe('unknown currency "usd" (expected an ISO 4217 code)');
    });

    it("one minor unit more than a signed 64-bit integer holds", () => {
      const error = refusal("9223372036854775808", "JPY");
      expect(error).toBeInstanceOf(InvalidAmountError);
      expect((error as Error).message).toBe("is too large");
    });

    it("an amount that only overflows once converted to minor units", () => {
      // 92233720368547758.08 USD is 2^63 cents.
      const error = refusal("92233720368547758.08", "USD");
      expect(error).toBeInstanceOf(InvalidAmountError);
      expect((error as Error).message).toBe("is too large");
    });
  });
});

describe("formatAmount", () => {
  it("writes JPY without decimals", () => {
    expect(formatAmount({ minor: 5n, currency: "JPY" })).toBe("5");
  });

  it("pads USD cents below one dollar with a leading zero", () => {
    expect(formatAmount({ minor: 5n, currency: "USD" })).toBe("0.05");
  });

  it("writes KWD with three decimals", () => {
    expect(formatAmount({ minor: 1n, currency: "KWD" })).toBe("0.001");
  });

  it("writes CLF with four decimals", () => {
    expect(formatAmount({ minor: 123456n, currency: "CLF" })).toBe("12.3456");
  });

  it("keeps trailing zeros of the currency's decimals", () => {
    expect(formatAmount({ minor: 1050n, currency: "USD" })).toBe("10.50");
  });

  it("writes zero with all decimals", () => {
    expect(formatAmount({ minor: 0n, currency: "USD" })).toBe("0.00");
  });

  it("writes a negative amount with a minus sign", () => {
    expect(formatAmount({ minor: -5n, currency: "USD" })).toBe("-0.05");
  });

  it("refuses an unknown currency", () => {
    expect(() => formatAmount({ minor: 1n, currency: "XYZ" })).toThrow(InvalidAmountError);
    expect(() => formatAmount({ minor: 1n, currency: "XYZ" })).toThrow('unknown currency "XYZ"');
  });

  it.each([
    ["1", "JPY"],
    ["1500", "JPY"],
    ["0.05", "USD"],
    ["10.50", "USD"],
    ["123.45", "USD"],
    ["0.001", "KWD"],
    ["1.234", "KWD"],
    ["0.0001", "CLF"],
    ["12.3456", "CLF"],
    ["92233720368547758.07", "USD"],
  ])("gives back the canonical string parseAmount read: %s %s", (amount, currency) => {
    expect(formatAmount(parseAmount(amount, currency))).toBe(amount);
  });
});

describe("formatMoney", () => {
  it("formats in the reader's locale with the currency's own decimals", () => {
    expect(formatMoney("1234.50", "EUR", "de")).toBe("1.234,50\u00a0€");
    expect(formatMoney("1234", "JPY", "en")).toBe("¥1,234");
    expect(formatMoney("1.250", "KWD", "en")).toBe("KWD\u00a01.250");
  });

  it("keeps every digit of amounts a float would round", () => {
    expect(formatMoney("90071992547409.93", "USD", "en")).toBe("$90,071,992,547,409.93");
  });

  it("falls back to English for a locale Intl cannot use", () => {
    expect(formatMoney("10.00", "USD", "not a locale!")).toBe("$10.00");
  });
});
