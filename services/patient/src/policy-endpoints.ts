import { groupRows, idList, idValue, instantValue, InternalRequestError, objectBody, type InternalHandler } from '@clinic/service-kit';
import { clinicDayBounds, clinicDayOf, ROLES } from '@clinic/schema';
import { AccessRestriction, Appointment, CareAssignment, Patient, RectificationRequest, Referral } from './entities.js';
import { APPOINTMENT_STATUS } from './resolvers.js';
import { applyRetention, retentionReport } from './retention.js';

/** Open at `at`: started, and not yet ended. */
const openAt = (at: Date) => ({ since: { $lte: at }, $or: [{ until: null }, { until: { $gt: at } }] });

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
    const at = instantValue(input.at, 'at');
    if (patientIds.length === 0) return { patients: [] };
    const today = clinicDayBounds(clinicDayOf(at));
    if (!today) throw new InternalRequestError('at has no clinic day');

    const ofPatients = { patientId: { $in: patientIds } };
    // Plain rows, not entities: this runs on every request that reads patients, and only ids are needed.
    const [patients, assignments, appointments, referrals, restrictions] = await Promise.all([
      em.createQueryBuilder(Patient).select(['id']).where({ id: { $in: patientIds } }).execute('all'),
      em.createQueryBuilder(CareAssignment).select(['patientId', 'kind']).where({ ...ofPatients, employeeId: readerId, ...openAt(at) }).execute('all'),
      em
        .createQueryBuilder(Appointment)
        .select(['id', 'patientId'])
        .where({ ...ofPatients, practitionerId: readerId, status: APPOINTMENT_STATUS.booked, startsAt: { $gte: today.start, $lt: today.end } })
        .execute('all'),
      em.createQueryBuilder(Referral).select(['patientId']).where({ ...ofPatients, consultantId: readerId, ...openAt(at) }).execute('all'),
      em
        .createQueryBuilder(AccessRestriction)
        .select(['id', 'patientId', 'fields'])
        .where({
          ...ofPatients,
          lifted: false,
          startsAt: { $lte: at },
          $and: [{ $or: [{ endsAt: null }, { endsAt: { $gt: at } }] }, { $or: [{ employeeId: readerId }, { role: readerRole }] }],
        })
        .execute('all'),
    ]);
    const existing = new Set(patients.map((p) => p.id));
    const duties = groupRows(patientIds, [
      ...assignments.map((a) => ({ patientId: a.patientId, kind: 'CARE_ASSIGNMENT', detail: `open care assignment (${a.kind})` })),
      ...appointments.map((a) => ({ patientId: a.patientId, kind: 'APPOINTMENT_TODAY', detail: `appointment ${a.id} today` })),
      ...referrals.map((r) => ({ patientId: r.patientId, kind: 'ACTIVE_REFERRAL', detail: 'active referral' })),
    ], (d) => d.patientId);
    const restrictionsOf = groupRows(patientIds, restrictions, (r) => r.patientId);
    return {
      patients: patientIds.map((patientId) => ({
        patientId,
        exists: existing.has(patientId),
        duties: (duties.get(patientId) ?? []).map(({ kind, detail }) => ({ kind, detail })),
        restrictions: (restrictionsOf.get(patientId) ?? []).map((r) => ({ id: r.id, fields: r.fields })),
      })),
    };
  },

  /**
   * The patients a reader has a duty toward at `at` (open care assignment, booked appointment that
   * clinic day, active referral), with what makes each duty: the gateway's `Query.myPatients` lists
   * them (it adds the reader's emergency accesses, which it keeps itself). Three statements.
   */
  'duty-patients': async (body, em) => {
    const input = objectBody(body);
    const readerId = idValue(objectBody(input.reader).id, 'reader.id');
    const at = instantValue(input.at, 'at');
    const today = clinicDayBounds(clinicDayOf(at));
    if (!today) throw new InternalRequestError('at has no clinic day');
    const [assignments, appointments, referrals] = await Promise.all([
      em.createQueryBuilder(CareAssignment).select(['patientId']).where({ employeeId: readerId, ...openAt(at) }).execute('all'),
      em
        .createQueryBuilder(Appointment)
        .select(['patientId'])
        .where({ practitionerId: readerId, status: APPOINTMENT_STATUS.booked, startsAt: { $gte: today.start, $lt: today.end } })
        .execute('all'),
      em.createQueryBuilder(Referral).select(['patientId']).where({ consultantId: readerId, ...openAt(at) }).execute('all'),
    ]);
    const kinds = new Map<string, Set<string>>();
    const add = (rows: { patientId: string }[], kind: string) => {
      for (const { patientId } of rows) kinds.set(patientId, (kinds.get(patientId) ?? new Set()).add(kind));
    };
    add(assignments, 'CARE_ASSIGNMENT');
    add(appointments, 'APPOINTMENT_TODAY');
    add(referrals, 'ACTIVE_REFERRAL');
    return { patients: [...kinds].map(([patientId, set]) => ({ patientId, kinds: [...set] })) };
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

  /** Retention (SPEC §11), orchestrated by the gateway on its request clock: the dry run. */
  'retention-report': async (body, em) => retentionReport(em, instantValue(objectBody(body).at, 'at')),

  /** Retention: destroys what is due at `at` and answers how many items of each kind, per rule. */
  'apply-retention': async (body, em) => applyRetention(em, instantValue(objectBody(body).at, 'at')),
};
