import { randomUUID } from 'node:crypto';
import type { Database } from '@clinic/service-kit';
import { EmergencyAccess } from './entities.js';
import { INCIDENT_KIND, newIncident } from './incident-register.js';

/** SPEC §7: an emergency access lasts 60 minutes. */
export const EMERGENCY_ACCESS_MINUTES = 60;
export const MIN_JUSTIFICATION_LENGTH = 20;

/** Emergency accesses, shared by every gateway replica through the audit store. */
export class EmergencyAccessRegister {
  constructor(private readonly db: Database) {}

  /** Opens an access and, in the same transaction, its incident for the privacy officer's review. */
  async open(grant: { patientId: string; grantedTo: string; role: string; justification: string }, now: Date): Promise<EmergencyAccess> {
    return this.db.fork().transactional(async (em) => {
      const access = em.create(EmergencyAccess, {
        id: `ea-${randomUUID()}`,
        ...grant,
        openedAt: now,
        expiresAt: new Date(now.getTime() + EMERGENCY_ACCESS_MINUTES * 60_000),
      });
      newIncident(
        em,
        INCIDENT_KIND.emergencyAccess,
        {
          description: `Emergency access ${access.id} opened by ${grant.grantedTo} (${grant.role}) for patient ${grant.patientId}: to review`,
          occurredAt: now,
          discoveredAt: now,
          categories: ['CLINICAL', 'CONTACT'],
          personsConcerned: 1,
          actorId: grant.grantedTo,
          emergencyAccessId: access.id,
        },
        now,
      );
      return access;
    });
  }

  /**
   * The reader's accesses open at `now`, for a batch of patients: one small statement per request.
   * It asks for all of the reader's open accesses (a handful at most, usually none) rather than
   * naming every patient of the batch, and keeps those of the batch.
   */
  async openFor(readerId: string, patientIds: readonly string[], now: Date): Promise<Pick<EmergencyAccess, 'id' | 'patientId' | 'expiresAt'>[]> {
    if (patientIds.length === 0) return [];
    // Plain rows, not entities: this runs on every request that reads patients.
    const open = await this.db
      .fork()
      .createQueryBuilder(EmergencyAccess)
      .select(['id', 'patientId', 'expiresAt'])
      .where({ grantedTo: readerId, openedAt: { $lte: now }, expiresAt: { $gt: now } })
      .orderBy({ expiresAt: 'desc' })
      .execute('all');
    const wanted = new Set(patientIds);
    return open.filter((access) => wanted.has(access.patientId));
  }
}
