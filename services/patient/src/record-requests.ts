import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { clinicTimeZone } from '@clinic/schema';
import type { SqlEntityManager } from '@clinic/service-kit';
import { LegalHold, MailingListSubscription, Patient, RecordRequest, RectificationRequest } from './entities.js';
import { deleteParts, PART_KIND, recordParts, recordStates } from './record-parts.js';
import { medicalRecordCutoff, recordIsActive } from './retention-rules.js';
import { CLINIC_RETENTION_SETTINGS } from './retention-settings.js';
import { releaseDestroyedPages } from './secure-destruction.js';

/**
 * Patients' requests on the legal clock, legal holds, and destruction on request (issue 14).
 * Every function takes the gateway's request clock `at`, so tests can move time.
 *
 * Law 25, s. 32: the person in charge must answer within 30 days of receiving the request; no
 * answer in time counts as a refusal. Seed 002: "If you would like us to destroy your medical file
 * after 5 years of inactivity, please contact us via our contact form."
 */
export const REQUEST_KINDS = ['DESTRUCTION', 'ACCESS', 'PORTABILITY', 'CONSENT_WITHDRAWAL', 'RESTRICTION'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const REQUEST_STATUS = { pending: 'PENDING', accepted: 'ACCEPTED', refused: 'REFUSED' } as const;
export const REQUEST_CHANNEL = { portal: 'PORTAL', paper: 'PAPER' } as const;
export const ANSWER_WITHIN_DAYS = 30;
export const DESTRUCTION_ON_REQUEST_RULE = { code: 'PATIENT_REQUEST_INACTIVE_RECORD', action: 'DESTROY' } as const;
/** Said with every refusal (Law 25: the person may apply to the Commission for a review). */
export const APPEAL_NOTICE =
  "You may apply to the Commission d'accès à l'information du Québec to have this decision reviewed (within 30 days of the decision).";

/** The due date: 30 days after receipt, on the clinic's calendar. */
export const dueDateOf = (receivedAt: Date): Date => DateTime.fromJSDate(receivedAt, { zone: clinicTimeZone() }).plus({ days: ANSWER_WITHIN_DAYS }).toJSDate();

export type Problem = { ok: false; problem: string; argument: string };
const problem = (text: string, argument: string): Problem => ({ ok: false, problem: text, argument });

/** One request as the register shows it (rectification requests included, from their own table). */
export interface RequestView {
  id: string;
  patientId: string;
  kind: string;
  channel: string;
  filedBy: string;
  receivedAt: string;
  dueAt: string;
  status: string;
  overdue: boolean;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
  appealNotice: string | null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const isOverdue = (status: string, dueAt: Date, at: Date) => status === REQUEST_STATUS.pending && dueAt.getTime() < at.getTime();

function viewOf(r: RecordRequest, at: Date): RequestView {
  return {
    id: r.id, patientId: r.patientId, kind: r.kind, channel: r.channel, filedBy: r.filedBy,
    receivedAt: r.receivedAt.toISOString(), dueAt: r.dueAt.toISOString(), status: r.status, overdue: isOverdue(r.status, r.dueAt, at),
    decidedAt: iso(r.decidedAt), decidedBy: r.decidedBy ?? null, decisionReason: r.decisionReason ?? null,
    appealNotice: r.status === REQUEST_STATUS.refused ? APPEAL_NOTICE : null,
  };
}

function rectificationView(r: RectificationRequest, at: Date): RequestView {
  const dueAt = dueDateOf(r.requestedAt);
  return {
    id: r.id, patientId: r.patientId, kind: 'RECTIFICATION', channel: REQUEST_CHANNEL.portal, filedBy: r.patientId,
    receivedAt: r.requestedAt.toISOString(), dueAt: dueAt.toISOString(), status: r.status, overdue: isOverdue(r.status, dueAt, at),
    decidedAt: iso(r.decidedAt), decidedBy: r.decidedBy ?? null, decisionReason: r.decisionReason ?? null,
    appealNotice: r.status === REQUEST_STATUS.refused ? APPEAL_NOTICE : null,
  };
}

/** Why a record may not be destroyed on request at `at`, or null when it may. */
async function whyNotDestroyable(em: SqlEntityManager, patientId: string, at: Date): Promise<string | null> {
  const state = (await recordStates(em, at, [patientId])).get(patientId);
  if (!state) return 'No such record';
  if (state.held) return 'The record is under a legal hold: it cannot be destroyed while the hold lasts';
  if (recordIsActive(state.lastEntryAt, at)) {
    return `The record is active: its last entry is less than 5 years old (before ${medicalRecordCutoff(at).toISOString().slice(0, 10)} it would not be). A record may be destroyed on request after 5 years without an entry.`;
  }
  return null;
}

/**
 * Files a request. A destruction request on a record that cannot be destroyed is recorded and
 * refused at once, with the reason and the notice of the right to a review.
 */
export async function fileRequest(
  em: SqlEntityManager,
  input: { patientId: string; kind: string; details: string | null; filedBy: string; channel: string },
  at: Date,
): Promise<RequestView | Problem> {
  if (!(REQUEST_KINDS as readonly string[]).includes(input.kind)) return problem(`kind must be one of ${REQUEST_KINDS.join(', ')}`, 'kind');
  if (!(await em.findOne(Patient, { id: input.patientId }, { fields: ['id'] }))) return problem(`No patient with id "${input.patientId}"`, 'patientId');
  const pending = await em.count(RecordRequest, { patientId: input.patientId, kind: input.kind, status: REQUEST_STATUS.pending });
  if (pending > 0) return problem(`A ${input.kind} request is already waiting for a decision`, 'kind');
  const refusal = input.kind === 'DESTRUCTION' ? await whyNotDestroyable(em, input.patientId, at) : null;
  const request = em.create(RecordRequest, {
    id: `req-${randomUUID()}`,
    patientId: input.patientId,
    kind: input.kind,
    channel: input.channel,
    filedBy: input.filedBy,
    details: input.details,
    receivedAt: at,
    dueAt: dueDateOf(at),
    status: refusal ? REQUEST_STATUS.refused : REQUEST_STATUS.pending,
    decidedAt: refusal ? at : null,
    decidedBy: null,
    decisionReason: refusal,
  });
  await em.flush();
  return viewOf(request, at);
}

export interface DecisionAnswer {
  request: RequestView;
  /** What an accepted destruction destroyed, per kind (for the destruction record). */
  applied: { rule: string; itemKind: string; action: string; count: number }[];
}

/**
 * Decides a pending request of this patient, once. An accepted destruction destroys every part of
 * the record but the protected reports, removes the contact details and the mailing-list address,
 * and keeps the identity the kept reports need; the record's state is checked again at decision time.
 */
export async function decideRequest(
  em: SqlEntityManager,
  input: { patientId: string; id: string; accept: boolean; reason: string; decidedBy: string },
  at: Date,
): Promise<DecisionAnswer | Problem> {
  const answer = await em.transactional(async (tx): Promise<DecisionAnswer | Problem> => {
    const request = await tx.findOne(RecordRequest, { id: input.id, patientId: input.patientId });
    if (!request) return problem(`No request with id "${input.id}" for this patient`, 'id');
    if (request.status !== REQUEST_STATUS.pending) return problem('The request was already decided', 'id');
    let accept = input.accept;
    let reason = input.reason;
    if (accept && request.kind === 'DESTRUCTION') {
      const why = await whyNotDestroyable(tx, request.patientId, at);
      if (why) [accept, reason] = [false, why];
    }
    const decided = { status: accept ? REQUEST_STATUS.accepted : REQUEST_STATUS.refused, decidedAt: at, decidedBy: input.decidedBy, decisionReason: reason };
    // Only a pending request changes: of two concurrent decisions, the second updates nothing.
    if ((await tx.nativeUpdate(RecordRequest, { id: request.id, status: REQUEST_STATUS.pending }, decided)) !== 1) return problem('The request was already decided', 'id');
    tx.assign(request, decided);
    let applied: DecisionAnswer['applied'] = [];
    if (accept && request.kind === 'DESTRUCTION') applied = await destroyRecord(tx, request.patientId);
    return { request: viewOf(request, at), applied };
  });
  if ('request' in answer && answer.applied.length) await releaseDestroyedPages(em);
  return answer;
}

async function destroyRecord(em: SqlEntityManager, patientId: string): Promise<DecisionAnswer['applied']> {
  const protectedKinds = CLINIC_RETENTION_SETTINGS.protectedDocumentKinds;
  const parts = (await recordParts(em, [patientId])).filter((p) => p.documentKind === undefined || !protectedKinds.includes(p.documentKind));
  const destroyed = await deleteParts(em, parts, protectedKinds);
  const addresses = await em.nativeDelete(MailingListSubscription, { patientId });
  await em.nativeUpdate(Patient, { id: patientId }, { phone: null, email: null, address: null, newsletter: false, appointmentReminders: false });
  const rule = DESTRUCTION_ON_REQUEST_RULE;
  return [
    ...Object.values(PART_KIND).map((kind) => ({ rule: rule.code, itemKind: kind, action: rule.action, count: destroyed[kind] })),
    { rule: rule.code, itemKind: 'MAILING_LIST_ADDRESS', action: rule.action, count: addresses },
    { rule: rule.code, itemKind: 'CONTACT_DETAILS', action: 'ANONYMIZE', count: 1 },
  ];
}

/** The register: every request with its due date, oldest due first; `overdueOnly` keeps the late ones. */
export async function requestRegister(em: SqlEntityManager, at: Date, filter: { patientId?: string; overdueOnly?: boolean }): Promise<RequestView[]> {
  const of = filter.patientId ? { patientId: filter.patientId } : {};
  const [requests, rectifications] = await Promise.all([
    em.find(RecordRequest, of, { orderBy: { dueAt: 'asc', id: 'asc' } }),
    em.find(RectificationRequest, of, { orderBy: { requestedAt: 'asc', id: 'asc' } }),
  ]);
  const all = [...requests.map((r) => viewOf(r, at)), ...rectifications.map((r) => rectificationView(r, at))]
    .filter((r) => !filter.overdueOnly || r.overdue)
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
  return all;
}

export interface HoldView {
  id: string;
  patientId: string;
  reason: string;
  placedBy: string;
  placedAt: string;
  liftReason: string | null;
  liftedBy: string | null;
  liftedAt: string | null;
}
const holdView = (h: LegalHold): HoldView => ({
  id: h.id, patientId: h.patientId, reason: h.reason, placedBy: h.placedBy, placedAt: h.placedAt.toISOString(),
  liftReason: h.liftReason ?? null, liftedBy: h.liftedBy ?? null, liftedAt: iso(h.liftedAt),
});

export async function placeHold(em: SqlEntityManager, input: { patientId: string; reason: string; by: string }, at: Date): Promise<HoldView | Problem> {
  if (!(await em.findOne(Patient, { id: input.patientId }, { fields: ['id'] }))) return problem(`No patient with id "${input.patientId}"`, 'patientId');
  const hold = em.create(LegalHold, { id: `hold-${randomUUID()}`, patientId: input.patientId, reason: input.reason, placedBy: input.by, placedAt: at, liftReason: null, liftedBy: null, liftedAt: null });
  await em.flush();
  return holdView(hold);
}

/** Lifts every open hold of the patient, with the reason. */
export async function liftHolds(em: SqlEntityManager, input: { patientId: string; reason: string; by: string }, at: Date): Promise<HoldView[] | Problem> {
  const open = await em.find(LegalHold, { patientId: input.patientId, liftedAt: null });
  if (!open.length) return problem('The record has no open legal hold', 'patientId');
  for (const hold of open) em.assign(hold, { liftReason: input.reason, liftedBy: input.by, liftedAt: at });
  await em.flush();
  return open.map(holdView);
}

export async function holdsOf(em: SqlEntityManager, patientId?: string): Promise<HoldView[]> {
  return (await em.find(LegalHold, patientId ? { patientId } : {}, { orderBy: { placedAt: 'asc', id: 'asc' } })).map(holdView);
}
