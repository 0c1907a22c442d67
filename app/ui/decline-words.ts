import type { MessageKey } from "./buyer-messages";

/**
 * Why a payment was declined, in words for the buyer (Shopify's rejection codes,
 * spec §8), as keys of the buyer pages' catalogue. Anything not listed reads as
 * the general sentence: the buyer needs to know it failed and what to do, not
 * the provider's vocabulary.
 */
const WORDS: Partial<Record<string, MessageKey>> = {
  AUTHENTICATION_FAILED: "decline.authenticationFailed",
  AUTHENTICATION_REQUIRED: "decline.authenticationRequired",
  CARD_DECLINED: "decline.cardDeclined",
  DO_NOT_HONOR: "decline.cardDeclined",
  INSTRUMENT_DECLINED: "decline.cardDeclined",
  EXPIRED_CARD: "decline.expiredCard",
  INSUFFICIENT_FUNDS: "decline.insufficientFunds",
  INCORRECT_CVC: "decline.incorrectCvc",
  INVALID_CVC: "decline.incorrectCvc",
  INCORRECT_NUMBER: "decline.incorrectNumber",
  INVALID_NUMBER: "decline.incorrectNumber",
  INCORRECT_ZIP: "decline.incorrectZip",
  INCORRECT_ADDRESS: "decline.incorrectAddress",
  CALL_ISSUER: "decline.callIssuer",
  PROCESSING_ERROR: "decline.processingError",
};

export function declineSentenceKey(code: string | null): MessageKey {
  return (code ? WORDS[code] : undefined) ?? "decline.other";
}
