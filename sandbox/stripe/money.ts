/**
 * Amounts are integers in the currency's minor unit, as on Stripe's wire. Formatting for people
 * works on the digits, never through floating point.
 */
const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);

export function minorUnitDigits(currency: string): number {
  const code = currency.toLowerCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** 123456 usd → "1234.56 USD". */
export function formatAmount(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const negative = amount < 0;
  const text = String(Math.abs(amount)).padStart(digits + 1, "0");
  const major = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return `${negative ? "-" : ""}${major} ${currency.toUpperCase()}`;
}

/**
 * Stripe's minimum charge amounts for the currencies the sandbox is used with
 * (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts); others have none here.
 */
const MINIMUM_CHARGE: Record<string, number> = { usd: 50, eur: 50, cad: 50, aud: 50, gbp: 30, chf: 50, jpy: 50 };

export function minimumChargeAmount(currency: string): number | null {
  return MINIMUM_CHARGE[currency.toLowerCase()] ?? null;
}
