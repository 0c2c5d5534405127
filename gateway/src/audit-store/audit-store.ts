import { Database, type DatabaseTarget, type Logger } from '@clinic/service-kit';
import { AuditLog, type AfterCommit } from './audit-log.js';
import { ChainedRegisters } from './chained-register.js';
import { DestructionRegister } from './destruction-record.js';
import { EmergencyAccessRegister } from './emergency-access.js';
import { auditStoreEntities } from './entities.js';
import type { AuditEventWriter } from './event-writer.js';
import { IncidentRegister } from './incident-register.js';
import { auditStoreMigrations } from './migrations/index.js';
import { PostgresEventWriter } from './postgres-event-writer.js';
import { RepeatedDenialDetector, type NoDutyRefusal } from './repeated-denials.js';
import { SqliteEventWriter } from './sqlite-event-writer.js';

/**
 * The gateway's own database: audit log, emergency accesses, the incident register and the
 * destruction record. SQLite file `data/audit.sqlite` by default, `AUDIT_DATABASE_URL=postgres://…`
 * for production and replicas.
 */
export interface AuditStore {
  db: Database;
  auditLog: AuditLog;
  emergencyAccess: EmergencyAccessRegister;
  incidents: IncidentRegister;
  /** Retention runs and the destruction record (SPEC §11). */
  destructions: DestructionRegister;
  /** The append-only, hash-chained registers beside the audit log (disclosures, incident history, sign-offs). */
  registers: ChainedRegisters;
  close(): Promise<void>;
}

export async function openAuditStore(options: { target?: DatabaseTarget; logger?: Logger } = {}): Promise<AuditStore> {
  const { target, logger } = options;
  const db = await Database.open({
    service: 'audit',
    entities: auditStoreEntities,
    migrations: auditStoreMigrations,
    ...(target ? { target } : {}),
    ...(logger ? { log: (message: string) => logger.debug({ orm: message }) } : {}),
  });
  await db.migrate();
  const detector = new RepeatedDenialDetector(db, (err) => logger?.error({ err }, 'audit store: repeated-refusal detection failed'));
  const auditLog = new AuditLog(db, openEventWriter(db), (committed) => detector.check(noDutyRefusals(committed)));
  return {
    db,
    auditLog,
    emergencyAccess: new EmergencyAccessRegister(db),
    incidents: new IncidentRegister(db, () => detector.settled()),
    destructions: new DestructionRegister(db),
    registers: new ChainedRegisters(db),
    close: async () => {
      await auditLog.close();
      await detector.settled();
      await db.close();
    },
  };
}

/** The append path's own connection, next to MikroORM's (which reads, migrates and keeps the registers). */
function openEventWriter(db: Database): AuditEventWriter {
  const count = (n: number) => {
    for (let i = 0; i < n; i += 1) db.statements.increment();
  };
  return db.target.kind === 'postgresql' ? new PostgresEventWriter(db.target.url, count) : new SqliteEventWriter(db.target.file, count);
}

function noDutyRefusals(committed: Parameters<AfterCommit>[0]): NoDutyRefusal[] {
  const refusals: NoDutyRefusal[] = [];
  for (const { entries, at } of committed) {
    for (const e of entries) if (e.decision === 'DENY' && e.reason === 'NO_DUTY' && e.actorId) refusals.push({ actorId: e.actorId, at });
  }
  return refusals;
}
