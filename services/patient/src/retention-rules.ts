import { DateTime } from 'luxon';
import { clinicTimeZone } from '@clinic/schema';

/**
 * The retention rules the patient subgraph applies (SPEC §11), as pure functions of the request's
 * clock. Periods are counted on the clinic's calendar (time zone of the clinic).
 */
export interface RetentionRule {
  code: string;
  description: string;
  /** DESTROY deletes the item; ANONYMIZE keeps the record and removes the personal information in it. */
  action: 'DESTROY' | 'ANONYMIZE';
}

/** Pathology, endoscopy, surgical and anesthesia reports are kept whatever their age. */
export const PROTECTED_DOCUMENT_KINDS: ReadonlySet<string> = new Set(['PATHOLOGY_REPORT', 'ENDOSCOPY_REPORT', 'SURGICAL_REPORT', 'ANESTHESIA_REPORT']);

export const MEDICAL_RECORD_RULE: RetentionRule = {
  code: 'MEDICAL_RECORD_5_YEARS',
  description:
    'Documents and clinical notes more than 5 years old are destroyed; pathology, endoscopy, surgical and anesthesia reports are always kept',
  action: 'DESTROY',
};

export const MAILING_LIST_RULE: RetentionRule = {
  code: 'MAILING_LIST_36_MONTHS',
  description: 'Mailing-list addresses are removed 36 months after subscription (the patient is asked again for the newsletter)',
  action: 'DESTROY',
};

export const PATIENT_RETENTION_RULES: readonly RetentionRule[] = [MEDICAL_RECORD_RULE, MAILING_LIST_RULE];

export const MEDICAL_RECORD_YEARS = 5;
export const MAILING_LIST_MONTHS = 36;

const minus = (at: Date, duration: { years?: number; months?: number }) => DateTime.fromJSDate(at, { zone: clinicTimeZone() }).minus(duration).toJSDate();
const plus = (at: Date, duration: { years?: number; months?: number }) => DateTime.fromJSDate(at, { zone: clinicTimeZone() }).plus(duration).toJSDate();

/** Documents and notes written before this instant are more than 5 years old at `at`. */
export const medicalRecordCutoff = (at: Date): Date => minus(at, { years: MEDICAL_RECORD_YEARS });
/** When a document or note written at `writtenAt` becomes due. */
export const medicalRecordDueAt = (writtenAt: Date): Date => plus(writtenAt, { years: MEDICAL_RECORD_YEARS });

/** Addresses subscribed before this instant are more than 36 months old at `at`. */
export const mailingListCutoff = (at: Date): Date => minus(at, { months: MAILING_LIST_MONTHS });
export const mailingListDueAt = (subscribedAt: Date): Date => plus(subscribedAt, { months: MAILING_LIST_MONTHS });

export type DocumentVerdict = 'DUE' | 'KEPT_PROTECTED' | 'NOT_DUE';

/** Whether a document is due for destruction at `at`: old enough, and not a protected report. */
export function documentVerdict(document: { kind: string; createdAt: Date }, at: Date): DocumentVerdict {
  if (document.createdAt.getTime() >= medicalRecordCutoff(at).getTime()) return 'NOT_DUE';
  return PROTECTED_DOCUMENT_KINDS.has(document.kind) ? 'KEPT_PROTECTED' : 'DUE';
}

/** Whether a clinical note is due for destruction at `at`. */
export function noteIsDue(note: { writtenAt: Date }, at: Date): boolean {
  return note.writtenAt.getTime() < medicalRecordCutoff(at).getTime();
}

/** Whether a mailing-list address is due for removal at `at`. */
export function addressIsDue(subscription: { subscribedAt: Date }, at: Date): boolean {
  return subscription.subscribedAt.getTime() < mailingListCutoff(at).getTime();
}
