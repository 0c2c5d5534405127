import { randomUUID } from 'node:crypto';
import type { Database, SqlEntityManager } from '@clinic/service-kit';
import type { ChainedEntry, ChainedRegister, ChainedRegisters } from './chained-register.js';
import { Incident } from './entities.js';

/**
 * Emergency accesses are not incidents by default (issue 14): they open a review item, and become an
 * EMERGENCY_ACCESS incident when the privacy officer's review finds misuse; REVIEW_MISUSE is any
 * other review item closed as misuse (review-queue.ts).
 */
export const INCIDENT_KIND = { manual: 'MANUAL', emergencyAccess: 'EMERGENCY_ACCESS', repeatedDenials: 'REPEATED_DENIALS', reviewFoundMisuse: 'REVIEW_MISUSE' } as const;
export const INCIDENT_STATUS = ['OPEN', 'UNDER_REVIEW', 'NOTIFIED', 'CLOSED'] as const;

/** SPEC §9: 5 denials of the same reader on patients outside their duty within 10 minutes. */
export const REPEATED_DENIALS = { count: 5, windowMs: 10 * 60_000 } as const;

/**
 * What an entry of the register holds: SPEC §9's fields and the Commission d'accès à
 * l'information's list (circumstances; the date, the period or an approximate date; whether the
 * number of persons is an estimate; the reasons behind the serious-risk assessment; notices to the
 * public, when and why). Counts and categories only: no patient's name.
 */
export interface IncidentFields {
  description?: string | null;
  circumstances?: string | null;
  occurredAt?: Date | null;
  occurredFrom?: Date | null;
  occurredTo?: Date | null;
  occurredApproximately?: string | null;
  discoveredAt?: Date | null;
  categories?: string[];
  personsConcerned?: number | null;
  personsConcernedApproximate?: boolean | null;
  seriousRisk?: boolean | null;
  seriousRiskReasons?: string | null;
  caiNotifiedAt?: Date | null;
  personsNotifiedAt?: Date | null;
  publicNoticeAt?: Date | null;
  publicNoticeReason?: string | null;
  measures?: string | null;
  status?: string;
}

/** The fields of an entry, in the order the register (and its export) lists them. */
export const INCIDENT_FIELD_NAMES = [
  'description', 'circumstances', 'occurredAt', 'occurredFrom', 'occurredTo', 'occurredApproximately', 'discoveredAt', 'categories',
  'personsConcerned', 'personsConcernedApproximate', 'seriousRisk', 'seriousRiskReasons', 'caiNotifiedAt', 'personsNotifiedAt',
  'publicNoticeAt', 'publicNoticeReason', 'measures', 'status',
] as const satisfies readonly (keyof IncidentFields)[];

/** Who made a change: a staff member (id and role), or the gateway itself for automatic entries. */
export interface IncidentEditor {
  id: string;
  role: string;
}

export const INCIDENT_HISTORY_ACTION = {
  reported: 'REPORTED',
  updated: 'UPDATED',
  openedAutomatically: 'OPENED_AUTOMATICALLY',
  exported: 'EXPORTED',
} as const;

/** One field as it was set: its name and its new value (dates in ISO-8601, lists as JSON, null when cleared). */
export interface IncidentFieldChange {
  field: string;
  value: string | null;
}

/** An entry of the register's edit history (a hash-chained register: append-only, tamper-evident). */
export interface IncidentHistoryEntry {
  action: (typeof INCIDENT_HISTORY_ACTION)[keyof typeof INCIDENT_HISTORY_ACTION];
  /** The incident changed; null for an export of the whole register. */
  incidentId: string | null;
  /** Null: the gateway (an automatic entry). */
  by: string | null;
  byRole: string | null;
  changes: IncidentFieldChange[];
  /** For an export: the format and how many entries it held. */
  format?: string;
  entries?: number;
}

const valueText = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return JSON.stringify(value);
  return String(value);
};

/** The fields of an incident as set, for its first history entry (the ones that hold something). */
function setFields(incident: Incident): IncidentFieldChange[] {
  return INCIDENT_FIELD_NAMES.map((field) => ({ field, value: valueText(incident[field]) })).filter(
    (c) => c.value !== null && !(c.field === 'categories' && c.value === '[]'),
  );
}

