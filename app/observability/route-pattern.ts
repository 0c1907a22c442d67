/**
 * The route a path matched, as its pattern: /pay/{token} becomes /pay/:token.
 * Logs name the route, never the path: a buyer link's token is a bearer
 * capability (whoever holds it can pay or cancel), and ids in paths are not
 * for logs either.
 *
 * Built from the path and the params Remix matched: a segment equal to a
 * param's value becomes `:name`, a splat's segments `*`. Over-masking (a literal
 * segment that happens to equal a param's value) is harmless; under-masking
 * cannot happen, since every param's value is replaced wherever it appears.
 */
export function routePattern(pathname: string, params: Record<string, string | undefined>): string {
  // Single fetch asks for /pay/x as /pay/x.data (and / as /_root.data).
  const path = pathname === "/_root.data" ? "/" : pathname.replace(/\.data$/, "");
  let segments = path.split("/");
  const splat = params["*"];
  // A splat is the end of the path: as many segments as it has, whatever their encoding.
  if (splat) segments = [...segments.slice(0, Math.max(1, segments.length - splat.split("/").length)), "*"];
  const named = Object.entries(params).filter(([name, value]) => name !== "*" && value);
  return segments
    .map((segment, index) => {
      if (segment === "*") return segment;
      if (index === 2 && segments[1] === "pay") return ":token";
      const decoded = safeDecode(segment);
      const param = named.find(([, value]) => value === decoded || value === segment);
      return param ? `:${param[0]}` : segment;
    })
    .join("/");
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
