import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { screenshot } from "./browser";

const require = createRequire(import.meta.url);
const AXE_SCRIPT = require.resolve("axe-core/axe.min.js");

/** The laptop and phone widths every buyer page is looked at (and kept as screenshots) in. */
export const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

/** Screenshots of the page at 1280 px and 390 px: `{name}-1280.png`, `{name}-390.png`. */
export async function screenshotAtWidths(page: Page, name: string): Promise<string[]> {
  const files: string[] = [];
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    files.push(await screenshot(page, `${name}-${size.width}`));
  }
  await page.setViewportSize(WIDTHS[0]);
  return files;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A and AA rules and best practices). */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // A page that reloads itself (the waiting and declined pages refresh every
  // 2 s) may navigate during a run: run again on the page it became.
  for (let attempt = 1; ; attempt++) {
    try {
      return await runAxe(page);
    } catch (error) {
      if (attempt >= 5 || !/context was destroyed|navigat/i.test(String(error))) throw error;
      await page.waitForLoadState("load");
    }
  }
}

async function runAxe(page: Page): Promise<AxeViolation[]> {
  await page.waitForLoadState("load");
  await page.addScriptTag({ path: AXE_SCRIPT });
  const violations = await page.evaluate(async () => {
    // axe-core puts itself on window; its types are not loaded into the page's context.
    const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target.join(" "))) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}
