const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

const plainText = (status: number, text: string) => new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/**
 * The fields of a form post. Every page action reads its body here: anything
 * else (JSON, text, a multipart body cut short) is a 415 or 400 a person can
 * read, where `request.formData()` alone throws a TypeError, a 500.
 */
export async function requireFormData(request: Request): Promise<FormData> {
  const type = request.headers.get("Content-Type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!FORM_TYPES.has(type)) throw plainText(415, "The request must be a form post (application/x-www-form-urlencoded or multipart/form-data).");
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw plainText(400, "The form in the request could not be read; send it again.");
  }
  // No field of any form may hold a NUL: PostgreSQL refuses it in text (a 500), and no person types one.
  for (const [field, value] of form) {
    if (typeof value === "string" && value.includes("\u0000")) throw plainText(400, `${field}: must not contain a NUL character.`);
  }
  return form;
}
