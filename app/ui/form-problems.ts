/**
 * Field problems as people read them. Schemas say what is wrong with a field in
 * a fragment ("is required", "must be at most 255 characters"), which an API
 * answer pairs with the field's name; a form shows each problem once, at its
 * field or, for a field without a place of its own, in the form's banner, so
 * there it must be a whole sentence with the field's label: "Account name is
 * required." A message that already is a sentence is kept as it is.
 */
export interface FieldProblem {
  field: string;
  message: string;
}

export function problemSentence(label: string, message: string): string {
  const text = /^\p{Ll}/u.test(message) ? `${label} ${message}` : message;
  return /[.!?…]$/u.test(text) ? text : `${text}.`;
}

/** Every problem as a sentence, with the form's label for its field (the field's name in quotes when it has none). */
export function problemsAsSentences(problems: readonly FieldProblem[], labels: Readonly<Record<string, string>>): FieldProblem[] {
  return problems.map((problem) => ({ field: problem.field, message: problemSentence(labels[problem.field] ?? `“${problem.field}”`, problem.message) }));
}

/** The problem of one field, if any. */
export function problemOf(problems: readonly FieldProblem[] | undefined, field: string): string | undefined {
  return problems?.find((problem) => problem.field === field)?.message;
}
