/**
 * What an operator needs to find an error, and nothing a buyer typed: the error's
 * class, its code (Prisma's P2021, Node's ECONNREFUSED …) and where it was thrown
 * (stack frames as function and file:line). Never the message: messages of
 * database, driver and validation errors quote the values involved, which may be
 * customer data or tokens. A cause is described the same way (Prisma wraps the
 * driver's error), one level deep.
 */
export interface ErrorDescription {
  type: string;
  code?: string | number;
  frames?: string[];
  cause?: ErrorDescription;
}

/** Frames kept: enough to see the app's own code under a library's. */
const MAX_FRAMES = 12;

export function describeError(error: unknown, depth = 0): ErrorDescription {
  if (!(error instanceof Error)) return { type: error === null ? "null" : typeof error };
  const description: ErrorDescription = { type: errorClass(error) };
  const code = (error as { code?: unknown }).code;
  if ((typeof code === "string" && /^[\w.-]{1,64}$/.test(code)) || typeof code === "number") description.code = code;
  const frames = stackFrames(error.stack, error.message);
  if (frames.length > 0) description.frames = frames;
  if (depth === 0 && error.cause !== undefined) description.cause = describeError(error.cause, depth + 1);
  return description;
}

function errorClass(error: Error): string {
  const constructorName = error.constructor?.name;
  const name = constructorName && constructorName !== "Error" ? constructorName : error.name;
  // A name is the programmer's, but a subclass may set it from data: keep it a name.
  return /^[\w$.]{1,80}$/.test(name) ? name : "Error";
}

/**
 * The "at …" lines of a V8 stack, as "function (file:line:column)" with paths
 * relative to the working directory. A V8 stack starts with "Name: message",
 * over as many lines as the message has: those are skipped whatever they hold
 * (a message may contain a line that looks like a frame).
 */
function stackFrames(stack: string | undefined, message: string): string[] {
  if (!stack) return [];
  const cwd = `${process.cwd()}/`;
  const headerLines = message.split("\n").length;
  return stack
    .split("\n")
    .slice(headerLines)
    .map((line) => /^\s+at (.+)$/.exec(line)?.[1])
    .filter((frame): frame is string => frame !== undefined && /:\d+(:\d+)?\)?$/.test(frame))
    .slice(0, MAX_FRAMES)
    .map((frame) => frame.replaceAll("file://", "").replaceAll(cwd, ""));
}
