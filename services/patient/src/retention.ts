import type { SqlEntityManager } from '@clinic/service-kit';
import { MailingListSubscription, Patient } from './entities.js';
import { deleteParts, PART_KIND, recordParts, recordStates, type PartKind, type RecordPart } from './record-parts.js';
import {
  addressIsDue,
  MAILING_LIST_RULE,
  mailingListCutoff,
  mailingListDueAt,
  MEDICAL_RECORD_RULE,
  medicalRecordCutoff,
  medicalRecordDueAt,
  PATIENT_RETENTION_RULES,
  recordVerdict,
  type RecordVerdict,
} from './retention-rules.js';
import { CLINIC_RETENTION_SETTINGS, type ClinicRetentionSettings } from './retention-settings.js';
import { releaseDestroyedPages } from './secure-destruction.js';

/**
 * What the patient subgraph's retention rules make due at a given instant (the dry run), and their
 * application. Items are named by id and owner only: no content, title, kind or address leaves.
 */
export const ITEM_KIND = { ...PART_KIND, mailingListAddress: 'MAILING_LIST_ADDRESS' } as const;

export interface DueItem {
  rule: string;
  itemKind: string;
  itemId: string;
  /** The patient whose record holds the item (null for an address that is no patient's). */
  ownerId: string | null;
  dueSince: string;
}

export interface RetentionReportAnswer {
  rules: { code: string; description: string; action: string }[];
  due: DueItem[];
  /** Items old enough but kept, and why (protected reports, legal holds, active records). */
  kept: { rule: string; itemKind: string; count: number; reason: string }[];
}

export interface RetentionRunAnswer {
  applied: { rule: string; itemKind: string; action: string; count: number }[];
  /** Patients whose record changed: for the audit log only, never for the destruction record. */
  patientIds: string[];
}

type KeptReason = Exclude<RecordVerdict, 'ACTIVE_PURGED' | 'INACTIVE_DESTROYED'> | 'PROTECTED';
const KEPT_BECAUSE: Record<KeptReason, (settings: ClinicRetentionSettings) => string> = {
  PROTECTED: (s) => `older than 5 years but always kept: ${s.protectedDocumentKinds.join(', ')}`,
  HELD: () => 'the record is under a legal hold: nothing of it is destroyed',
  ACTIVE_KEPT: () => 'the record is active (an entry less than 5 years old) and the clinic does not purge active records',
  INACTIVE_KEPT: () => 'the clinic keeps inactive records (retention settings)',
};

/** An old part is due when its record's verdict destroys it; undated parts only go with an inactive record. */
async function dueAt(em: SqlEntityManager, at: Date, settings: ClinicRetentionSettings) {
  const cutoff = medicalRecordCutoff(at).getTime();
  const [states, parts, oldAddresses] = await Promise.all([
    recordStates(em, at),
    recordParts(em),
    em.find(MailingListSubscription, { subscribedAt: { $lt: mailingListCutoff(at) } }, { fields: ['id', 'patientId', 'subscribedAt'], orderBy: { subscribedAt: 'asc', id: 'asc' } }),
  ]);
  const due: RecordPart[] = [];
  const kept = new Map<string, { itemKind: PartKind; reason: KeptReason; count: number }>();
  const keep = (part: RecordPart, reason: KeptReason) => {
    const key = `${part.kind} ${reason}`;
    const entry = kept.get(key) ?? { itemKind: part.kind, reason, count: 0 };
    entry.count += 1;
    kept.set(key, entry);
  };
  for (const part of parts) {
    const verdict = recordVerdict(states.get(part.patientId) ?? { lastEntryAt: null, held: false }, at, settings);
    const old = part.writtenAt ? part.writtenAt.getTime() < cutoff : verdict === 'INACTIVE_DESTROYED' || verdict === 'INACTIVE_KEPT' || verdict === 'HELD';
    if (!old) continue;
    if (verdict === 'ACTIVE_PURGED' && !part.writtenAt) continue;
    if (verdict === 'HELD' || verdict === 'ACTIVE_KEPT' || verdict === 'INACTIVE_KEPT') keep(part, verdict);
    else if (part.documentKind !== undefined && settings.protectedDocumentKinds.includes(part.documentKind)) keep(part, 'PROTECTED');
    else due.push(part);
  }
  return { due, kept: [...kept.values()], addresses: oldAddresses.filter((a) => addressIsDue(a, at)), states };
}

/** When a part became due: 5 years after it was written, or 5 years after the record's last entry for an undated part. */
function dueSinceOf(part: RecordPart, lastEntryAt: Date | null, at: Date): string {
  const written = part.writtenAt ?? lastEntryAt;
  return (written ? medicalRecordDueAt(written) : at).toISOString();
}

export async function retentionReport(em: SqlEntityManager, at: Date, settings: ClinicRetentionSettings = CLINIC_RETENTION_SETTINGS): Promise<RetentionReportAnswer> {
  const due = await dueAt(em, at, settings);
  return {
    rules: PATIENT_RETENTION_RULES.map((r) => ({ ...r })),
    due: [
      ...due.due.map((p) => ({
        rule: MEDICAL_RECORD_RULE.code,
        itemKind: p.kind,
        itemId: p.id,
        ownerId: p.patientId,
        dueSince: dueSinceOf(p, due.states.get(p.patientId)?.lastEntryAt ?? null, at),
      })),
      ...due.addresses.map((a) => ({
        rule: MAILING_LIST_RULE.code,
        itemKind: ITEM_KIND.mailingListAddress,
        itemId: a.id,
        ownerId: a.patientId ?? null,
        dueSince: mailingListDueAt(a.subscribedAt).toISOString(),
      })),
    ],
    kept: due.kept.map((k) => ({ rule: MEDICAL_RECORD_RULE.code, itemKind: k.itemKind, count: k.count, reason: KEPT_BECAUSE[k.reason](settings) })),
  };
}

/**
 * Destroys what is due, in one transaction: the old unprotected parts of inactive records without
 * a legal hold (and of active ones only if the clinic purges them), and mailing-list addresses more
 * than 36 months old (a patient whose address is removed has the newsletter turned off: consent is
 * asked again). Then the freed pages are released from the database files (secure-destruction.ts).
 */
export async function applyRetention(em: SqlEntityManager, at: Date, settings: ClinicRetentionSettings = CLINIC_RETENTION_SETTINGS): Promise<RetentionRunAnswer> {
  const answer = await em.transactional(async (tx) => {
    const due = await dueAt(tx, at, settings);
    const destroyed = await deleteParts(tx, due.due, settings.protectedDocumentKinds);
    const subscribers = [...new Set(due.addresses.map((a) => a.patientId).filter((id): id is string => !!id))];
    const addresses = due.addresses.length
      ? await tx.nativeDelete(MailingListSubscription, { id: { $in: due.addresses.map((a) => a.id) }, subscribedAt: { $lt: mailingListCutoff(at) } })
      : 0;
    if (subscribers.length) await tx.nativeUpdate(Patient, { id: { $in: subscribers } }, { newsletter: false });
    return {
      applied: [
        ...Object.values(PART_KIND).map((kind) => ({ rule: MEDICAL_RECORD_RULE.code, itemKind: kind, action: MEDICAL_RECORD_RULE.action, count: destroyed[kind] })),
        { rule: MAILING_LIST_RULE.code, itemKind: ITEM_KIND.mailingListAddress, action: MAILING_LIST_RULE.action, count: addresses },
      ],
      patientIds: [...new Set(due.due.map((item) => item.patientId).concat(subscribers))].sort(),
    };
  });
  await releaseDestroyedPages(em);
  return answer;
}
