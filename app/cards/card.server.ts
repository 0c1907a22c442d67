import { formatCardSummary, summarizeCard, type CardSummary } from "./card-summary";

/**
 * A decrypted card, held in memory only between decryption and the provider
 * (issue 13 item 3: the card never rests). The number, CVC and name sit in
 * private fields, which no serializer can see (JSON.stringify, util.inspect,
 * object spread, structuredClone, pino); every way a card can turn into text
 * by accident (JSON, inspection, template strings) yields the summary only.
 * Reading a secret takes a deliberate call to one of its getters.
 */
export class Card {
  readonly #pan: string;
  readonly #verificationValue: string | undefined;
  readonly #fullName: string;
  readonly expiryMonth: number;
  readonly expiryYear: number;

  constructor(fields: { pan: string; verificationValue: string | undefined; fullName: string; expiryMonth: number; expiryYear: number }) {
    this.#pan = fields.pan;
    this.#verificationValue = fields.verificationValue;
    this.#fullName = fields.fullName;
    this.expiryMonth = fields.expiryMonth;
    this.expiryYear = fields.expiryYear;
  }

  /** The full card number, for the provider's charge call only. */
  get pan(): string {
    return this.#pan;
  }

  /** The CVC, when the buyer gave one; for the provider's charge call only. */
  get verificationValue(): string | undefined {
    return this.#verificationValue;
  }

  /** The cardholder's name as typed; for the provider only (the app keeps initials). */
  get fullName(): string {
    return this.#fullName;
  }

  /** What may be kept: brand, last four, expiry, initials. */
  summary(): CardSummary {
    return summarizeCard({ pan: this.#pan, fullName: this.#fullName, expiryMonth: this.expiryMonth, expiryYear: this.expiryYear });
  }

  toJSON(): CardSummary {
    return this.summary();
  }

  toString(): string {
    return formatCardSummary(this.summary());
  }

  // Node's util.inspect (console.log, %o, vitest's diffs) asks for this symbol;
  // Symbol.for keeps the module free of Node imports.
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Card(${this.toString()})`;
  }
}
