import { useRouteLoaderData } from "@remix-run/react";
import type { loader as rootLoader } from "../root";
import { chooseBuyerLanguage, translate, type BuyerLanguage, type MessageKey, type MessageValues } from "./buyer-messages";

export interface BuyerWords {
  language: BuyerLanguage;
  t: (key: MessageKey, values?: MessageValues) => string;
}

/**
 * Words in `language`. On a right-to-left page each filled-in value (an amount,
 * a shop's name in Latin letters) is isolated (U+2068 … U+2069), so its own
 * direction cannot reorder the sentence around it.
 */
export function buyerWords(language: BuyerLanguage): BuyerWords {
  const isolate = (values: MessageValues = {}) =>
    language.dir === "rtl" ? Object.fromEntries(Object.entries(values).map(([name, value]) => [name, `\u2068${value}\u2069`])) : values;
  return { language, t: (key, values) => translate(language.locale, key, isolate(values)) };
}

/** The words for a route's meta function, from root's data among its matches. */
export function buyerWordsOfMatches(matches: readonly { id: string; data?: unknown }[]): BuyerWords {
  const data = matches.find((match) => match.id === "root")?.data as { buyerLanguage?: BuyerLanguage | null } | undefined;
  return buyerWords(data?.buyerLanguage ?? chooseBuyerLanguage([]));
}

/**
 * The buyer page's words, in the language root chose for the document (so the
 * page and `<html lang dir>` never disagree); English when root could not
 * choose (a failure before its loader answered).
 */
export function useBuyerWords(): BuyerWords {
  const language = useRouteLoaderData<typeof rootLoader>("root")?.buyerLanguage ?? chooseBuyerLanguage([]);
  return buyerWords(language);
}
