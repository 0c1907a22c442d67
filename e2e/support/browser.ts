import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Frame, type Page } from "playwright-core";

/** Debian's Chromium (never a downloaded browser), headless, with the network quiet. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const MERCHANT_BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      // Headless Chromium says "HeadlessChrome", and @shopify/shopify-app-remix
      // answers bots with 410 Gone; a merchant's browser is what we test as.
      `--user-agent=${MERCHANT_BROWSER}`,
    ],
  });
}

/** Screenshots are kept as test artifacts under test-results/screenshots/. */
export const SCREENSHOTS = path.resolve("test-results", "screenshots");

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Waits until React has hydrated the page (app/root.tsx marks <html data-hydrated>): before it, a click may do nothing. */
export async function waitForHydration(target: Page | Frame): Promise<void> {
  await target.waitForSelector("html[data-hydrated]", { state: "attached", timeout: 30_000 });
}

/**
 * Whether the page scrolls sideways (something is wider than the screen), with
 * the first few elements that stick out, to name in a failure; null when nothing does.
 */
export async function sidewaysScroll(target: Page | Frame): Promise<string | null> {
  return target.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width + 1) return null;
    const wide = [...document.body.querySelectorAll("*")]
      .filter((element) => element.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}.${[...element.classList].join(".")}`);
    return `${document.documentElement.scrollWidth} px wide on a ${width} px screen: ${wide.join(", ")}`;
  });
}
