import { PassThrough } from "node:stream";

import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import * as isbotModule from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { setDocumentHeaders } from "./http/document-headers.server";
import { logger } from "./logger.server";
import { getShopify } from "./shopify.server";
import { describeError } from "./observability/describe-error";
import { routePattern } from "./observability/route-pattern";

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext
) {
  setDocumentHeaders(request, responseHeaders, (req, headers) => getShopify().addDocumentResponseHeaders(req, headers));
  const prohibitOutOfOrderStreaming =
    isBotRequest(request.headers.get("user-agent")) || remixContext.isSpaMode;

  // Bots and SPA mode get the whole page at once; browsers get the shell as soon as it is ready.
  return renderDocument(request, responseStatusCode, responseHeaders, remixContext, prohibitOutOfOrderStreaming ? "onAllReady" : "onShellReady");
}

// isbot 3.8+ and 4+ export `isbot`; older versions a default function.
function isBotRequest(userAgent: string | null) {
  if (!userAgent) return false;
  if ("isbot" in isbotModule && typeof isbotModule.isbot === "function") return isbotModule.isbot(userAgent);
  if ("default" in isbotModule && typeof isbotModule.default === "function") return isbotModule.default(userAgent);
  return false;
}

function renderDocument(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  readyWhen: "onAllReady" | "onShellReady",
) {
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const startStreaming = () => {
      shellRendered = true;
      const body = new PassThrough();
      responseHeaders.set("Content-Type", "text/html");
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />, {
      [readyWhen]: startStreaming,
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        // Errors while rendering the shell reject and are logged by handleError; only
        // those streamed after it are logged here.
        if (shellRendered) {
          logger.error({ err: describeError(error), route: routePattern(new URL(request.url).pathname, remixContext.staticHandlerContext.matches.at(-1)?.params ?? {}) }, "error while streaming a page");
        }
      },
    });
    setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * Errors thrown by loaders and actions, and Remix's own answers (404 for a path
 * no route matches, 405 for a method a route has no handler for).
 *
 * Logged with the route's pattern (/pay/:token), never the path: a buyer link's
 * token is a bearer capability. Remix's answers are not errors of the app (every
 * scanner asks for /.env): debug level. A real error is described by its class,
 * code and stack frames, never its message (describeError says why).
 */
export function handleError(error: unknown, { request, params }: LoaderFunctionArgs | ActionFunctionArgs) {
  if (request.signal.aborted) return;
  const where = { method: request.method, route: routePattern(new URL(request.url).pathname, params) };
  if (isRouteErrorResponse(error) || error instanceof Response) {
    logger.debug({ ...where, status: error.status }, "a route answered with an error status");
    return;
  }
  logger.error({ ...where, err: describeError(error) }, "unhandled error in a route");
}
