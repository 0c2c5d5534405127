import type { DenialReason } from '../policy/verdict.js';

export interface AccessGroup {
  patientId: string;
  decision: 'ALLOW' | 'DENY';
  reason: DenialReason | null;
  fields: string[];
}

/** Writes one allowed write's event at once, before the write runs (throws when it cannot). */
export type WriteAhead = (group: AccessGroup, operationName: string | null) => Promise<void>;

interface PatientAccesses {
  allowed: Set<string>;
  denied: Map<DenialReason, Set<string>>;
}

/**
 * The decisions a request took on patients' information, gathered while it runs and written to the
 * audit log, grouped per patient and decision, before the response leaves.
 */
export class AccessRecorder {
  private readonly byPatient = new Map<string, PatientAccesses>();

  constructor(private readonly writeAhead?: WriteAhead) {}

  /**
   * An allowed write to a patient's record is logged before it runs: if the audit log cannot be
   * written, the write does not happen (a read is withheld at the end instead).
   */
  async recordWriteAhead(patientId: string, coordinate: string, operationName: string | null): Promise<void> {
    if (!this.writeAhead) {
      this.record(patientId, coordinate, { allowed: true });
      return;
    }
    await this.writeAhead({ patientId, decision: 'ALLOW', reason: null, fields: [coordinate] }, operationName);
  }

  record(patientId: string, coordinate: string, decision: { allowed: true } | { allowed: false; reason: DenialReason }): void {
    let accesses = this.byPatient.get(patientId);
    if (!accesses) {
      accesses = { allowed: new Set(), denied: new Map() };
      this.byPatient.set(patientId, accesses);
    }
    if (decision.allowed) {
      accesses.allowed.add(coordinate);
    } else {
      const fields = accesses.denied.get(decision.reason) ?? new Set<string>();
      fields.add(coordinate);
      accesses.denied.set(decision.reason, fields);
    }
  }

  get patients(): string[] {
    return [...this.byPatient.keys()];
  }

  /** One group per patient and decision: ALLOW with the fields served, DENY with its reason and fields. */
  groups(): AccessGroup[] {
    return [...this.byPatient.entries()].flatMap(([patientId, { allowed, denied }]) => [
      ...(allowed.size ? [{ patientId, decision: 'ALLOW' as const, reason: null, fields: [...allowed].sort() }] : []),
      ...[...denied.entries()].map(([reason, fields]) => ({ patientId, decision: 'DENY' as const, reason, fields: [...fields].sort() })),
    ]);
  }
}
