import { DateTime } from 'luxon';
import { clinicTimeZone } from '@clinic/schema';
import { CLINIC_RETENTION_SETTINGS, type ClinicRetentionSettings } from './retention-settings.js';

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

/** Pathology, endoscopy, surgical and anesthesia reports (and the clinic's additions) are kept whatever their age. */
export const PROTECTED_DOCUMENT_KINDS: ReadonlySet<string> = new Set(CLINIC_RETENTION_SETTINGS.protectedDocumentKinds);

export const MEDICAL_RECORD_RULE: RetentionRule = {
  code: 'MEDICAL_RECORD_5_YEARS',
  description:
    'The parts of a record more than 5 years old (diagnoses, vitals, medications, allergies, appointments, notes, documents) are destroyed when the record has had no entry for 5 years (inactive) and holds no legal hold; active records keep everything unless the clinic purges them; pathology, endoscopy, surgical and anesthesia reports are always kept',
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
export function documentVerdict(document: { kind: string; createdAt: Date }, at: Date, settings: ClinicRetentionSettings = CLINIC_RETENTION_SETTINGS): DocumentVerdict {
  if (document.createdAt.getTime() >= medicalRecordCutoff(at).getTime()) return 'NOT_DUE';
  return settings.protectedDocumentKinds.includes(document.kind) ? 'KEPT_PROTECTED' : 'DUE';
}

/** Seed 002: "The medical file is considered active when the last registration is less than 5 years old." */
export function recordIsActive(lastEntryAt: Date | null, at: Date): boolean {
  return lastEntryAt !== null && lastEntryAt.getTime() >= medicalRecordCutoff(at).getTime();
}

export type RecordVerdict = 'ACTIVE_KEPT' | 'ACTIVE_PURGED' | 'INACTIVE_DESTROYED' | 'INACTIVE_KEPT' | 'HELD';

/**
 * What the rules do with the old parts of one record at `at`: a held record is never destroyed;
 * an active one keeps everything unless the clinic purges active records; an inactive one loses
 * its old unprotected parts unless the clinic keeps inactive records.
 */
export function recordVerdict(record: { lastEntryAt: Date | null; held: boolean }, at: Date, settings: ClinicRetentionSettings = CLINIC_RETENTION_SETTINGS): RecordVerdict {
  if (record.held) return 'HELD';
  if (recordIsActive(record.lastEntryAt, at)) return settings.purgeActiveRecordParts ? 'ACTIVE_PURGED' : 'ACTIVE_KEPT';
  return settings.destroyInactiveRecordParts ? 'INACTIVE_DESTROYED' : 'INACTIVE_KEPT';
}

/** The later of two instants (the record's last entry from several sources). */
export const latest = (...dates: (Date | null | undefined)[]): Date | null =>
  dates.reduce<Date | null>((best, d) => (d && (!best || d.getTime() > best.getTime()) ? d : best), null);

/** Whether a clinical note is due for destruction at `at`. */
export function noteIsDue(note: { writtenAt: Date }, at: Date): boolean {
  return note.writtenAt.getTime() < medicalRecordCutoff(at).getTime();
}

/** Whether a mailing-list address is due for removal at `at`. */
export function addressIsDue(subscription: { subscribedAt: Date }, at: Date): boolean {
  return subscription.subscribedAt.getTime() < mailingListCutoff(at).getTime();
}
