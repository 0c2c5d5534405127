/**
 * THE CLINIC'S RETENTION SETTINGS: the one place a privacy reviewer reads (issue 14). Every
 * retention decision of the patient subgraph reads these values; nothing else chooses what is kept.
 *
 * Seed 002 (Centre Médical Mieux-Être): "The medical file is considered active when the last
 * registration is less than 5 years old. The portion of the active file that is less than 5 years
 * old must be retained. Similarly, the portion of the active file that is more than 5 years old may
 * be destroyed, with the exception of: Pathology reports; Endoscopy reports; Surgical and anesthesia
 * reports from major surgeries; Any other document identified by the Canadian Medical Protective
 * Association (CMPA) or the private insurer." and "There is no obligation to purge an active file
 * or destroy an inactive one."
 * Seed 000 (Clinique Omicron): "As long as the doctor-patient relationship lasts" — a clinic that
 * keeps inactive records turns `destroyInactiveRecordParts` off.
 */
export interface ClinicRetentionSettings {
  /** Whether applyRetention destroys the parts older than 5 years of a record without an entry for 5 years. */
  destroyInactiveRecordParts: boolean;
  /** Whether applyRetention also purges the parts older than 5 years of an active record ("may", not "must"). */
  purgeActiveRecordParts: boolean;
  /** Document kinds never destroyed by the rules nor by a patient's request. */
  protectedDocumentKinds: readonly string[];
}

/** The kinds seed 002 names; always protected, whatever a clinic adds. */
export const SEED_PROTECTED_DOCUMENT_KINDS = ['PATHOLOGY_REPORT', 'ENDOSCOPY_REPORT', 'SURGICAL_REPORT', 'ANESTHESIA_REPORT'] as const;

/**
 * Kinds the CMPA or the clinic's insurer identifies. A clinic adds them here (reviewed like the
 * rules file); they are kept exactly like the seed's reports.
 */
export const CMPA_OR_INSURER_DOCUMENT_KINDS: readonly string[] = [];

export const CLINIC_RETENTION_SETTINGS: ClinicRetentionSettings = Object.freeze({
  destroyInactiveRecordParts: true,
  purgeActiveRecordParts: false,
  protectedDocumentKinds: Object.freeze([...SEED_PROTECTED_DOCUMENT_KINDS, ...CMPA_OR_INSURER_DOCUMENT_KINDS]),
});

/** The settings with a clinic's choices applied; the seed's protected kinds cannot be removed. */
export function retentionSettings(overrides: Partial<ClinicRetentionSettings> = {}): ClinicRetentionSettings {
  const extra = overrides.protectedDocumentKinds ?? [];
  return {
    ...CLINIC_RETENTION_SETTINGS,
    ...overrides,
    protectedDocumentKinds: [...new Set([...CLINIC_RETENTION_SETTINGS.protectedDocumentKinds, ...extra])],
  };
}
