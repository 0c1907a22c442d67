/**
 * Why a payment was declined, in words for the buyer (Shopify's rejection codes,
 * spec §8). Anything not listed reads as the general sentence: the buyer needs
 * to know it failed and what to do, not the provider's vocabulary.
 */
const WORDS: Partial<Record<string, string>> = {
  AUTHENTICATION_FAILED: "The verification with your bank (3-D Secure) did not succeed.",
  AUTHENTICATION_REQUIRED: "Your bank asked for a verification that was not completed.",
  CARD_DECLINED: "Your card was declined.",
  DO_NOT_HONOR: "Your card was declined.",
  INSTRUMENT_DECLINED: "Your card was declined.",
  EXPIRED_CARD: "Your card has expired.",
  INSUFFICIENT_FUNDS: "Your card does not have enough funds for this payment.",
  INCORRECT_CVC: "The card's security code was not right.",
  INVALID_CVC: "The card's security code was not right.",
  INCORRECT_NUMBER: "The card number was not right.",
  INVALID_NUMBER: "The card number was not right.",
  INCORRECT_ZIP: "The postal code did not match your card.",
  INCORRECT_ADDRESS: "The address did not match your card.",
  CALL_ISSUER: "Your bank declined the payment; please contact your bank.",
  PROCESSING_ERROR: "The payment could not be processed.",
};

export function declineSentence(code: string | null): string {
  return (code ? WORDS[code] : undefined) ?? "The payment provider declined the payment.";
}
