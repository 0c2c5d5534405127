import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { clinicTimeZone } from '@clinic/schema';
import type { SqlEntityManager } from '@clinic/service-kit';
import { LegalHold, MailingListSubscription, Patient, RecordRequest, RectificationRequest } from './entities.js';
import { deleteParts, PART_KIND, recordParts, recordStates } from './record-parts.js';
import { medicalRecordCutoff, recordIsActive } from './retention-rules.js';
import { CLINIC_RETENTION_SETTINGS } from './retention-settings.js';
import { releaseDestroyedPages } from './secure-destruction.js';
import { checkedRectification, RECTIFICATION_STATUS } from './rectification-rules.js';
import { checkedRestrictionTerms, createRestriction, RESTRICTION_REQUESTER, storedTerms, type RestrictionTerms, type RestrictionTermsInput } from './restriction-terms.js';

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
/**
 * What an accepted decision does, per kind. ACCESS and PORTABILITY only record the decision: the
 * patient already reads their whole record and its access log in the portal, and exports it as a
 * FHIR R4 Bundle (`exportMyData`); a copy on paper is the clinic's to send.
 */
export const ACCEPTED_OUTCOME = {
  DESTRUCTION: 'The record was destroyed but its protected reports; the destruction record is kept with the retention runs.',
  ACCESS: "Decision recorded only: the clinic gives the patient access to or a copy of their record (in the portal the patient reads the whole record and who accessed it).",
  PORTABILITY: 'Decision recorded only: the clinic sends the copy; in the portal the patient exports their record as a FHIR R4 Bundle (exportMyData).',
  CONSENT_WITHDRAWAL: "Consent withdrawn: appointment reminders and the newsletter were turned off and the patient's mailing-list address removed.",
  RESTRICTION: 'The access restriction asked for was created',
} as const satisfies Record<RequestKind, string>;
export const REFUSED_OUTCOME = 'Refused: nothing in the record was changed.';
const RECTIFICATION_OUTCOME = { ACCEPTED: 'The record was corrected with the proposed value.', REFUSED: REFUSED_OUTCOME } as Record<string, string | undefined>;

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
  details: string | null;
  /** For a RESTRICTION request: the restriction asked for. */
  restriction: RestrictionTerms | null;
  receivedAt: string;
  dueAt: string;
  status: string;
  overdue: boolean;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
  appealNotice: string | null;
  /** What the decision did, or that it only recorded the decision; null while pending. */
  outcome: string | null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const isOverdue = (status: string, dueAt: Date, at: Date) => status === REQUEST_STATUS.pending && dueAt.getTime() < at.getTime();

function viewOf(r: RecordRequest, at: Date): RequestView {
  return {
    id: r.id, patientId: r.patientId, kind: r.kind, channel: r.channel, filedBy: r.filedBy, details: r.details ?? null, restriction: storedTerms(r.restriction) ?? null,
    receivedAt: r.receivedAt.toISOString(), dueAt: r.dueAt.toISOString(), status: r.status, overdue: isOverdue(r.status, r.dueAt, at),
    decidedAt: iso(r.decidedAt), decidedBy: r.decidedBy ?? null, decisionReason: r.decisionReason ?? null,
    appealNotice: r.status === REQUEST_STATUS.refused ? APPEAL_NOTICE : null,
    outcome: r.outcome ?? null,
  };
}

function rectificationView(r: RectificationRequest, at: Date): RequestView {
  const dueAt = dueDateOf(r.requestedAt);
  return {
    id: r.id, patientId: r.patientId, kind: 'RECTIFICATION', channel: r.channel ?? REQUEST_CHANNEL.portal, filedBy: r.filedBy ?? r.patientId,
    details: `Correct ${r.field}: ${r.reason}`, restriction: null,
    receivedAt: r.requestedAt.toISOString(), dueAt: dueAt.toISOString(), status: r.status, overdue: isOverdue(r.status, dueAt, at),
    decidedAt: iso(r.decidedAt), decidedBy: r.decidedBy ?? null, decisionReason: r.decisionReason ?? null,
    appealNotice: r.status === REQUEST_STATUS.refused ? APPEAL_NOTICE : null,
    outcome: RECTIFICATION_OUTCOME[r.status] ?? null,
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
  input: { patientId: string; kind: string; details: string | null; filedBy: string; channel: string; restriction?: RestrictionTermsInput | null },
  at: Date,
): Promise<RequestView | Problem> {
  if (!(REQUEST_KINDS as readonly string[]).includes(input.kind)) return problem(`kind must be one of ${REQUEST_KINDS.join(', ')}`, 'kind');
  // A restriction request says which restriction, checked as the privacy officer's own would be.
  let terms: RestrictionTerms | null = null;
  if (input.kind === 'RESTRICTION') {
    if (!input.restriction) return problem('a RESTRICTION request must say which restriction (restriction: employeeId or role, fields, reason, from, to)', 'restriction');
    const checked = checkedRestrictionTerms(input.restriction, at);
    if (!checked.ok) return checked;
    terms = checked.terms;
  } else if (input.restriction) {
    return problem('only a RESTRICTION request carries a restriction', 'restriction');
  }
  if (!(await em.findOne(Patient, { id: input.patientId }, { fields: ['id'] }))) return problem(`No patient with id "${input.patientId}"`, 'patientId');
  const pending = await em.find(RecordRequest, { patientId: input.patientId, kind: input.kind, status: REQUEST_STATUS.pending }, { fields: ['id', 'restriction'] });
  // Restrictions of different subjects or fields may wait side by side; the same one twice may not.
  const sameAsPending = terms ? pending.some((r) => JSON.stringify(storedTerms(r.restriction)) === JSON.stringify(terms)) : pending.length > 0;
  if (sameAsPending) return problem(`A ${input.kind} request${terms ? ' for the same restriction' : ''} is already waiting for a decision`, 'kind');
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
    restriction: terms ? { ...terms } : null,
    outcome: refusal ? REFUSED_OUTCOME : null,
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
    const why = accept ? await whyNotAcceptable(tx, request, at) : null;
    if (why) [accept, reason] = [false, why];
    const decided = {
      status: accept ? REQUEST_STATUS.accepted : REQUEST_STATUS.refused, decidedAt: at, decidedBy: input.decidedBy, decisionReason: reason,
      outcome: accept ? ACCEPTED_OUTCOME[request.kind as RequestKind] : REFUSED_OUTCOME,
    };
    // Only a pending request changes: of two concurrent decisions, the second updates nothing.
    if ((await tx.nativeUpdate(RecordRequest, { id: request.id, status: REQUEST_STATUS.pending }, decided)) !== 1) return problem('The request was already decided', 'id');
    tx.assign(request, decided);
    let applied: DecisionAnswer['applied'] = [];
    if (accept) {
      const done = await carryOut(tx, request, at);
      applied = done.applied;
      if (done.outcome) {
        request.outcome = done.outcome;
        await tx.nativeUpdate(RecordRequest, { id: request.id }, { outcome: done.outcome });
      }
    }
    return { request: viewOf(request, at), applied };
  });
  if ('request' in answer && answer.applied.length) await releaseDestroyedPages(em);
  return answer;
}

