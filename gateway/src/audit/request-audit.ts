import type { AuditEntry } from '../audit-store/audit-log.js';
import type { OpenEmergencyAccess } from '../policy/checks.js';
import type { DenialReason, Verdict } from '../policy/verdict.js';
import type { RequestFacts } from '../request-facts.js';

/** Where a request's audit events go (the audit log: one transaction, group commit). */
export interface AuditSink {
  append(entries: readonly AuditEntry[], at: Date): Promise<void>;
}

interface PatientAccesses {
  allowed: Set<string>;
  /** The allowed fields in the order recorded, joined (rows of a list record theirs in the same order); undefined after a removal. */
  allowedInOrder: string | undefined;
  denied: Map<DenialReason, Set<string>>;
}

type Group = Pick<AuditEntry, 'decision' | 'reason' | 'fields' | 'emergencyAccessId' | 'patientIds'>;

/**
 * Names the caller chooses are stored cut to this length: an audit event must always fit its
 * columns (varchar(255) in PostgreSQL), or the read it records could not be served.
 */
const STORED_NAME_LENGTH = 100;
const stored = (name: string | null) => (name ? name.slice(0, STORED_NAME_LENGTH) : null);

/**
 * The one audit recorder of a request: every decision on a patient's information is recorded
 * here (field rules, withheld rows, the gateway's own fields), and written once, before the
 * response leaves, as one event per decision group (FHIR AuditEvent: one event, many patients).
 * An allowed write is logged by `writeAhead` before it runs.
 */
export class RequestAudit {
  private readonly byPatient = new Map<string, PatientAccesses>();
  /** The privacy officer's searches of the log made by this request (each one event of its own). */
  private readonly searches: Group[] = [];
  private readonly searchFilters: string[] = [];

  constructor(
    private readonly facts: RequestFacts,
    private readonly sink: AuditSink,
    /** The reader's open emergency accesses (one look-up per request, shared with the rules; none, without a look-up, for a reader the rules never let break the glass). */
    private readonly emergencyAccesses: () => Promise<ReadonlyMap<string, OpenEmergencyAccess>>,
    /** The version of the compiled rules deciding this request (CompiledPolicy.version). */
    private readonly rulesVersion: string | null = null,
  ) {}

  /**
   * Records a search of the audit log as an event of its own: what it asked for and which events it
   * returned (canonical JSON, no value of a record). It names no patient: it read the log, not a
   * record, so it stays out of patients' access logs; its filters and the range of events it
   * returned say exactly what it saw (the log is append-only).
   */
  recordSearch(coordinate: string, filters: string): void {
    this.searches.push({ decision: 'ALLOW', reason: null, fields: [coordinate], emergencyAccessId: null, patientIds: [] });
    this.searchFilters.push(filters);
  }

  /** Records a decision; a refusal overrides an earlier allowance of the same field (a record gate refusing what a root rule let through). */
  record(patientId: string, coordinate: string, verdict: Verdict): void {
    let accesses = this.byPatient.get(patientId);
    if (!accesses) {
      accesses = { allowed: new Set(), allowedInOrder: '', denied: new Map() };
      this.byPatient.set(patientId, accesses);
    }
    if (verdict.allow) {
      if (accesses.allowed.has(coordinate)) return;
      accesses.allowed.add(coordinate);
      if (accesses.allowedInOrder !== undefined) accesses.allowedInOrder += `${coordinate},`;
      return;
    }
    if (accesses.allowed.delete(coordinate)) accesses.allowedInOrder = undefined;
    let fields = accesses.denied.get(verdict.reason);
    if (!fields) {
      fields = new Set();
      accesses.denied.set(verdict.reason, fields);
    }
    fields.add(coordinate);
  }

  /** Logs an allowed write to a patient's record before it runs; throws when it cannot (the write then does not happen). */
  async writeAhead(patientId: string, coordinate: string, operationName: string | null): Promise<void> {
    const emergency = (await this.emergencyAccesses()).get(patientId)?.id ?? null;
    const group: Group = { decision: 'ALLOW', reason: null, fields: [coordinate], emergencyAccessId: emergency, patientIds: [patientId] };
    await this.sink.append([this.entry(group, operationName)], this.facts.now);
  }

  get isEmpty(): boolean {
    return this.byPatient.size === 0 && this.searches.length === 0;
  }

  /** Writes the request's events (one transaction); throws when the log cannot be written. */
  async flush(operationName: string | null): Promise<void> {
    if (this.isEmpty || !this.facts.viewer) return;
    const emergency = await this.emergencyAccesses();
    const groups = new Map<string, Group>();
    // The sorted fields of each set of fields met, by the order they were recorded in: the rows of a
    // list share one, so a hundred patients cost one sort.
    const sorted = new Map<string, { fields: string[]; joined: string }>();
    const add = (patientId: string, decision: 'ALLOW' | 'DENY', reason: DenialReason | null, fieldSet: Set<string>, inOrder: string | undefined) => {
      let canonical = inOrder === undefined ? undefined : sorted.get(inOrder);
      if (!canonical) {
        const fields = [...fieldSet].sort();
        canonical = { fields, joined: fields.join(',') };
        if (inOrder !== undefined) sorted.set(inOrder, canonical);
      }
      const emergencyAccessId = emergency.get(patientId)?.id ?? null;
      const key = `${decision}|${reason ?? ''}|${emergencyAccessId ?? ''}|${canonical.joined}`;
      const group = groups.get(key);
      if (group) group.patientIds.push(patientId);
      else groups.set(key, { decision, reason, fields: canonical.fields, emergencyAccessId, patientIds: [patientId] });
    };
    for (const [patientId, { allowed, allowedInOrder, denied }] of this.byPatient) {
      if (allowed.size) add(patientId, 'ALLOW', null, allowed, allowedInOrder);
      for (const [reason, fields] of denied) add(patientId, 'DENY', reason, fields, undefined);
    }
    const searches = this.searches.map((group, i) => ({ ...this.entry(group, operationName), filters: this.searchFilters[i] ?? null }));
    await this.sink.append([...[...groups.values()].map((group) => this.entry(group, operationName)), ...searches], this.facts.now);
  }

  private entry(group: Group, operationName: string | null): AuditEntry {
    return {
      actorId: this.facts.viewer?.id ?? null,
      role: this.facts.viewer?.role ?? null,
      ...group,
      operationName: stored(operationName),
      clientName: stored(this.facts.clientName),
      requestId: this.facts.requestId,
      clientRequestId: this.facts.clientRequestId ?? null,
      rulesVersion: this.rulesVersion,
    };
  }
}
