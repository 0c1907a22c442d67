import type { z } from "zod";
import { fieldError, fieldProblems, HttpError } from "./http-error";

/** Shopify's session requests are small; anything larger is refused unread. */
export const SESSION_REQUEST_BODY_LIMIT = 64 * 1024;

// Fatal: a body that is not UTF-8 is refused, not patched with replacement characters.
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** What the JSON body reader needs of a request: its headers and its bytes (already bounded by the server). */
export interface JsonRequest {
  header(name: string): string | null;
  body: Uint8Array;
}

/**
 * Reads a JSON request body and validates it with a zod schema. Every failure is
 * a 4xx that names the field: 415 wrong content type, 413 too large, 400 not JSON,
 * 422 valid JSON that does not fit the schema. Unknown fields are dropped, not refused.
 */
export function readJsonBody<Schema extends z.ZodType>(
  request: JsonRequest,
  schema: Schema,
  limit = SESSION_REQUEST_BODY_LIMIT,
): z.output<Schema> {
  const contentType = request.header("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw fieldError(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type", `must be application/json (got "${contentType || "none"}")`);
  }
  const declared = Number(request.header("content-length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
  const bytes = request.body;
  if (bytes.byteLength > limit) throw tooLarge(limit);

  let json: unknown;
  try {
    json = JSON.parse(UTF8.decode(bytes));
  } catch {
    throw fieldError(400, "MALFORMED_JSON", "body", "is not valid UTF-8 JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw fieldError(422, "INVALID_BODY", "body", "must be a JSON object");
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const problems = fieldProblems(result.error);
    const summary = problems.map((p) => `${p.field}: ${p.message}`).join("; ");
    throw new HttpError(422, "INVALID_BODY", summary, problems);
  }
  return result.data;
}

function tooLarge(limit: number): HttpError {
  return fieldError(413, "BODY_TOO_LARGE", "body", `must be at most ${limit} bytes`);
}
