import { randomUUID } from 'node:crypto';
import type { Database, SqlEntityManager } from '@clinic/service-kit';
import type { AuditEntry } from './audit-log.js';
import { AuditEvent, Incident } from './entities.js';

export const INCIDENT_KIND = { manual: 'MANUAL', emergencyAccess: 'EMERGENCY_ACCESS', repeatedDenials: 'REPEATED_DENIALS' } as const;
export const INCIDENT_STATUS = ['OPEN', 'UNDER_REVIEW', 'NOTIFIED', 'CLOSED'] as const;

/** SPEC §9: 5 denials of the same reader on patients outside their duty within 10 minutes. */
export const REPEATED_DENIALS = { count: 5, windowMs: 10 * 60_000 } as const;

export interface IncidentFields {
  description?: string | null;
  occurredAt?: Date | null;
  discoveredAt?: Date | null;
  categories?: string[];
  personsConcerned?: number | null;
  seriousRisk?: boolean | null;
  caiNotifiedAt?: Date | null;
  personsNotifiedAt?: Date | null;
  measures?: string | null;
  status?: string;
}

export function newIncident(em: SqlEntityManager, kind: string, fields: IncidentFields & { actorId?: string | null; emergencyAccessId?: string | null }, now: Date): Incident {
  return em.create(Incident, {
    id: `inc-${randomUUID()}`,
    kind,
    description: fields.description ?? null,
    occurredAt: fields.occurredAt ?? null,
    discoveredAt: fields.discoveredAt ?? null,
    categories: fields.categories ?? [],
    personsConcerned: fields.personsConcerned ?? null,
    seriousRisk: fields.seriousRisk ?? null,
    caiNotifiedAt: fields.caiNotifiedAt ?? null,
    personsNotifiedAt: fields.personsNotifiedAt ?? null,
    measures: fields.measures ?? null,
    status: fields.status ?? 'OPEN',
    actorId: fields.actorId ?? null,
    emergencyAccessId: fields.emergencyAccessId ?? null,
    createdAt: now,
  });
}

/**
 * Opens one REPEATED_DENIALS incident for a reader refused NO_DUTY on 5 patient records within 10
 * minutes, unless one was opened for them within that window. Runs inside the audit append, so the
 * count sees this request's denials and concurrent appends cannot open it twice.
 */
export async function openRepeatedDenialIncidents(em: SqlEntityManager, entries: readonly AuditEntry[], now: Date): Promise<void> {
  const readers = new Set(entries.filter((e) => e.decision === 'DENY' && e.reason === 'NO_DUTY' && e.actorId).map((e) => e.actorId as string));
  const since = new Date(now.getTime() - REPEATED_DENIALS.windowMs);
  for (const actorId of readers) {
    const denials = await em.count(AuditEvent, { actorId, decision: 'DENY', reason: 'NO_DUTY', at: { $gt: since } });
    if (denials < REPEATED_DENIALS.count) continue;
    const open = await em.count(Incident, { actorId, kind: INCIDENT_KIND.repeatedDenials, createdAt: { $gt: since } });
    if (open > 0) continue;
    newIncident(
      em,
      INCIDENT_KIND.repeatedDenials,
      {
        description: `${denials} refusals (no duty) of reader ${actorId} within ${REPEATED_DENIALS.windowMs / 60_000} minutes`,
        occurredAt: now,
        discoveredAt: now,
        actorId,
      },
      now,
    );
    await em.flush();
  }
}

/** The register as the privacy officer keeps it. */
export class IncidentRegister {
  constructor(private readonly db: Database) {}

  list(): Promise<Incident[]> {
    return this.db.fork().find(Incident, {}, { orderBy: { createdAt: 'desc', id: 'asc' } });
  }

  async report(fields: IncidentFields, now: Date): Promise<Incident> {
    const em = this.db.fork();
    const incident = newIncident(em, INCIDENT_KIND.manual, { ...fields, discoveredAt: fields.discoveredAt ?? now }, now);
    await em.flush();
    return incident;
  }

  async update(id: string, fields: IncidentFields): Promise<Incident | undefined> {
    const em = this.db.fork();
    const incident = await em.findOne(Incident, { id });
    if (!incident) return undefined;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) (incident as Record<string, unknown>)[key] = value;
    }
    await em.flush();
    return incident;
  }
}
