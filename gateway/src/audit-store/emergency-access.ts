import { randomUUID } from 'node:crypto';
import { BUSY_TIMEOUT_MS, type Database } from '@clinic/service-kit';
import Libsql from 'libsql';
import { EmergencyAccess } from './entities.js';
import { newReviewItem, REVIEW_KIND } from './review-queue.js';

/** SPEC §7: an emergency access lasts 60 minutes. */
export const EMERGENCY_ACCESS_MINUTES = 60;
export const MIN_JUSTIFICATION_LENGTH = 20;

const OPEN_FOR_SQL = 'select id, patient_id, expires_at from emergency_access where granted_to = ? and opened_at <= ? and expires_at > ? order by expires_at desc';

type OpenAccessRow = { id: string; patient_id: string; expires_at: Date | number | string };

/** Emergency accesses, shared by every gateway replica through the audit store. */
export class EmergencyAccessRegister {
  /**
   * SQLite: `openFor`'s statement prepared once on a read-only connection of its own. It runs on
   * every request of a reader who may break the glass; through MikroORM's connection its text is
   * formatted and prepared anew each time (about 0.25 ms of a physician's request, profiled).
   */
  private openForStatement: Libsql.Statement | undefined;
  private readConnection: Libsql.Database | undefined;
  private closed = false;

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
    // The instant as the platform stores it (SQLite: epoch milliseconds).
    const at = this.db.orm.em.getPlatform().processDateProperty(now);
    const params = [readerId, at, at];
    const rows = this.db.target.kind === 'sqlite' ? this.openForInSqlite(this.db.target.file, params) : await this.db.fork().getConnection('read').execute<OpenAccessRow[]>(OPEN_FOR_SQL, params);
    return rows.map((row) => ({ id: row.id, patientId: row.patient_id, expiresAt: new Date(row.expires_at) }));
  }

  private openForInSqlite(file: string, params: unknown[]): OpenAccessRow[] {
    if (this.closed) throw new Error('audit store: closed');
    if (!this.openForStatement) {
      this.readConnection = new Libsql(file, { readonly: true });
      // As MikroORM's connections do (service-kit's CONNECTION_PRAGMAS): wait for a lock rather than fail.
      this.readConnection.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.openForStatement = this.readConnection.prepare(OPEN_FOR_SQL);
    }
    // Counted with MikroORM's statements: the N+1 tests count the audit store's SQL.
    this.db.statements.increment();
    return this.openForStatement.all(...params) as OpenAccessRow[];
  }

  /** Closes the read connection `openFor` opened, if any (with the audit store). */
  close(): void {
    this.closed = true;
    if (this.readConnection?.open) this.readConnection.close();
    this.readConnection = undefined;
    this.openForStatement = undefined;
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
