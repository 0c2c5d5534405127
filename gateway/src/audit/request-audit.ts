import type { AuditEntry } from '../audit-store/audit-log.js';
import type { OpenEmergencyAccess } from '../policy/checks.js';
import type { DenialReason, Verdict } from '../policy/verdict.js';
import type { RequestFacts } from '../request-facts.js';

/** Where a request's audit events go (the audit log: one transaction, group commit). */
export interface AuditSink {
  append(entries: readonly AuditEntry[], at: Date): Promise<void>;
}

/**
 * The fields allowed of a patient, as the path of the order they were recorded in: the rows of a
 * list record the same fields in the same order, so they share one path, and recording a field a
 * row already has, or that another row took the same way, allocates nothing.
 */
class AllowedPath {
  private readonly next = new Map<string, AllowedPath>();
  private canonical: { fields: string[]; key: string } | undefined;

  constructor(readonly fields: ReadonlySet<string>) {}

  with(coordinate: string): AllowedPath {
    if (this.fields.has(coordinate)) return this;
    let path = this.next.get(coordinate);
    if (!path) {
      path = new AllowedPath(new Set(this.fields).add(coordinate));
      this.next.set(coordinate, path);
    }
    return path;
  }

  /** The fields sorted, and the key of their allowance without emergency access: computed once per path, not per patient. */
  get sorted(): { fields: string[]; key: string } {
    this.canonical ??= canonicalOf('ALLOW', null, null, this.fields);
    return this.canonical;
  }
}

interface PatientAccesses {
  /** The allowed fields, as a path shared with the rows that recorded the same. */
  allowed: AllowedPath;
  denied: Map<DenialReason, Set<string>> | undefined;
}

/** A decision group's sorted fields and its key (decision, reason, emergency access, fields). */
function canonicalOf(decision: 'ALLOW' | 'DENY', reason: DenialReason | null, emergencyAccessId: string | null, fieldSet: ReadonlySet<string>) {
  const fields = [...fieldSet].sort();
  return { fields, key: groupKey(decision, reason, emergencyAccessId, fields.join(',')) };
}

const groupKey = (decision: 'ALLOW' | 'DENY', reason: DenialReason | null, emergencyAccessId: string | null, joined: string) =>
  `${decision}|${reason ?? ''}|${emergencyAccessId ?? ''}|${joined}`;

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
  /** The root of this request's allowed paths (per request: nothing is shared across requests). */
  private readonly nothingAllowed = new AllowedPath(new Set());
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
      accesses = { allowed: this.nothingAllowed, denied: undefined };
      this.byPatient.set(patientId, accesses);
    }
    if (verdict.allow) {
      accesses.allowed = accesses.allowed.with(coordinate);
      return;
    }
    // The allowance taken back: the path of the other fields, in their order (rare, so walked again).
    if (accesses.allowed.fields.has(coordinate)) {
      accesses.allowed = [...accesses.allowed.fields].filter((f) => f !== coordinate).reduce((path, f) => path.with(f), this.nothingAllowed);
    }
    accesses.denied ??= new Map();
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
    const add = (patientId: string, emergencyAccessId: string | null, decision: 'ALLOW' | 'DENY', reason: DenialReason | null, canonical: { fields: string[]; key: string }) => {
      const group = groups.get(canonical.key);
      if (group) group.patientIds.push(patientId);
      else groups.set(canonical.key, { decision, reason, fields: canonical.fields, emergencyAccessId, patientIds: [patientId] });
    };
    for (const [patientId, { allowed, denied }] of this.byPatient) {
      const emergencyAccessId = emergency.get(patientId)?.id ?? null;
      // A list's rows share their path: its fields are sorted, and its key made, once for a hundred patients.
      if (allowed.fields.size) add(patientId, emergencyAccessId, 'ALLOW', null, emergencyAccessId === null ? allowed.sorted : canonicalOf('ALLOW', null, emergencyAccessId, allowed.fields));
      for (const [reason, fields] of denied ?? []) add(patientId, emergencyAccessId, 'DENY', reason, canonicalOf('DENY', reason, emergencyAccessId, fields));
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
