import { getCurrencyExponent } from "./currencies";

/**
 * Money is an integer count of the currency's minor unit (cents for USD, yen for
 * JPY, fils for KWD). Amounts arrive as decimal strings and are converted here
 * without ever passing through a float.
 */
export interface Money {
  readonly minor: bigint;
  readonly currency: string;
}

// Plain decimal: no sign, no exponent, no thousands separator, no leading zeros.
const DECIMAL = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

// Stored as a signed 64-bit integer; refuse what would not fit.
const MAX_MINOR = 2n ** 63n - 1n;

export class InvalidAmountError extends Error {
  override name = "InvalidAmountError";
}

/**
 * Parses Shopify's decimal amount string ("123.00") for a currency. Fewer decimals
 * than the currency allows are fine ("12.5" USD); more are not ("12.345" USD), and
 * neither is zero: Shopify never asks to move nothing.
 */
export function parseAmount(amount: string, currency: string): Money {
  const exponent = getCurrencyExponent(currency);
  if (exponent === null) {
    throw new InvalidAmountError(`unknown currency "${currency}" (expected an ISO 4217 code)`);
  }
  const match = DECIMAL.exec(amount);
  if (!match) {
    throw new InvalidAmountError(
      `"${amount}" is not a plain decimal amount like "12.34" (no sign, exponent or separators)`,
    );
  }
  const whole = match[1] ?? "0";
  const fraction = match[2] ?? "";
  if (fraction.length > exponent) {
    throw new InvalidAmountError(
      `${currency} has ${exponent} decimal place${exponent === 1 ? "" : "s"}; "${amount}" has ${fraction.length}`,
    );
  }
  const minor = BigInt(whole + fraction.padEnd(exponent, "0"));
  if (minor === 0n) {
    throw new InvalidAmountError("must be greater than zero");
  }
  if (minor > MAX_MINOR) {
    throw new InvalidAmountError("is too large");
  }
  return { minor, currency };
}

/** Formats minor units back to a decimal string with the currency's exponent: 1050n USD → "10.50". */
export function formatAmount({ minor, currency }: Money): string {
  const exponent = getCurrencyExponent(currency);
  if (exponent === null) {
    throw new InvalidAmountError(`unknown currency "${currency}"`);
  }
  const sign = minor < 0n ? "-" : "";
  const digits = (minor < 0n ? -minor : minor).toString().padStart(exponent + 1, "0");
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * Formats an exact decimal string (never a float) for a reader's locale, e.g.
 * ("1234.50", "EUR", "de") → "1.234,50 €". An unknown locale falls back to English.
 */
export function formatMoney(amount: string, currency: string, locale: string): string {
  // Intl formats a decimal string exactly (ECMA-402 NumberFormat v3); the DOM
  // typings only admit numbers, hence the cast. No float is ever made.
  const decimal = amount as unknown as number;
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency }).format(decimal);
  } catch {
    return new Intl.NumberFormat("en", { style: "currency", currency }).format(decimal);
  }
}
