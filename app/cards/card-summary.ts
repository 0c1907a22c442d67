/**
 * What the app may keep and show of a card, and the checks on a card's shape
 * that need no provider: brand, last four digits, expiry and the cardholder's
 * initials (issue 13 item 3). The number, the CVC and the full name are
 * never part of a summary. Pure and free of Node APIs, so the admin's pages
 * can format a stored summary too.
 */

export const CARD_BRANDS = ["visa", "mastercard", "amex", "discover", "jcb", "diners", "unionpay", "maestro", "mir", "unknown"] as const;
export type CardBrand = (typeof CARD_BRANDS)[number];

const BRAND_LABELS: Record<CardBrand, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  jcb: "JCB",
  diners: "Diners Club",
  unionpay: "UnionPay",
  maestro: "Maestro",
  mir: "Mir",
  unknown: "Card",
};

export function cardBrandLabel(brand: CardBrand): string {
  return BRAND_LABELS[brand];
}

/**
 * Issuer identification number ranges, as inclusive numeric ranges over a
 * prefix of a given length. Where schemes overlap, the longest matching
 * prefix wins: 622126–622925 is UnionPay-issued (Discover accepts it), so
 * it is UnionPay like the rest of 62; Maestro's broad 5/6 ranges lose to
 * every more specific range.
 */
const IIN_RANGES: ReadonlyArray<{ brand: CardBrand; from: number; to: number; digits: number }> = [
  { brand: "visa", from: 4, to: 4, digits: 1 },
  { brand: "mastercard", from: 51, to: 55, digits: 2 },
  { brand: "mastercard", from: 2221, to: 2720, digits: 4 },
  { brand: "amex", from: 34, to: 34, digits: 2 },
  { brand: "amex", from: 37, to: 37, digits: 2 },
  { brand: "discover", from: 6011, to: 6011, digits: 4 },
  { brand: "discover", from: 644, to: 649, digits: 3 },
  { brand: "discover", from: 65, to: 65, digits: 2 },
  { brand: "jcb", from: 3528, to: 3589, digits: 4 },
  { brand: "diners", from: 300, to: 305, digits: 3 },
  { brand: "diners", from: 3095, to: 3095, digits: 4 },
  { brand: "diners", from: 36, to: 36, digits: 2 },
  { brand: "diners", from: 38, to: 39, digits: 2 },
  { brand: "unionpay", from: 62, to: 62, digits: 2 },
  { brand: "unionpay", from: 81, to: 81, digits: 2 },
  { brand: "mir", from: 2200, to: 2204, digits: 4 },
  { brand: "maestro", from: 50, to: 50, digits: 2 },
  { brand: "maestro", from: 56, to: 59, digits: 2 },
  { brand: "maestro", from: 63, to: 63, digits: 2 },
  { brand: "maestro", from: 67, to: 67, digits: 2 },
];

/** The card's scheme from its number's leading digits; "unknown" when no range matches. */
export function cardBrandOf(pan: string): CardBrand {
  let best: { brand: CardBrand; digits: number } | undefined;
  for (const range of IIN_RANGES) {
    if (pan.length < range.digits || !/^\d+$/.test(pan.slice(0, range.digits))) continue;
    const prefix = Number(pan.slice(0, range.digits));
    if (prefix >= range.from && prefix <= range.to && (!best || range.digits > best.digits)) best = range;
  }
  return best?.brand ?? "unknown";
}

/** The Luhn (mod 10) check digit test every scheme's numbers pass; a number failing it was mistyped. */
export function passesLuhn(pan: string): boolean {
  if (!/^\d{2,}$/.test(pan)) return false;
  let sum = 0;
  for (let i = 0; i < pan.length; i++) {
    let digit = pan.charCodeAt(pan.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * A card is valid through the last day of its expiry month. Neither the card
 * nor the payload says in which time zone, so the month ends when it has
 * ended everywhere: at 00:00 of the next month in UTC−12 (12:00 UTC). The app
 * then never declines a card that is still valid where its holder is; the
 * issuer, which knows better, declines the few hours after that.
 */
export function isCardExpired(expiry: { month: number; year: number }, now: Date): boolean {
  const endOfMonthEverywhere = Date.UTC(expiry.year, expiry.month, 1, 12, 0, 0, 0);
  return now.getTime() >= endOfMonthEverywhere;
}

/** American Express prints a 4-digit code on the front; every other scheme a 3-digit one on the back. */
export function isCvcShapeValid(cvc: string, brand: CardBrand): boolean {
  if (brand === "amex") return /^\d{4}$/.test(cvc);
  if (brand === "unknown") return /^\d{3,4}$/.test(cvc);
  return /^\d{3}$/.test(cvc);
}

/** What may be stored and shown of a card (PCI DSS allows these without the number). */
export interface CardSummary {
  brand: CardBrand;
  last4: string;
  expiryMonth: number;
  expiryYear: number;
  /** The first letters of the cardholder's first and last names ("JS" for "Jim Smith"); "" when there is no name. */
  initials: string;
}

/** The initials of the first and last words of a name, in capitals: enough for staff to tell buyers apart, too little to identify one. */
export function initialsOf(fullName: string): string {
  const words = fullName.trim().split(/\s+/u).filter((word) => word.length > 0);
  const first = words[0];
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  return [first, last]
    .map((word) => (word === undefined ? "" : (Array.from(word)[0] ?? "")))
    .join("")
    .toLocaleUpperCase("en");
}

export function summarizeCard(card: { pan: string; fullName: string; expiryMonth: number; expiryYear: number }): CardSummary {
  return {
    brand: cardBrandOf(card.pan),
    last4: card.pan.slice(-4),
    expiryMonth: card.expiryMonth,
    expiryYear: card.expiryYear,
    initials: initialsOf(card.fullName),
  };
}

/** "Visa •••• 4242, 12/2029": the form staff see on a payment's page. */
export function formatCardSummary(summary: Pick<CardSummary, "brand" | "last4" | "expiryMonth" | "expiryYear">): string {
  const month = String(summary.expiryMonth).padStart(2, "0");
  return `${cardBrandLabel(summary.brand)} •••• ${summary.last4}, ${month}/${summary.expiryYear}`;
}
