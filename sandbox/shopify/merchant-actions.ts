/**
 * What the sandbox's order page offers the merchant, as Shopify's order page
 * does: only the actions the payment's state allows, pre-filled with what is
 * left. Amounts are decimal strings; the arithmetic is in minor units (never a
 * float), with the currency's decimals.
 */
export interface SentFollowUp {
  kind: string;
  amount: string | null;
  /** The follow-up's state at Shopify ("RESOLVED", "REJECTED", or undefined while the app decides). */
  state: string | undefined;
}

export interface MerchantActions {
  capture: string | null;
  refund: string | null;
  void: boolean;
  /** Why nothing is offered, when nothing is. */
  none: string | null;
}

const DECIMALS: Record<string, number> = { JPY: 0, KRW: 0, KWD: 3, BHD: 3, JOD: 3, OMR: 3, TND: 3 };

export function toMinor(amount: string, currency: string): bigint {
  const decimals = DECIMALS[currency] ?? 2;
  const [whole = "0", fraction = ""] = amount.trim().split(".");
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) return 0n;
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt((fraction + "0".repeat(decimals)).slice(0, decimals) || "0");
}

export function fromMinor(minor: bigint, currency: string): string {
  const decimals = DECIMALS[currency] ?? 2;
  if (decimals === 0) return minor.toString();
  const text = minor.toString().padStart(decimals + 1, "0");
  return `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
}

export function merchantActions(payment: { amount: string; currency: string; kind: string; state: string | undefined }, followUps: SentFollowUp[]): MerchantActions {
  const none = (why: string): MerchantActions => ({ capture: null, refund: null, void: false, none: why });
  if (payment.state === "PENDING") return none("The payment is pending: nothing to capture or refund until it succeeds.");
  if (payment.state === "REJECTED") return none("The payment failed: there is nothing to capture or refund.");
  if (payment.state !== "RESOLVED") return none("The buyer has not paid yet.");
  // A follow-up counts unless Shopify recorded it as rejected (one still being decided holds its amount).
  const counted = followUps.filter((f) => f.state !== "REJECTED");
  const sum = (kind: string) => counted.filter((f) => f.kind === kind).reduce((total, f) => total + (f.amount ? toMinor(f.amount, payment.currency) : 0n), 0n);
  const amount = toMinor(payment.amount, payment.currency);
  const voided = counted.some((f) => f.kind === "void");
  const captured = payment.kind === "authorization" ? sum("capture") : amount;
  const refundable = captured - sum("refund");
  const capturable = payment.kind === "authorization" && !voided ? amount - captured : 0n;
  const actions: MerchantActions = {
    capture: capturable > 0n ? fromMinor(capturable, payment.currency) : null,
    refund: refundable > 0n ? fromMinor(refundable, payment.currency) : null,
    void: payment.kind === "authorization" && !voided && captured === 0n,
    none: null,
  };
  if (!actions.capture && !actions.refund && !actions.void) actions.none = voided ? "The authorization was voided." : "Everything was refunded.";
  return actions;
}

/** "just now", "3 minutes ago", "2 hours ago", "yesterday"…, in English. */
export function timeInWords(iso: string, now = Date.now()): string {
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 2700) return format.format(Math.round(seconds / 60), "minute");
  if (abs < 79_200) return format.format(Math.round(seconds / 3600), "hour");
  return format.format(Math.round(seconds / 86_400), "day");
}
