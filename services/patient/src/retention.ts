import type { SqlEntityManager } from '@clinic/service-kit';
import { ClinicalNote, MailingListSubscription, MedicalDocument, Patient } from './entities.js';
import {
  addressIsDue,
  documentVerdict,
  MAILING_LIST_RULE,
  mailingListCutoff,
  mailingListDueAt,
  MEDICAL_RECORD_RULE,
  medicalRecordCutoff,
  medicalRecordDueAt,
  noteIsDue,
  PATIENT_RETENTION_RULES,
  PROTECTED_DOCUMENT_KINDS,
} from './retention-rules.js';

/**
 * What the patient subgraph's retention rules make due at a given instant (the dry run), and their
 * application. Items are named by id and owner only: no content, title, kind or address leaves.
 */
export const ITEM_KIND = { document: 'DOCUMENT', clinicalNote: 'CLINICAL_NOTE', mailingListAddress: 'MAILING_LIST_ADDRESS' } as const;

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
  /** Items old enough but kept, and why (protected reports). */
  kept: { rule: string; itemKind: string; count: number; reason: string }[];
}

export interface RetentionRunAnswer {
  applied: { rule: string; itemKind: string; action: string; count: number }[];
  /** Patients whose record changed: for the audit log only, never for the destruction record. */
  patientIds: string[];
}

async function dueAt(em: SqlEntityManager, at: Date) {
  const recordCutoff = medicalRecordCutoff(at);
  const [oldDocuments, oldNotes, oldAddresses] = await Promise.all([
    em.find(MedicalDocument, { createdAt: { $lt: recordCutoff } }, { fields: ['id', 'patientId', 'kind', 'createdAt'], orderBy: { createdAt: 'asc', id: 'asc' } }),
    em.find(ClinicalNote, { writtenAt: { $lt: recordCutoff } }, { fields: ['id', 'patientId', 'writtenAt'], orderBy: { writtenAt: 'asc', id: 'asc' } }),
    em.find(MailingListSubscription, { subscribedAt: { $lt: mailingListCutoff(at) } }, { fields: ['id', 'patientId', 'subscribedAt'], orderBy: { subscribedAt: 'asc', id: 'asc' } }),
  ]);
  return {
    documents: oldDocuments.filter((d) => documentVerdict(d, at) === 'DUE'),
    protectedDocuments: oldDocuments.filter((d) => documentVerdict(d, at) === 'KEPT_PROTECTED'),
    notes: oldNotes.filter((n) => noteIsDue(n, at)),
    addresses: oldAddresses.filter((a) => addressIsDue(a, at)),
  };
}

export async function retentionReport(em: SqlEntityManager, at: Date): Promise<RetentionReportAnswer> {
  const due = await dueAt(em, at);
  return {
    rules: PATIENT_RETENTION_RULES.map((r) => ({ ...r })),
    due: [
      ...due.documents.map((d) => ({ rule: MEDICAL_RECORD_RULE.code, itemKind: ITEM_KIND.document, itemId: d.id, ownerId: d.patientId, dueSince: medicalRecordDueAt(d.createdAt).toISOString() })),
      ...due.notes.map((n) => ({ rule: MEDICAL_RECORD_RULE.code, itemKind: ITEM_KIND.clinicalNote, itemId: n.id, ownerId: n.patientId, dueSince: medicalRecordDueAt(n.writtenAt).toISOString() })),
      ...due.addresses.map((a) => ({
        rule: MAILING_LIST_RULE.code,
        itemKind: ITEM_KIND.mailingListAddress,
        itemId: a.id,
        ownerId: a.patientId ?? null,
        dueSince: mailingListDueAt(a.subscribedAt).toISOString(),
      })),
    ],
    kept: [
      {
        rule: MEDICAL_RECORD_RULE.code,
        itemKind: ITEM_KIND.document,
        count: due.protectedDocuments.length,
        reason: `older than 5 years but always kept: ${[...PROTECTED_DOCUMENT_KINDS].join(', ')}`,
      },
    ],
  };
}

/**
 * Destroys what is due, in one transaction: documents and notes more than 5 years old (protected
 * reports kept, checked again in the statement itself), and mailing-list addresses more than 36
 * months old (a patient whose address is removed has the newsletter turned off: consent is asked again).
 */
export async function applyRetention(em: SqlEntityManager, at: Date): Promise<RetentionRunAnswer> {
  return em.transactional(async (tx) => {
    const due = await dueAt(tx, at);
    const recordCutoff = medicalRecordCutoff(at);
    const ids = <T extends { id: string }>(rows: T[]) => rows.map((r) => r.id);
    const documents = due.documents.length
      ? await tx.nativeDelete(MedicalDocument, { id: { $in: ids(due.documents) }, createdAt: { $lt: recordCutoff }, kind: { $nin: [...PROTECTED_DOCUMENT_KINDS] } })
      : 0;
    const notes = due.notes.length ? await tx.nativeDelete(ClinicalNote, { id: { $in: ids(due.notes) }, writtenAt: { $lt: recordCutoff } }) : 0;
    const subscribers = [...new Set(due.addresses.map((a) => a.patientId).filter((id): id is string => !!id))];
    const addresses = due.addresses.length ? await tx.nativeDelete(MailingListSubscription, { id: { $in: ids(due.addresses) }, subscribedAt: { $lt: mailingListCutoff(at) } }) : 0;
    if (subscribers.length) await tx.nativeUpdate(Patient, { id: { $in: subscribers } }, { newsletter: false });
    return {
      applied: [
        { rule: MEDICAL_RECORD_RULE.code, itemKind: ITEM_KIND.document, action: MEDICAL_RECORD_RULE.action, count: documents },
        { rule: MEDICAL_RECORD_RULE.code, itemKind: ITEM_KIND.clinicalNote, action: MEDICAL_RECORD_RULE.action, count: notes },
        { rule: MAILING_LIST_RULE.code, itemKind: ITEM_KIND.mailingListAddress, action: MAILING_LIST_RULE.action, count: addresses },
      ],
      patientIds: [...new Set([...due.documents, ...due.notes].map((item) => item.patientId).concat(subscribers))].sort(),
    };
  });
}