export function newIncident(em: SqlEntityManager, kind: string, fields: IncidentFields & { actorId?: string | null; emergencyAccessId?: string | null }, now: Date): Incident {
  return em.create(Incident, {
    id: `inc-${randomUUID()}`,
    kind,
    description: fields.description ?? null,
    circumstances: fields.circumstances ?? null,
    occurredAt: fields.occurredAt ?? null,
    occurredFrom: fields.occurredFrom ?? null,
    occurredTo: fields.occurredTo ?? null,
    occurredApproximately: fields.occurredApproximately ?? null,
    discoveredAt: fields.discoveredAt ?? null,
    categories: fields.categories ?? [],
    personsConcerned: fields.personsConcerned ?? null,
    personsConcernedApproximate: fields.personsConcernedApproximate ?? null,
    seriousRisk: fields.seriousRisk ?? null,
    seriousRiskReasons: fields.seriousRiskReasons ?? null,
    caiNotifiedAt: fields.caiNotifiedAt ?? null,
    personsNotifiedAt: fields.personsNotifiedAt ?? null,
    publicNoticeAt: fields.publicNoticeAt ?? null,
    publicNoticeReason: fields.publicNoticeReason ?? null,
    measures: fields.measures ?? null,
    status: fields.status ?? 'OPEN',
    actorId: fields.actorId ?? null,
    emergencyAccessId: fields.emergencyAccessId ?? null,
    createdAt: now,
  });
}

/** The incident register's edit history: every report, update and automatic entry, and every export. */
export class IncidentHistory {
  readonly register: ChainedRegister<IncidentHistoryEntry>;

  constructor(registers: ChainedRegisters) {
    this.register = registers.open<IncidentHistoryEntry>('incident-history', 'ih');
  }

  /**
   * Records a new entry of the register, in the transaction that opens it (the entry and its history
   * commit together): reported by a staff member, or opened by the gateway itself (`by` null:
   * repeated refusals). Every path that opens an incident calls this after `newIncident`.
   */
  async opened(em: SqlEntityManager, incident: Incident, by: IncidentEditor | null, at: Date): Promise<void> {
    await em.flush();
    const action = by ? INCIDENT_HISTORY_ACTION.reported : INCIDENT_HISTORY_ACTION.openedAutomatically;
    await this.register.appendIn(em, { action, incidentId: incident.id, by: by?.id ?? null, byRole: by?.role ?? null, changes: setFields(incident) }, { at, subjectId: incident.id });
  }

  /** Entries about these incidents, oldest first (one statement for a whole response). */
  async of(incidentIds: readonly string[]): Promise<ChainedEntry<IncidentHistoryEntry>[]> {
    return this.register.list({ subjectIds: incidentIds });
  }

  /** An export of the register, recorded before the document is handed over. */
  async exported(by: IncidentEditor, format: string, entries: number, at: Date): Promise<void> {
    await this.register.append({ action: INCIDENT_HISTORY_ACTION.exported, incidentId: null, by: by.id, byRole: by.role, changes: [], format, entries }, { at, subjectId: null });
  }
}

/** The register as the privacy officer keeps it; every change is written with its history entry. */
export class IncidentRegister {
  /** `detected`: resolves once the incidents this replica is still detecting are written. */
  constructor(
    private readonly db: Database,
    readonly history: IncidentHistory,
    private readonly detected: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /** The register, including what this replica's detection is writing right now (read your writes). */
  async list(): Promise<Incident[]> {
    await this.detected();
    return this.db.fork().find(Incident, {}, { orderBy: { createdAt: 'desc', id: 'asc' } });
  }

  async report(fields: IncidentFields, by: IncidentEditor, now: Date): Promise<Incident> {
    return this.db.fork().transactional(async (em) => {
      const incident = newIncident(em, INCIDENT_KIND.manual, { ...fields, discoveredAt: fields.discoveredAt ?? now }, now);
      await this.history.opened(em, incident, by, now);
      return incident;
    });
  }

  /**
   * Sets the given fields; the history names the fields whose value changed, with their new values.
   * `check` sees the entry as it would be (a period that ends before it starts): throwing writes nothing.
   */
  async update(id: string, fields: IncidentFields, by: IncidentEditor, now: Date, check: (changed: Incident) => void = () => undefined): Promise<Incident | undefined> {
    return this.db.fork().transactional(async (em) => {
      const incident = await em.findOne(Incident, { id });
      if (!incident) return undefined;
      const changes: IncidentFieldChange[] = [];
      for (const field of INCIDENT_FIELD_NAMES) {
        const value = fields[field];
        if (value === undefined || valueText(value) === valueText(incident[field])) continue;
        (incident as Record<string, unknown>)[field] = value;
        changes.push({ field, value: valueText(value) });
      }
      if (changes.length === 0) return incident;
      check(incident);
      await em.flush();
      await this.history.register.appendIn(em, { action: INCIDENT_HISTORY_ACTION.updated, incidentId: id, by: by.id, byRole: by.role, changes }, { at: now, subjectId: id });
      return incident;
    });
  }
}
