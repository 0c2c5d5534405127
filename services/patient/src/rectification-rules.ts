import { DateTime } from 'luxon';

/**
 * What a patient may ask to correct (SPEC §10, rectification): the patient subgraph's own
 * demographic fields, each with the check a proposed value must pass. Clinical information is
 * corrected by the clinicians who wrote it, not through this process.
 */
export const RECTIFICATION_STATUS = { pending: 'PENDING', accepted: 'ACCEPTED', refused: 'REFUSED' } as const;

type PatientColumn = 'firstName' | 'lastName' | 'dateOfBirth' | 'sex' | 'phone' | 'email' | 'address' | 'healthInsuranceNumber';

/** A valid value (normalized as it will be stored) or what is wrong with it. Never echoes the value. */
export type CheckedValue = { ok: true; value: string } | { ok: false; problem: string };

const ok = (value: string): CheckedValue => ({ ok: true, value });
const wrong = (problem: string): CheckedValue => ({ ok: false, problem });
// No control characters in identity and contact values (a newline in a name is never a correction).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function text(min: number, max: number, what: string) {
  return (raw: string): CheckedValue => {
    const value = raw.trim().replace(/\s+/g, ' ');
    if (value.length < min || value.length > max) return wrong(`${what} must be ${min} to ${max} characters`);
    if (CONTROL.test(value)) return wrong(`${what} must not contain control characters`);
    return ok(value);
  };
}

/** YYYY-MM-DD, a real calendar day, not in the future and not before 1900. */
export function checkedDateOfBirth(raw: string, today: Date = new Date()): CheckedValue {
  const value = raw.trim();
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? DateTime.fromISO(value, { zone: 'utc' }) : undefined;
  if (!day?.isValid) return wrong('a date of birth must be a calendar date YYYY-MM-DD');
  if (value < '1900-01-01') return wrong('a date of birth must not be before 1900-01-01');
  if (day.toJSDate().getTime() > today.getTime()) return wrong('a date of birth must not be in the future');
  return ok(value);
}

/** FHIR's administrative genders, as the record stores them: F, M, X (another gender) or U (unknown). */
export const SEX_VALUES = ['F', 'M', 'X', 'U'] as const;

function checkedSex(raw: string): CheckedValue {
  const value = raw.trim().toUpperCase();
  return (SEX_VALUES as readonly string[]).includes(value) ? ok(value) : wrong(`sex must be one of ${SEX_VALUES.join(', ')}`);
}

function checkedPhone(raw: string): CheckedValue {
  const value = raw.trim().replace(/\s+/g, ' ');
  const digits = value.replace(/\D/g, '');
  if (!/^\+?[\d\s().-]+$/.test(value) || digits.length < 7 || digits.length > 15 || value.length > 32) {
    return wrong('a phone number must be 7 to 15 digits, optionally with +, spaces, dashes, dots or parentheses');
  }
  return ok(value);
}

function checkedEmail(raw: string): CheckedValue {
  const value = raw.trim();
  if (value.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return wrong('an e-mail address must look like name@example.org (at most 254 characters)');
  return ok(value);
}

/** RAMQ health insurance number: 4 letters and 8 digits (spaces ignored, letters upper-cased). */
function checkedHealthInsuranceNumber(raw: string): CheckedValue {
  const value = raw.replace(/\s+/g, '').toUpperCase();
  return /^[A-Z]{4}\d{8}$/.test(value) ? ok(value) : wrong('a health insurance number must be 4 letters followed by 8 digits');
}

interface RectifiableField {
  column: PatientColumn;
  check: (raw: string, today: Date) => CheckedValue;
}

/** `Type.field` of the supergraph → the patient column it corrects and the check of a proposed value. */
export const RECTIFIABLE_FIELDS: Readonly<Record<string, RectifiableField>> = {
  'Patient.firstName': { column: 'firstName', check: text(1, 100, 'a first name') },
  'Patient.lastName': { column: 'lastName', check: text(1, 100, 'a last name') },
  'Patient.dateOfBirth': { column: 'dateOfBirth', check: checkedDateOfBirth },
  'Patient.sex': { column: 'sex', check: checkedSex },
  'Patient.phone': { column: 'phone', check: checkedPhone },
  'Patient.email': { column: 'email', check: checkedEmail },
  'Patient.address': { column: 'address', check: text(5, 255, 'an address') },
  'Patient.healthInsuranceNumber': { column: 'healthInsuranceNumber', check: checkedHealthInsuranceNumber },
};

export type CheckedRectification =
  | { ok: true; field: string; column: PatientColumn; value: string }
  | { ok: false; argument: 'field' | 'proposedValue'; problem: string };

/** Names a rectifiable field as `Patient.phone` (or `phone`), with a proposed value that passes its check. */
export function checkedRectification(field: string, proposedValue: string, today: Date = new Date()): CheckedRectification {
  const name = field.trim();
  const coordinate = name.includes('.') ? name : `Patient.${name}`;
  const rectifiable = RECTIFIABLE_FIELDS[coordinate];
  if (!rectifiable) {
    return { ok: false, argument: 'field', problem: `field must be one of ${Object.keys(RECTIFIABLE_FIELDS).join(', ')}` };
  }
  const checked = rectifiable.check(proposedValue, today);
  return checked.ok ? { ok: true, field: coordinate, column: rectifiable.column, value: checked.value } : { ok: false, argument: 'proposedValue', problem: checked.problem };
}
