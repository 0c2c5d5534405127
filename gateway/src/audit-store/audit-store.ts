import { Database, type DatabaseTarget, type Logger } from '@clinic/service-kit';
import { AuditLog } from './audit-log.js';
import { DestructionRegister } from './destruction-record.js';
import { EmergencyAccessRegister } from './emergency-access.js';
import { auditStoreEntities } from './entities.js';
import { IncidentRegister } from './incident-register.js';
import { auditStoreMigrations } from './migrations/index.js';

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
  return {
    db,
    auditLog: new AuditLog(db),
    emergencyAccess: new EmergencyAccessRegister(db),
    incidents: new IncidentRegister(db),
    destructions: new DestructionRegister(db),
    close: () => db.close(),
  };
}
