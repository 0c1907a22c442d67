/**
 * Request targets the app refuses before Remix sees them, each for a reason a
 * person could cause by typing or mangling a link:
 *
 * - A path whose percent-encoding is broken (`/pay/{token}/%`): Remix cannot
 *   decode it and writes a warning quoting the whole path to stderr, buyer
 *   link's token included; then answers 404. Refused here as a 400 that quotes
 *   nothing.
 * - A `_data` query parameter: the legacy data-request protocol. The app uses
 *   single fetch (`.data` URLs), so no page of ours sends it, and Remix reports
 *   every such request through handleError as an error ("single fetch-enabled
 *   apps should not be making ?_data requests"): one error-level log line per
 *   request anybody can send. Refused here as a 400.
 */
export type TargetVerdict = { allowed: true } | { allowed: false; field: string; message: string };

export function checkRequestTarget(url: URL): TargetVerdict {
  if (!decodesCleanly(url.pathname)) return { allowed: false, field: "path", message: "has a % that is not followed by an encoded character" };
  if (url.searchParams.has("_data")) return { allowed: false, field: "_data", message: "is not a parameter of this app (its pages load data from .data addresses)" };
  return { allowed: true };
}

function decodesCleanly(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}
