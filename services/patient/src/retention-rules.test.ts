import { describe, expect, it } from 'vitest';
import { addressIsDue, documentVerdict, mailingListDueAt, medicalRecordCutoff, medicalRecordDueAt, noteIsDue } from './retention-rules.js';

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
