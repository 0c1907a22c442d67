import { buyerLanguageOfBrowser } from "./buyer-language.server";
import { buyerPageStyles } from "./buyer-page";
import { buyerWords } from "./buyer-words";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The page a buyer gets when the buyer pages' rate limit turns a request away
 * (before Remix, so no database and no payment: the browser's language). A
 * page in words in the buyer page's style, never a JSON body in a browser.
 */
export function rateLimitedBuyerPage(acceptLanguage: string | null): string {
  const { language, t } = buyerWords(buyerLanguageOfBrowser(acceptLanguage));
  return `<!doctype html><html lang="${language.locale}" dir="${language.dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><link rel="icon" href="data:,"><title>${escapeHtml(t("error.rateLimitedTitle"))}</title><link rel="stylesheet" href="${escapeHtml(buyerPageStyles)}"></head><body><main><h1>${escapeHtml(t("error.heading"))}</h1><h2>${escapeHtml(t("error.rateLimitedTitle"))}</h2><p>${escapeHtml(t("error.rateLimitedText"))}</p></main></body></html>`;
}
