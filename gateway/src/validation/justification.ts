/**
 * An emergency access must say why (SPEC §7: at least 20 characters). What counts is what a reader
 * of the incident register can see: letters and digits. Invisible characters (zero-width spaces,
 * word joiners), spaces and punctuation do not count, and a run of one repeated character says nothing.
 */
export const MIN_JUSTIFICATION_SIGNS = 20;
export const MAX_JUSTIFICATION_LENGTH = 4000;

const SIGN = /[\p{L}\p{N}]/gu;
/** Control characters other than ordinary line breaks and tabs. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export type JustificationCheck = { ok: true; text: string } | { ok: false; message: string };

export function checkedJustification(raw: string): JustificationCheck {
  const text = raw.trim();
  if (text.length > MAX_JUSTIFICATION_LENGTH) return { ok: false, message: `justification must be at most ${MAX_JUSTIFICATION_LENGTH} characters` };
  if (CONTROL.test(text)) return { ok: false, message: 'justification must not contain control characters' };
  const signs = (text.normalize('NFKC').match(SIGN) ?? []).map((c) => c.toLowerCase());
  if (signs.length < MIN_JUSTIFICATION_SIGNS) {
    return { ok: false, message: `justification must say, in at least ${MIN_JUSTIFICATION_SIGNS} characters (letters or digits: spaces, punctuation and invisible characters do not count), why the patient's life or safety is at risk` };
  }
  if (new Set(signs).size < 2) return { ok: false, message: 'justification must say why, not repeat one character' };
  return { ok: true, text };
}
