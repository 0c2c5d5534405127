import { randomUUID } from 'node:crypto';
import type { Database, SqlEntityManager } from '@clinic/service-kit';
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

/** The register as the privacy officer keeps it. */
export class IncidentRegister {
  /** `detected`: resolves once the incidents this replica is still detecting are written. */
  constructor(
    private readonly db: Database,
    private readonly detected: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /** The register, including what this replica's detection is writing right now (read your writes). */
  async list(): Promise<Incident[]> {
    await this.detected();
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
