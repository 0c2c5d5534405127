import { describe, expect, it } from 'vitest';
import { dueDateOf } from './record-requests.js';
import { addressIsDue, documentVerdict, mailingListDueAt, medicalRecordCutoff, medicalRecordDueAt, noteIsDue, recordIsActive, recordVerdict } from './retention-rules.js';
import { CLINIC_RETENTION_SETTINGS, retentionSettings, SEED_PROTECTED_DOCUMENT_KINDS } from './retention-settings.js';

// 10:00 in Montréal (EST, UTC-5).
const at = new Date('2026-01-15T15:00:00Z');
const daysBefore = (days: number) => new Date(at.getTime() - days * 86_400_000);

describe('retention rules of the patient record and the mailing list', () => {
  it('counts 5 years on the clinic calendar', () => {
    expect(medicalRecordCutoff(at).toISOString()).toBe('2021-01-15T15:00:00.000Z');
    expect(medicalRecordDueAt(new Date('2020-03-01T15:00:00Z')).toISOString()).toBe('2025-03-01T15:00:00.000Z');
  });

  it('makes documents more than 5 years old due, whatever the state of the record', () => {
    expect(documentVerdict({ kind: 'VISIT_NOTE', createdAt: daysBefore(2200) }, at)).toBe('DUE');
    expect(documentVerdict({ kind: 'REFERRAL_LETTER', createdAt: daysBefore(2400) }, at)).toBe('DUE');
    expect(documentVerdict({ kind: 'VISIT_NOTE', createdAt: daysBefore(20) }, at)).toBe('NOT_DUE');
    expect(documentVerdict({ kind: 'VISIT_NOTE', createdAt: medicalRecordCutoff(at) }, at)).toBe('NOT_DUE');
    expect(documentVerdict({ kind: 'VISIT_NOTE', createdAt: new Date(medicalRecordCutoff(at).getTime() - 1) }, at)).toBe('DUE');
  });

  it('always keeps pathology, endoscopy, surgical and anesthesia reports', () => {
    for (const kind of ['PATHOLOGY_REPORT', 'ENDOSCOPY_REPORT', 'SURGICAL_REPORT', 'ANESTHESIA_REPORT']) {
      expect(documentVerdict({ kind, createdAt: daysBefore(9000) }, at), kind).toBe('KEPT_PROTECTED');
      expect(documentVerdict({ kind, createdAt: daysBefore(10) }, at), kind).toBe('NOT_DUE');
    }
  });

  it('makes clinical notes more than 5 years old due', () => {
    expect(noteIsDue({ writtenAt: daysBefore(2200) }, at)).toBe(true);
    expect(noteIsDue({ writtenAt: daysBefore(1500) }, at)).toBe(false);
  });

  it('removes mailing-list addresses after 36 months', () => {
    expect(addressIsDue({ subscribedAt: daysBefore(1200) }, at)).toBe(true);
    expect(addressIsDue({ subscribedAt: daysBefore(200) }, at)).toBe(false);
    expect(addressIsDue({ subscribedAt: new Date('2023-01-15T15:00:00Z') }, at)).toBe(false);
    expect(addressIsDue({ subscribedAt: new Date('2023-01-15T14:59:59Z') }, at)).toBe(true);
    expect(mailingListDueAt(new Date('2023-01-15T15:00:00Z')).toISOString()).toBe('2026-01-15T15:00:00.000Z');
  });
});

describe('what the clinic settings do with the old parts of a record (issue 14, seed 002)', () => {
  const active = { lastEntryAt: daysBefore(100), held: false };
  const inactive = { lastEntryAt: daysBefore(2000), held: false };
  it('keeps active records whole by default and destroys the old parts of inactive ones', () => {
    expect(recordIsActive(daysBefore(100), at)).toBe(true);
    expect(recordIsActive(daysBefore(2000), at)).toBe(false);
    expect(recordIsActive(null, at)).toBe(false);
    expect(recordVerdict(active, at)).toBe('ACTIVE_KEPT');
    expect(recordVerdict(inactive, at)).toBe('INACTIVE_DESTROYED');
  });
  it('follows the clinic: purging active records, keeping inactive ones', () => {
    expect(recordVerdict(active, at, retentionSettings({ purgeActiveRecordParts: true }))).toBe('ACTIVE_PURGED');
    expect(recordVerdict(inactive, at, retentionSettings({ destroyInactiveRecordParts: false }))).toBe('INACTIVE_KEPT');
  });
  it('never destroys a held record, whatever the settings', () => {
    const settings = retentionSettings({ purgeActiveRecordParts: true, destroyInactiveRecordParts: true });
    expect(recordVerdict({ ...inactive, held: true }, at, settings)).toBe('HELD');
    expect(recordVerdict({ ...active, held: true }, at, settings)).toBe('HELD');
  });
  it('extends the protected kinds (CMPA or insurer) without dropping the seed’s', () => {
    const settings = retentionSettings({ protectedDocumentKinds: ['CMPA_FLAGGED'] });
    expect(documentVerdict({ kind: 'CMPA_FLAGGED', createdAt: daysBefore(9000) }, at, settings)).toBe('KEPT_PROTECTED');
    expect(documentVerdict({ kind: 'CMPA_FLAGGED', createdAt: daysBefore(9000) }, at)).toBe('DUE');
    for (const kind of SEED_PROTECTED_DOCUMENT_KINDS) expect(settings.protectedDocumentKinds).toContain(kind);
    expect(CLINIC_RETENTION_SETTINGS).toMatchObject({ purgeActiveRecordParts: false, destroyInactiveRecordParts: true });
  });
});

describe('the legal clock (Law 25 s. 32)', () => {
  it('makes a request due 30 days after receipt, on the clinic calendar', () => {
    expect(dueDateOf(new Date('2026-01-15T15:00:00Z')).toISOString()).toBe('2026-02-14T15:00:00.000Z');
    // Across the change to daylight time, the clinic's wall clock is kept.
    expect(dueDateOf(new Date('2026-03-01T15:00:00Z')).toISOString()).toBe('2026-03-31T14:00:00.000Z');
  });
});
