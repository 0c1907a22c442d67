import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Serves files under `root` (the public/ folder). Remix's fingerprinted bundles
 * under /build/ are cached for a year; other files for an hour. Returns false
 * when there is no such file, so the app handles the request.
 */
export async function serveStaticFile(root: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? "/", "http://local").pathname);
  } catch {
    return false;
  }
  const file = path.join(root, pathname);
  if (!file.startsWith(root + path.sep) || pathname.includes("\0")) return false;
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return false;
  res.statusCode = 200;
  res.setHeader("Content-Type", TYPES[path.extname(file)] ?? "application/octet-stream");
  res.setHeader("Content-Length", info.size);
  res.setHeader(
    "Cache-Control",
    pathname.startsWith("/build/") ? "public, max-age=31536000, immutable" : "public, max-age=3600",
  );
  if (req.method === "HEAD") {
    res.end();
    return true;
  }
  await new Promise<void>((resolve, reject) => {
    createReadStream(file).on("error", reject).pipe(res).on("finish", resolve);
  });
  return true;
}
