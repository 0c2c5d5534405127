import { randomUUID } from 'node:crypto';
import type { Database } from '@clinic/service-kit';
import { EmergencyAccess } from './entities.js';
import { newReviewItem, REVIEW_KIND } from './review-queue.js';

/** SPEC §7: an emergency access lasts 60 minutes. */
export const EMERGENCY_ACCESS_MINUTES = 60;
export const MIN_JUSTIFICATION_LENGTH = 20;

/** Emergency accesses, shared by every gateway replica through the audit store. */
export class EmergencyAccessRegister {
  constructor(private readonly db: Database) {}

  /**
   * Opens an access and, in the same transaction, its item in the privacy officer's review queue
   * (issue 14: an emergency access is an incident only when the review finds misuse).
   */
  async open(grant: { patientId: string; grantedTo: string; role: string; justification: string }, now: Date): Promise<EmergencyAccess> {
    return this.db.fork().transactional(async (em) => {
      const access = em.create(EmergencyAccess, {
        id: `ea-${randomUUID()}`,
        ...grant,
        openedAt: now,
        expiresAt: new Date(now.getTime() + EMERGENCY_ACCESS_MINUTES * 60_000),
      });
      newReviewItem(em, {
        kind: REVIEW_KIND.emergencyAccess,
        caseKey: `${REVIEW_KIND.emergencyAccess}:${access.id}`,
        openedAt: now,
        actorId: grant.grantedTo,
        patientIds: [grant.patientId],
        trigger: `Emergency access ${access.id} opened by ${grant.grantedTo} (${grant.role}) for patient ${grant.patientId}, ${EMERGENCY_ACCESS_MINUTES} minutes`,
        emergencyAccessId: access.id,
      });
      return access;
    });
  }

  /** The reader's emergency accesses open at `now`, latest expiry first (one statement per request). */
  async openFor(readerId: string, now: Date): Promise<Pick<EmergencyAccess, 'id' | 'patientId' | 'expiresAt'>[]> {
    // One prepared statement, not the query builder: this runs on every request that needs it.
    const em = this.db.fork();
    const at = em.getPlatform().processDateProperty(now);
    const rows = await em
      .getConnection('read')
      .execute<{ id: string; patient_id: string; expires_at: Date | number | string }[]>(
        'select id, patient_id, expires_at from emergency_access where granted_to = ? and opened_at <= ? and expires_at > ? order by expires_at desc',
        [readerId, at, at],
      );
    return rows.map((row) => ({ id: row.id, patientId: row.patient_id, expiresAt: new Date(row.expires_at) }));
  }

  /** Every emergency access open toward one patient at `now`, whoever holds it (the reverse question): one statement. */
  async towardPatient(patientId: string, now: Date): Promise<Pick<EmergencyAccess, 'id' | 'patientId' | 'expiresAt' | 'grantedTo'>[]> {
    const rows = await this.db.fork().find(EmergencyAccess, { patientId, openedAt: { $lte: now }, expiresAt: { $gt: now } }, { orderBy: { expiresAt: 'desc' } });
    return rows.map((e) => ({ id: e.id, patientId: e.patientId, expiresAt: e.expiresAt, grantedTo: e.grantedTo }));
  }

  /**
   * The yearly access review: the emergency accesses of many employees opened between `from` and
   * `to`, and those still open at `to` (a duty): one statement, in the order they were opened.
   */
  async ofEmployees(employeeIds: readonly string[], from: Date, to: Date): Promise<EmergencyAccess[]> {
    if (employeeIds.length === 0) return [];
    return this.db.fork().find(
      EmergencyAccess,
      { grantedTo: { $in: [...employeeIds] }, openedAt: { $lte: to }, $or: [{ openedAt: { $gte: from } }, { expiresAt: { $gt: to } }] },
      { orderBy: { openedAt: 'asc', id: 'asc' } },
    );
  }
}