/** Why an accepted decision cannot be carried out at `at` (it becomes a refusal with that reason), or null. */
async function whyNotAcceptable(em: SqlEntityManager, request: RecordRequest, at: Date): Promise<string | null> {
  if (request.kind === 'DESTRUCTION') return whyNotDestroyable(em, request.patientId, at);
  if (request.kind === 'RESTRICTION') {
    const terms = storedTerms(request.restriction);
    if (!terms) return 'The request does not say which restriction the patient asked for';
    if (terms.to && new Date(terms.to).getTime() <= at.getTime()) return 'The period the restriction was asked for has ended';
  }
  return null;
}

/** What an accepted request does (ACCEPTED_OUTCOME says it in words). */
async function carryOut(em: SqlEntityManager, request: RecordRequest, at: Date): Promise<{ applied: DecisionAnswer['applied']; outcome?: string }> {
  switch (request.kind) {
    case 'DESTRUCTION':
      return { applied: await destroyRecord(em, request.patientId) };
    case 'CONSENT_WITHDRAWAL':
      await em.nativeUpdate(Patient, { id: request.patientId }, { newsletter: false, appointmentReminders: false });
      await em.nativeDelete(MailingListSubscription, { patientId: request.patientId });
      return { applied: [] };
    case 'RESTRICTION': {
      const terms = storedTerms(request.restriction);
      if (!terms) throw new Error('record requests: an accepted restriction request without its terms');
      // The patient asked, on the day the request was received (on paper or from the portal).
      const restriction = createRestriction(em, request.patientId, terms, { by: RESTRICTION_REQUESTER.patient, byId: request.patientId, at: request.receivedAt, requestId: request.id }, at);
      await em.flush();
      return { applied: [], outcome: `${ACCEPTED_OUTCOME.RESTRICTION}: ${restriction.id}.` };
    }
    default:
      // ACCESS, PORTABILITY: the decision is recorded (ACCEPTED_OUTCOME).
      return { applied: [] };
  }
}

/**
 * A rectification request received on paper, filed by the privacy officer for the patient: the same
 * checks as the patient's own from the portal, recorded with channel PAPER; decided with
 * `decideRectification` like any other.
 */
export async function fileRectificationOnPaper(
  em: SqlEntityManager,
  input: { patientId: string; field: string; proposedValue: string; reason: string; filedBy: string },
  at: Date,
): Promise<RequestView | Problem> {
  const checked = checkedRectification(input.field, input.proposedValue);
  if (!checked.ok) return problem(checked.problem, checked.argument);
  const reason = input.reason.trim();
  if (!reason) return problem('reason must say why the information is wrong', 'reason');
  if (reason.length > 1000) return problem('reason must be at most 1000 characters', 'reason');
  if (!(await em.findOne(Patient, { id: input.patientId }, { fields: ['id'] }))) return problem(`No patient with id "${input.patientId}"`, 'patientId');
  const pending = await em.count(RectificationRequest, { patientId: input.patientId, field: checked.field, status: RECTIFICATION_STATUS.pending });
  if (pending > 0) return problem(`A rectification of ${checked.field} is already waiting for a decision`, 'field');
  const request = em.create(RectificationRequest, {
    id: `rr-${randomUUID()}`,
    patientId: input.patientId,
    field: checked.field,
    proposedValue: checked.value,
    reason,
    status: RECTIFICATION_STATUS.pending,
    requestedAt: at,
    decidedAt: null,
    decidedBy: null,
    decisionReason: null,
    channel: REQUEST_CHANNEL.paper,
    filedBy: input.filedBy,
  });
  await em.flush();
  return rectificationView(request, at);
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
