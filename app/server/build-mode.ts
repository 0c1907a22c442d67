import { existsSync } from "node:fs";
import path from "node:path";

/**
 * Whether a build can run in the mode the process was started in, and if not,
 * what to tell the operator.
 *
 * A build made in any mode but production (`npm run dev`'s, or `remix build` under
 * NODE_ENV=test) compiles its pages to calls of React's development-only JSX
 * runtime; under NODE_ENV=production React leaves those out and every page answers
 * 500 ("jsxDEV is not a function"). So a production start refuses such a build
 * instead of serving errors. A production build runs in every mode (the tests run
 * it under NODE_ENV=test).
 */
export function buildModeProblem(builtFor: string | undefined, runningAs: string | undefined): string | null {
  if (runningAs !== "production" || builtFor === "production") return null;
  return [
    `This build was made for NODE_ENV=${builtFor ?? "(unset)"} and cannot run with NODE_ENV=production: its pages would all answer 500.`,
    "Make a production build with `npm run build` (it writes build/ and public/build/), then start again.",
  ].join("\n");
}

/** The build's browser manifest: the files a page's HTML points the browser to. */
interface BrowserManifest {
  url: string;
  entry: { module: string; imports: string[] };
  routes: Record<string, { module: string; imports?: string[]; css?: string[] } | undefined>;
}

/**
 * Whether the browser's files this server build names are all on disk. `remix build`
 * empties public/build/ first and writes build/index.js last, so a build stopped
 * half-way (Ctrl-C, a full disk, a killed CI job) leaves the previous server with
 * none of its scripts and styles: every page would render without them (no
 * buttons that work, an unstyled admin). Such a build is refused, not served.
 */
export function buildAssetsProblem(manifest: BrowserManifest, assetsBuildDirectory: string, publicPath: string): string | null {
  const urls = new Set([manifest.url, manifest.entry.module, ...manifest.entry.imports]);
  for (const route of Object.values(manifest.routes)) {
    for (const url of [route?.module, ...(route?.imports ?? []), ...(route?.css ?? [])]) if (url) urls.add(url);
  }
  const missing = [...urls].filter((url) => url.startsWith(publicPath) && !existsSync(path.join(assetsBuildDirectory, url.slice(publicPath.length))));
  if (missing.length === 0) return null;
  return [
    `This build is incomplete: ${missing.length} of its ${urls.size} browser files are missing from ${assetsBuildDirectory} (${missing[0]}${missing.length > 1 ? ", …" : ""}); its pages would have no scripts.`,
    "A build was probably stopped half-way. Make the production build again with `npm run build`, then start again.",
  ].join("\n");
}
