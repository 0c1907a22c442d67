import type { PaymentSession } from "@prisma/client";
import type { Db } from "../db.server";
import { checkBuyerToken, type BuyerLinkConfig } from "../payments/rules/buyer-link-token.server";
import { formatMoney } from "../payments/rules/money";
import { acceptedLanguages, chooseBuyerLanguage, type BuyerLanguage } from "./buyer-messages";

/**
 * Which language a buyer page speaks: one per page, chosen in this order
 * (issue 15): the buyer's locale as Shopify sent it (customer.locale), then the
 * merchant's (merchant_locale), then English. A page with no payment behind it
 * (a link that is not valid, a rate limit) has only the browser's
 * Accept-Language to go by, then English.
 */
export function buyerLanguageOfPayment(payment: Pick<PaymentSession, "customerLocale" | "merchantLocale">): BuyerLanguage {
  return chooseBuyerLanguage([payment.customerLocale, payment.merchantLocale]);
}

export function buyerLanguageOfBrowser(acceptLanguage: string | null | undefined): BuyerLanguage {
  return chooseBuyerLanguage(acceptedLanguages(acceptLanguage));
}

/**
 * The amount in the page's language: its figures never come from another
 * language than its words. On a right-to-left page a symbol in Latin letters
 * ("US$", "CA$") is isolated left to right, or the bidi algorithm would tear
 * its "$" off and show "$US 49.99".
 */
export function buyerMoney(language: BuyerLanguage, summary: { amount: string; currency: string }): string {
  const text = formatMoney(summary.amount, summary.currency, language.moneyLocale);
  return language.dir === "rtl" ? text.replace(/[A-Za-z]+\$?|\$[A-Za-z]+/g, (symbol) => `\u2066${symbol}\u2069`) : text;
}

const BUYER_LINK = /^\/pay\/([^/]+)(?:\/[^/]*)?$/;

/**
 * The language of the document a request gets (root's `<html lang dir>`): for a
 * buyer link, its payment's (an expired link's too, so its page is in the
 * buyer's language); else the browser's. Never throws: a document must render
 * even when the database does not answer (English, or the browser's language).
 */
export async function documentLanguage(db: Db, config: BuyerLinkConfig, request: Request): Promise<BuyerLanguage | null> {
  const pathname = new URL(request.url).pathname;
  const token = BUYER_LINK.exec(pathname)?.[1];
  if (!token) return null;
  const browser = buyerLanguageOfBrowser(request.headers.get("accept-language"));
  try {
    const check = checkBuyerToken(config, decodeURIComponent(token));
    if (check.status === "invalid") return browser;
    const payment = await db.paymentSession.findUnique({ where: { id: check.id }, select: { customerLocale: true, merchantLocale: true } });
    return payment ? buyerLanguageOfPayment(payment) : browser;
  } catch {
    return browser;
  }
}
