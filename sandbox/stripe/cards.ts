import type { CardRecord } from "./records";

/**
 * Stripe's test cards the hosted page knows (https://docs.stripe.com/testing), and what each
 * does. Any other number is "incorrect", as Stripe's test mode treats numbers it does not know.
 */
export type CardBehaviour =
  | { kind: "succeeds" }
  | { kind: "declines"; declineCode: "generic_decline" | "insufficient_funds"; message: string }
  | { kind: "requires_3ds" };

export interface TestCard {
  number: string;
  card: Omit<CardRecord, "expMonth" | "expYear">;
  behaviour: CardBehaviour;
}

const visa = (last4: string, fingerprint: string, threeDSecure = false): TestCard["card"] => ({ brand: "visa", last4, fingerprint, funding: "credit", country: "US", threeDSecure });

export const TEST_CARDS: readonly TestCard[] = [
  { number: "4242424242424242", card: visa("4242", "Xt5EWLLDS7FJjR1c"), behaviour: { kind: "succeeds" } },
  { number: "5555555555554444", card: { brand: "mastercard", last4: "4444", fingerprint: "Mk8mQvcp6ZyV0a2S", funding: "credit", country: "US", threeDSecure: false }, behaviour: { kind: "succeeds" } },
  { number: "4000000000000002", card: visa("0002", "Dz3uL6fq4rUbj3d0"), behaviour: { kind: "declines", declineCode: "generic_decline", message: "Your card was declined." } },
  { number: "4000000000009995", card: visa("9995", "Bq2KsYt9v7Hn4wLe"), behaviour: { kind: "declines", declineCode: "insufficient_funds", message: "Your card has insufficient funds." } },
  { number: "4000002760003184", card: visa("3184", "Qn8RzW1yT5pC6eVa", true), behaviour: { kind: "requires_3ds" } },
];

export function findTestCard(number: string): TestCard | undefined {
  const digits = number.replace(/[\s-]/g, "");
  return TEST_CARDS.find((card) => card.number === digits);
}

export type CardEntryProblem = { code: "incorrect_number" | "invalid_expiry_month" | "invalid_expiry_year" | "incorrect_cvc"; message: string };

/** Checks what the buyer typed as Stripe's card form does, before any payment is attempted. */
export function checkCardEntry(input: { number: string; expiry: string; cvc: string }, now: Date): { card: TestCard; expMonth: number; expYear: number } | CardEntryProblem {
  const card = findTestCard(input.number);
  if (!card) return { code: "incorrect_number", message: "Your card number is incorrect." };
  const expiry = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(input.expiry);
  const month = Number(expiry?.[1]);
  if (!expiry || month < 1 || month > 12) return { code: "invalid_expiry_month", message: "Your card's expiration date is incomplete." };
  const year = (expiry[2] ?? "").length === 2 ? 2000 + Number(expiry[2]) : Number(expiry[2]);
  const thisYear = now.getUTCFullYear();
  if (year < thisYear || (year === thisYear && month < now.getUTCMonth() + 1)) return { code: "invalid_expiry_year", message: "Your card's expiration year is in the past." };
  if (!/^\d{3,4}$/.test(input.cvc.trim())) return { code: "incorrect_cvc", message: "Your card's security code is incomplete." };
  return { card, expMonth: month, expYear: year };
}
