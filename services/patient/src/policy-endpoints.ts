import { idList, idValue, instantValue, InternalRequestError, objectBody, type InternalHandler } from '@clinic/service-kit';
import { ROLES, type Role } from '@clinic/schema';
import { accessFactsInstant, dutyPatients, patientAccessFacts, readersAccessFacts } from './access-facts.js';
import { AccessRestriction, Appointment, Patient, RectificationRequest } from './entities.js';
import { applyRetention, retentionReport } from './retention.js';
import { decideRequest, fileRectificationOnPaper, fileRequest, holdsOf, liftHolds, placeHold, REQUEST_CHANNEL, requestRegister } from './record-requests.js';

const text = (value: unknown, field: string): string => {
  if (typeof value !== 'string') throw new InternalRequestError(`${field} must be a string`);
  return value;
};
const optionalText = (value: unknown, field: string): string | null => (value === null || value === undefined ? null : text(value, field));

/**
 * Gateway-only policy data of the patient subgraph, for one reader and a batch of patients:
 * the reader's duties toward each patient and the restrictions that name the reader. A fixed number
 * of SQL statements per call, whatever the number of patients.
 */
export const patientPolicyEndpoints: Record<string, InternalHandler> = {
  'patient-access': async (body, em) => {
    const input = objectBody(body);
    const reader = objectBody(input.reader);
    const readerId = idValue(reader.id, 'reader.id');
    const readerRole = reader.role;
    if (typeof readerRole !== 'string' || !(ROLES as readonly string[]).includes(readerRole)) throw new InternalRequestError('reader.role must be a role');
    const patientIds = idList(input.patientIds, 'patientIds');
    const at = accessFactsInstant(input.at);
    if (!at) throw new InternalRequestError('at must be an ISO-8601 instant with a time zone, on a clinic day');
    return { patients: await patientAccessFacts(em, { id: readerId, role: readerRole as Role }, patientIds, at) };
  },

  /** The reverse question (issue 15): the facts of many readers toward one patient, in one call. */
  'readers-access': async (body, em) => {
    const input = objectBody(body);
    if (!Array.isArray(input.readers) || input.readers.length > 1000) throw new InternalRequestError('readers must be a list of at most 1000 readers');
    const readers = input.readers.map((r: unknown, i: number) => {
      const reader = objectBody(r);
      const role = reader.role;
      if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) throw new InternalRequestError(`readers[${i}].role must be a role`);
      return { id: idValue(reader.id, `readers[${i}].id`), role: role as Role };
    });
    const patientId = idValue(input.patientId, 'patientId');
    const at = accessFactsInstant(input.at);
    if (!at) throw new InternalRequestError('at must be an ISO-8601 instant with a time zone, on a clinic day');
    return { readers: Object.fromEntries(await readersAccessFacts(em, readers, patientId, at)) };
  },

  /** Every patient's id (the reverse question "which patients can this employee read"). */
  'patient-ids': async (_body, em) => ({ ids: (await em.createQueryBuilder(Patient).select(['id']).orderBy({ id: 'asc' }).execute('all')).map((p) => p.id) }),

  /** The patients a reader has a duty toward (the gateway's `Query.myPatients` adds its emergency accesses). */
  'duty-patients': async (body, em) => {
    const input = objectBody(body);
    const readerId = idValue(objectBody(input.reader).id, 'reader.id');
    const at = accessFactsInstant(input.at);
    if (!at) throw new InternalRequestError('at must be an ISO-8601 instant with a time zone, on a clinic day');
    return { patients: await dutyPatients(em, readerId, at) };
  },

  'appointment-owners': async (body, em) => {
    const ids = idList(objectBody(body).ids, 'ids');
    const rows = ids.length ? await em.createQueryBuilder(Appointment).select(['id', 'patientId']).where({ id: { $in: ids } }).execute('all') : [];
    return { owners: Object.fromEntries(rows.map((a) => [a.id, a.patientId])) };
  },

  /** Whose record a rectification request belongs to (the rules decide on that patient). */
  'rectification-owners': async (body, em) => {
    const ids = idList(objectBody(body).ids, 'ids');
    const rows = ids.length ? await em.createQueryBuilder(RectificationRequest).select(['id', 'patientId']).where({ id: { $in: ids } }).execute('all') : [];
    return { owners: Object.fromEntries(rows.map((r) => [r.id, r.patientId])) };
  },

  /** Whose record an access restriction protects (lifting it is logged under that patient). */
  'restriction-owners': async (body, em) => {
    const ids = idList(objectBody(body).ids, 'ids');
    const rows = ids.length ? await em.createQueryBuilder(AccessRestriction).select(['id', 'patientId']).where({ id: { $in: ids } }).execute('all') : [];
    return { owners: Object.fromEntries(rows.map((r) => [r.id, r.patientId])) };
  },

  /** Retention (SPEC §11), orchestrated by the gateway on its request clock: the dry run. */
  'retention-report': async (body, em) => retentionReport(em, instantValue(objectBody(body).at, 'at')),

  /** Retention: destroys what is due at `at` and answers how many items of each kind, per rule. */
  'apply-retention': async (body, em) => applyRetention(em, instantValue(objectBody(body).at, 'at')),

  /** Issue 14: requests on the legal clock, legal holds, destruction on request (the gateway has decided who may). */
  'request-file': async (body, em) => {
    const b = objectBody(body);
    const channel = b.channel === REQUEST_CHANNEL.paper ? REQUEST_CHANNEL.paper : REQUEST_CHANNEL.portal;
    return fileRequest(
      em,
      {
        patientId: idValue(b.patientId, 'patientId'), kind: text(b.kind, 'kind'), details: optionalText(b.details, 'details'), filedBy: idValue(b.filedBy, 'filedBy'), channel,
        restriction: b.restriction === null || b.restriction === undefined ? null : objectBody(b.restriction),
      },
      instantValue(b.at, 'at'),
    );
  },
  /** A rectification request received on paper (the privacy officer files it for the patient). */
  'rectification-file': async (body, em) => {
    const b = objectBody(body);
    return fileRectificationOnPaper(
      em,
      { patientId: idValue(b.patientId, 'patientId'), field: text(b.field, 'field'), proposedValue: text(b.proposedValue, 'proposedValue'), reason: text(b.reason, 'reason'), filedBy: idValue(b.filedBy, 'filedBy') },
      instantValue(b.at, 'at'),
    );
  },
  'request-decide': async (body, em) => {
    const b = objectBody(body);
    if (typeof b.accept !== 'boolean') throw new InternalRequestError('accept must be a boolean');
    return decideRequest(
      em,
      { patientId: idValue(b.patientId, 'patientId'), id: idValue(b.id, 'id'), accept: b.accept, reason: text(b.reason, 'reason'), decidedBy: idValue(b.decidedBy, 'decidedBy') },
      instantValue(b.at, 'at'),
    );
  },
  'request-register': async (body, em) => {
    const b = objectBody(body);
    const patientId = b.patientId === undefined || b.patientId === null ? undefined : idValue(b.patientId, 'patientId');
    return { requests: await requestRegister(em, instantValue(b.at, 'at'), { patientId, overdueOnly: b.overdueOnly === true }) };
  },
  'hold-place': async (body, em) => {
    const b = objectBody(body);
    return placeHold(em, { patientId: idValue(b.patientId, 'patientId'), reason: text(b.reason, 'reason'), by: idValue(b.by, 'by') }, instantValue(b.at, 'at'));
  },
  'hold-lift': async (body, em) => {
    const b = objectBody(body);
    const lifted = await liftHolds(em, { patientId: idValue(b.patientId, 'patientId'), reason: text(b.reason, 'reason'), by: idValue(b.by, 'by') }, instantValue(b.at, 'at'));
    return Array.isArray(lifted) ? { ok: true, holds: lifted } : lifted;
  },
  'hold-list': async (body, em) => {
    const b = objectBody(body);
    const patientId = b.patientId === undefined || b.patientId === null ? undefined : idValue(b.patientId, 'patientId');
    return { holds: await holdsOf(em, patientId) };
  },
};
