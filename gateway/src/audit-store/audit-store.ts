import { Database, type DatabaseTarget, type Logger } from '@clinic/service-kit';
import { AppendPlacement } from './append-placement.js';
import { AuditLog, type AfterCommit } from './audit-log.js';
import { ChainedRegisters } from './chained-register.js';
import { DestructionRegister } from './destruction-record.js';
import { DisclosureRegister } from './disclosure-register.js';
import { EmergencyAccessRegister } from './emergency-access.js';
import { auditStoreEntities } from './entities.js';
import type { AuditEventWriter } from './event-writer.js';
import { IncidentHistory, IncidentRegister } from './incident-register.js';
import { auditStoreMigrations } from './migrations/index.js';
import { PostgresEventWriter } from './postgres-event-writer.js';
import { RepeatedDenialDetector, type NoDutyRefusal } from './repeated-denials.js';
import { ReviewFacts } from './review-facts.js';
import { ReviewQueue } from './review-queue.js';
import { SqliteEventWriter } from './sqlite-event-writer.js';
import { StaffSignIns, StaffSignInDay } from './staff-sign-ins.js';

/**
 * The gateway's own database: audit log, emergency accesses, the incident register and its edit
 * history, the disclosure register, the review queue and the destruction record. SQLite file `data/audit.sqlite` by default, `AUDIT_DATABASE_URL=postgres://…`
 * for production and replicas.
 */
export interface AuditStore {
  db: Database;
  auditLog: AuditLog;
  emergencyAccess: EmergencyAccessRegister;
  incidents: IncidentRegister;
  /** The privacy officer's review queue (issue 15): items to triage, not incidents. */
  reviews: ReviewQueue;
  /** Retention runs and the destruction record (SPEC §11). */
  destructions: DestructionRegister;
  /** The append-only, hash-chained registers beside the audit log (disclosures, incident history, sign-offs). */
  registers: ChainedRegisters;
  /** Employees' two-factor use by day, and what the log tells the yearly access review (issue 15). */
  signIns: StaffSignIns;
  reviewFacts: ReviewFacts;
  /** Communications without consent (issue 14): a chained register. */
  disclosures: DisclosureRegister;
  close(): Promise<void>;
}

export interface AuditStoreOptions {
  target?: DatabaseTarget;
  logger?: Logger;
  /** SQLite: the average commit (ms) above which appends commit in the writer thread (append-placement.ts; tests set 0 to send every append after the first there). */
  slowCommitMs?: number;
}

export async function openAuditStore(options: AuditStoreOptions = {}): Promise<AuditStore> {
  const { target, logger } = options;
  const db = await Database.open({
    service: 'audit',
    entities: [...auditStoreEntities, StaffSignInDay],
    migrations: auditStoreMigrations,
    ...(target ? { target } : {}),
    ...(logger ? { log: (message: string) => logger.debug({ orm: message }) } : {}),
  });
  await db.migrate();
  const registers = new ChainedRegisters(db);
  const incidentHistory = new IncidentHistory(registers);
  const detector = new RepeatedDenialDetector(db, incidentHistory, (err) => logger?.error({ err }, 'audit store: repeated-refusal detection failed'));
  const auditLog = new AuditLog(db, openEventWriter(db, options.slowCommitMs), (committed) => detector.check(noDutyRefusals(committed)));
  const emergencyAccess = new EmergencyAccessRegister(db);
  return {
    db,
    auditLog,
    emergencyAccess,
    incidents: new IncidentRegister(db, incidentHistory, () => detector.settled()),
    reviews: new ReviewQueue(db, incidentHistory, () => detector.settled()),
    destructions: new DestructionRegister(db),
    registers,
    disclosures: new DisclosureRegister(registers),
    signIns: new StaffSignIns(db),
    reviewFacts: new ReviewFacts(db),
    close: async () => {
      await auditLog.close();
      await detector.settled();
      emergencyAccess.close();
      await db.close();
    },
  };
}

/** The append path's own connection, next to MikroORM's (which reads, migrates and keeps the registers). */
function openEventWriter(db: Database, slowCommitMs: number | undefined): AuditEventWriter {
  const count = (n: number) => {
    for (let i = 0; i < n; i += 1) db.statements.increment();
  };
  return db.target.kind === 'postgresql' ? new PostgresEventWriter(db.target.url, count) : new SqliteEventWriter(db.target.file, count, new AppendPlacement(slowCommitMs));
}

function noDutyRefusals(committed: Parameters<AfterCommit>[0]): NoDutyRefusal[] {
  const refusals: NoDutyRefusal[] = [];
  for (const { entries, at } of committed) {
    for (const e of entries) if (e.decision === 'DENY' && e.reason === 'NO_DUTY' && e.actorId) refusals.push({ actorId: e.actorId, at });
  }
  return refusals;
}
