import type { ClinicCalendar, DemoClinic } from '@clinic/schema';
import type { AuditEntry } from './audit-entry.js';
import type { AuditStore } from './audit-store.js';

/**
 * Seeds the demo clinic's past (`auditHistory`: reads, refusals, emergency accesses) into an audit
 * store that holds nothing yet, through the same paths as live requests: the events are appended
 * to the chain in time order (repeated-refusal detection runs on them), and emergency accesses open
 * their review items. An audit store with history is left alone: the log is append-only.
 */
export async function seedAuditHistory(store: AuditStore, clinic: Pick<DemoClinic, 'auditHistory'>, calendar: ClinicCalendar): Promise<'seeded' | 'already-seeded'> {
  const connection = store.db.fork().getConnection('read');
  const [head] = await connection.execute<{ last_seq: number | string }[]>('select last_seq from audit_chain_head where id = 1');
  const [accesses] = await connection.execute<{ n: number | string }[]>('select count(*) as n from emergency_access');
  if (Number(head?.last_seq ?? 0) > 0 || Number(accesses?.n ?? 0) > 0) return 'already-seeded';
  const events = clinic.auditHistory
    .map((event) => ({ event, at: calendar.instantAtTime(event.dayOffset, event.time) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const accessIds = new Map<string, string>();
  for (const { event, at } of events) {
    if (event.kind === 'EMERGENCY_ACCESS') {
      const access = await store.emergencyAccess.open({ patientId: event.patientIds[0], grantedTo: event.actorId, role: event.role, justification: event.justification }, at);
      accessIds.set(event.ref, access.id);
      continue;
    }
    const underAccess = event.underEmergencyAccess ? accessIds.get(event.underEmergencyAccess) : undefined;
    if (event.underEmergencyAccess && !underAccess) throw new Error(`audit history: no emergency access "${event.underEmergencyAccess}" before this read`);
    const entry: AuditEntry = {
      actorId: event.actorId,
      role: event.role,
      decision: event.kind === 'READ' ? 'ALLOW' : 'DENY',
      reason: event.kind === 'READ' ? null : (event.reason ?? 'NO_DUTY'),
      fields: event.fields,
      emergencyAccessId: underAccess ?? null,
      patientIds: event.patientIds,
      operationName: 'DemoHistory',
      clientName: 'seed',
      requestId: null,
    };
    await store.auditLog.append([entry], at);
  }
  // Detection of repeated refusals runs after each commit: wait for it.
  await store.incidents.list();
  return 'seeded';
}
