import type { z } from "zod";

/** One problem with a request, named by the field (body path or header) it is about. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * A request that cannot be served, with the exact status to answer. Thrown by
 * route helpers (`require*`), turned into a JSON response at the edge.
 */
export class HttpError extends Error {
  override name = "HttpError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: FieldProblem[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toResponse(): Response {
    const { status, headers, body } = this.toJsonAnswer();
    return new Response(body, { status, headers });
  }

  /** The same answer without the Fetch API, for the endpoints served by the app's own server. */
  toJsonAnswer(): JsonAnswer {
    return jsonAnswer(this.status, { error: { code: this.code, message: this.message, problems: this.problems } }, this.headers);
  }
}

/** A JSON answer as the app's own HTTP server writes it (no Fetch API Response: it costs on hot paths). */
export interface JsonAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): JsonAnswer {
  return { status, headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) };
}

export function fieldError(status: number, code: string, field: string, message: string): HttpError {
  return new HttpError(status, code, `${field}: ${message}`, [{ field, message }]);
}

/** zod's issues as field problems: the field's path ("body" when it has none) and what is wrong. */
export function fieldProblems(error: z.ZodError, fallbackField = "body"): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join(".") || fallbackField,
    message: issue.code === "invalid_type" && issue.message.endsWith("received undefined") ? "is required" : issue.message,
  }));
}
