/**
 * Customer data as support staff see it by default: enough to recognise a
 * buyer who writes in ("j•••@e•••.com", "•••• 99"), not enough to copy it
 * elsewhere. The full value is shown only after an audited reveal.
 */
const DOT = "•••";

export function maskText(value: string): string {
  const trimmed = value.trim();
  return trimmed ? `${trimmed.charAt(0)}${DOT}` : "";
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return maskText(email);
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf(".");
  const tld = dot > 0 ? domain.slice(dot) : "";
  return `${maskText(email.slice(0, at))}@${maskText(dot > 0 ? domain.slice(0, dot) : domain)}${tld}`;
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  return digits.length > 2 ? `${DOT}${DOT.charAt(0)} ${digits.slice(-2)}` : DOT;
}

/**
 * A buyer's name in a list of payments: the initial of the given name and the
 * family name ("C. Roy"), which is how staff recognise the buyer who wrote in
 * without the list spelling out everyone's full name.
 */
export function maskName(givenName: string | null, familyName: string | null): string {
  const given = givenName?.trim() ?? "";
  const family = familyName?.trim() ?? "";
  if (!given) return family;
  return family ? `${given.charAt(0)}. ${family}` : `${given.charAt(0)}.`;
}
