import { describe, expect, it } from "vitest";
import { acceptedLanguages, BUYER_LOCALES, CATALOGUES, chooseBuyerLanguage, matchBuyerLocale, placeholdersOf, translate } from ".";
import { en } from "./en";

describe("the buyer pages' catalogues", () => {
  const keys = Object.keys(en).sort();

  it("cover at least the ten languages the buyer pages promise", () => {
    expect(BUYER_LOCALES).toEqual(expect.arrayContaining(["en", "fr", "de", "es", "it", "nl", "pt-BR", "ja", "zh-CN", "ar"]));
  });

  it.each(BUYER_LOCALES)("%s has every key of English and no other", (locale) => {
    expect(Object.keys(CATALOGUES[locale]).sort()).toEqual(keys);
  });

  it.each(BUYER_LOCALES)("%s uses the same {placeholders} as English in every text, and no text is empty", (locale) => {
    const catalogue: Record<string, string> = CATALOGUES[locale];
    for (const key of keys) {
      const text = catalogue[key] ?? "";
      expect(text.trim(), `${locale} ${key}`).not.toBe("");
      expect(placeholdersOf(text), `${locale} ${key}`).toEqual(placeholdersOf(en[key as keyof typeof en]));
    }
  });

  it.each(BUYER_LOCALES.filter((locale) => locale !== "en"))("%s is translated, not English copied over", (locale) => {
    const catalogue: Record<string, string> = CATALOGUES[locale];
    const same = keys.filter((key) => catalogue[key] === en[key as keyof typeof en]);
    // A text may coincide with English (a brand or a code), never most of them.
    expect(same.length, `${locale}: ${same.join(", ")}`).toBeLessThan(3);
  });

  it("fills placeholders, and leaves a missing one visible rather than blank", () => {
    expect(translate("fr", "summary.youPay", { amount: "75,00 $", shop: "Boutique Camille" })).toBe("Vous payez 75,00 $ à Boutique Camille");
    expect(translate("en", "pay.button", {})).toBe("Pay {amount}");
  });
});

describe("choosing the page's language", () => {
  it.each([
    ["en-US", "en"],
    ["en", "en"],
    ["fr", "fr"],
    ["fr-CA", "fr"],
    ["de-AT", "de"],
    ["es-MX", "es"],
    ["it-IT", "it"],
    ["nl-BE", "nl"],
    ["pt-BR", "pt-BR"],
    ["pt-PT", "pt-BR"],
    ["pt", "pt-BR"],
    ["ja", "ja"],
    ["ja-JP", "ja"],
    ["zh-CN", "zh-CN"],
    ["zh", "zh-CN"],
    ["zh-Hans-CN", "zh-CN"],
    ["ar", "ar"],
    ["ar-KW", "ar"],
    ["fr_CA", "fr"],
    ["EN-us", "en"],
  ])("%s reads %s", (tag, locale) => {
    expect(matchBuyerLocale(tag)).toBe(locale);
  });

  it.each([["zh-TW"], ["zh-Hant"], ["zh-HK"], ["sw"], ["x"], [""], ["fr;DROP"], ["../../etc"]])("%s has no catalogue", (tag) => {
    expect(matchBuyerLocale(tag)).toBeNull();
  });

  it("takes the buyer's locale, then the merchant's, then English", () => {
    expect(chooseBuyerLanguage(["fr-CA", "de"])).toEqual({ locale: "fr", dir: "ltr", moneyLocale: "fr-CA" });
    expect(chooseBuyerLanguage([null, "de-DE"])).toEqual({ locale: "de", dir: "ltr", moneyLocale: "de-DE" });
    expect(chooseBuyerLanguage(["sw", "zh-TW"])).toEqual({ locale: "en", dir: "ltr", moneyLocale: "en" });
    expect(chooseBuyerLanguage(["zh-TW", "ja"]).locale).toBe("ja");
  });

  it("writes Arabic right to left", () => {
    expect(chooseBuyerLanguage(["ar-KW"])).toEqual({ locale: "ar", dir: "rtl", moneyLocale: "ar-KW" });
  });

  it("formats money only in a locale of the page's own language (pt-PT figures on the pt-BR page are Portuguese too)", () => {
    expect(chooseBuyerLanguage(["pt-PT"]).moneyLocale).toBe("pt-PT");
    expect(chooseBuyerLanguage(["zh-Hans-CN"]).moneyLocale).toBe("zh-Hans-CN");
  });

  it("reads Accept-Language by preference, dropping q=0 and wildcards", () => {
    expect(acceptedLanguages("de;q=0.5, ja-JP, *;q=0.1, fr;q=0")).toEqual(["ja-JP", "de"]);
    expect(acceptedLanguages(null)).toEqual([]);
    expect(chooseBuyerLanguage(acceptedLanguages("sw, nl;q=0.8")).locale).toBe("nl");
  });
});
