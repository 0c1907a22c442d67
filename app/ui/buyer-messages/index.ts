import { ar } from "./ar";
import { de } from "./de";
import { en, type BuyerMessages, type MessageKey } from "./en";
import { es } from "./es";
import { fr } from "./fr";
import { it } from "./it";
import { ja } from "./ja";
import { nl } from "./nl";
import { ptBR } from "./pt-BR";
import { zhCN } from "./zh-CN";

/**
 * The buyer pages' words, one catalogue per language (one file each, a plain
 * object a translator can edit: keep the keys and the {placeholders}, change
 * the text).
 *
 * To add a text: add its key and English text to en.ts (the key names the page
 * part, e.g. "return.title"); the type checker then lists every language
 * missing it: add the translation to each. Placeholders are {name}, filled by
 * `t(key, { name })`; every language must use the same ones (the test checks).
 * To add a language: copy en.ts to {tag}.ts (a BCP 47 tag, e.g. "pl" or
 * "zh-TW"), translate it, and list it in CATALOGUES below (and in RTL if it is
 * written right to left).
 */
export const CATALOGUES = {
  en,
  fr,
  de,
  es,
  it,
  nl,
  "pt-BR": ptBR,
  ja,
  "zh-CN": zhCN,
  ar,
} as const satisfies Record<string, BuyerMessages>;

export type BuyerLocale = keyof typeof CATALOGUES;
export type { BuyerMessages, MessageKey };

export const BUYER_LOCALES = Object.keys(CATALOGUES) as BuyerLocale[];
export const DEFAULT_BUYER_LOCALE: BuyerLocale = "en";

const RTL: ReadonlySet<BuyerLocale> = new Set(["ar"]);

/**
 * Written Chinese in Taiwan, Hong Kong and Macao is Traditional: a page in
 * Simplified Chinese is not "their language", so these fall through to the
 * next candidate (the merchant's language, then English).
 */
const TRADITIONAL_CHINESE = /^zh-(hant|tw|hk|mo)\b/i;

/**
 * The catalogue for one locale as Shopify or a browser writes it ("en-US",
 * "fr", "pt-BR", "pt_PT", "zh-Hans-CN"), or null: an exact match first, then
 * by language, with a region of ours standing for its language (pt-BR for
 * any Portuguese, zh-CN for Simplified Chinese).
 */
export function matchBuyerLocale(tag: string | null | undefined): BuyerLocale | null {
  if (!tag) return null;
  const normalized = tag.trim().replace(/_/g, "-");
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(normalized)) return null;
  const exact = BUYER_LOCALES.find((locale) => locale.toLowerCase() === normalized.toLowerCase());
  if (exact) return exact;
  if (TRADITIONAL_CHINESE.test(normalized)) return null;
  const language = normalized.split("-")[0]?.toLowerCase();
  return BUYER_LOCALES.find((locale) => locale.split("-")[0]?.toLowerCase() === language) ?? null;
}

export interface BuyerLanguage {
  /** The catalogue the page's words come from; also `<html lang>`. */
  locale: BuyerLocale;
  dir: "ltr" | "rtl";
  /**
   * The locale money is formatted in: the candidate that chose the words when
   * it names a region of the same language ("fr-CA" buyer: French words, the
   * figures as Canadians write them), else the catalogue's own. Never another
   * language's, so an English page never reads "75,00 $CA".
   */
  moneyLocale: string;
}

/** The first candidate that has a catalogue (buyer's locale, then merchant's…), else English. */
export function chooseBuyerLanguage(candidates: readonly (string | null | undefined)[]): BuyerLanguage {
  for (const candidate of candidates) {
    const locale = matchBuyerLocale(candidate);
    if (locale && candidate) return { locale, dir: RTL.has(locale) ? "rtl" : "ltr", moneyLocale: moneyLocaleFor(locale, candidate) };
  }
  return { locale: DEFAULT_BUYER_LOCALE, dir: "ltr", moneyLocale: DEFAULT_BUYER_LOCALE };
}

function moneyLocaleFor(locale: BuyerLocale, candidate: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(candidate.trim().replace(/_/g, "-"));
    if (canonical && new Intl.Locale(canonical).language === new Intl.Locale(locale).language) return canonical;
  } catch {
    // Not a tag Intl accepts: the catalogue's own locale formats the money.
  }
  return locale;
}

/**
 * The languages an Accept-Language header asks for, most wanted first (for a
 * page with no payment behind it: a link that is not valid, a rate limit).
 */
export function acceptedLanguages(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(",")
    .slice(0, 20)
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.tag && entry.tag !== "*" && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((entry) => entry.tag);
}

export type MessageValues = Record<string, string>;

/** The text of `key` in `locale`, its {placeholders} filled (a missing value stays visible as {name}). */
export function translate(locale: BuyerLocale, key: MessageKey, values: MessageValues = {}): string {
  const text = CATALOGUES[locale][key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The placeholders a text uses, sorted: every language's text for a key must use the same. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? "").sort();
}
