import DataLoader from 'dataloader';
import { groupRows, parseZonedInstant, type SqlEntityManager } from '@clinic/service-kit';
import { clinicDayBounds, clinicDayOf, type Role } from '@clinic/schema';
import { AccessRestriction, Appointment, CareAssignment, Patient, Referral } from './entities.js';
import { lapseCutoff, lapsesAt, notLapsedAt } from './care-relationships.js';
import { APPOINTMENT_STATUS } from './resolvers.js';
import { runBuilt, textStandIn, type BuildsSql } from './built-statements.js';

/** Why a reader has a duty toward a patient, as this subgraph knows it (emergency access is the gateway's). */
export type SubgraphDutyKind = 'CARE_ASSIGNMENT' | 'APPOINTMENT_TODAY' | 'ACTIVE_REFERRAL';

/** The policy facts of one reader toward one patient: the shape of the gateway's `PatientAccessFacts`. */
export interface PatientAccessFacts {
  patientId: string;
  exists: boolean;
  duties: { kind: SubgraphDutyKind; detail: string }[];
  restrictions: { id: string; fields: string[] }[];
}

export interface PolicyReader {
  id: string;
  role: Role;
}

/** Instants already checked: every patient of a response asks at the same one (a pure check, no policy data). */
const checkedInstants = new Map<string, Date | undefined>();
const CHECKED_INSTANTS = 64;

/** The instant facts are asked at: an ISO-8601 instant with a time zone that falls on a clinic day (undefined otherwise). */
export function accessFactsInstant(text: unknown): Date | undefined {
  if (typeof text === 'string' && checkedInstants.has(text)) return checkedInstants.get(text);
  const parsed = parseZonedInstant(text);
  const at = parsed && clinicDayBounds(clinicDayOf(parsed)) ? parsed : undefined;
  if (typeof text === 'string') {
    if (checkedInstants.size >= CHECKED_INSTANTS) checkedInstants.clear();
    checkedInstants.set(text, at);
  }
  return at;
}

/** Open at `at`: started, and not yet ended. */
const openAt = (at: Date) => ({ since: { $lte: at }, $or: [{ until: null }, { until: { $gt: at } }] });

/** What makes a duty (SPEC §5), as row conditions: the same for the facts of given patients and for a reader's list. */
function dutyConditions(readerId: string, at: Date, today: { start: Date; end: Date }) {
  return {
    // An assignment nobody renewed within the clinic's lifetime has lapsed (care-relationships.ts).
    assignment: { employeeId: readerId, $and: [openAt(at), notLapsedAt(at)] },
    appointment: { practitionerId: readerId, status: APPOINTMENT_STATUS.booked, startsAt: { $gte: today.start, $lt: today.end } },
    referral: { consultantId: readerId, ...openAt(at) },
  };
}

/** An active restriction naming the reader (by id or role) at `at`. */
function restrictionConditions(reader: PolicyReader, at: Date) {
  return {
    lifted: false,
    startsAt: { $lte: at },
    $and: [{ $or: [{ endsAt: null }, { endsAt: { $gt: at } }] }, { $or: [{ employeeId: reader.id }, { role: reader.role }] }],
  };
}

/**
 * A restriction's field list from a plain row: PostgreSQL's driver parses JSON columns, SQLite's
 * answers their text (a string would make `fields.includes` match substrings).
 */
function fieldList(value: unknown): string[] {
  const list: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(list) || !list.every((f) => typeof f === 'string')) throw new Error('access facts: a restriction has no list of fields');
  return list;
}

/**
 * The reader's duties toward each patient and the active restrictions that name the reader (by id
 * or role), at `at`: five SQL statements whatever the number of patients, four when the caller
 * already holds the patients' rows (`patientsExist`) and whether they exist need not be asked.
 */
export async function patientAccessFacts(
  em: SqlEntityManager,
  reader: PolicyReader,
  patientIds: readonly string[],
  at: Date,
  options: { patientsExist?: boolean } = {},
): Promise<PatientAccessFacts[]> {
  if (patientIds.length === 0) return [];
  const today = clinicDayBounds(clinicDayOf(at));
  if (!today) throw new Error('access facts: the instant has no clinic day (check it with accessFactsInstant)');
  const ids = [...patientIds];
  // Plain rows, not entities, from fixed SQL text: this runs on every request that reads patients.
  return factsOf(ids, await factRows(em, reader, ids, at, today, options.patientsExist ?? false));
}

interface FactRows {
  patients: { id: string }[];
  assignments: { patientId: string; kind: string }[];
  appointments: { id: string; patientId: string }[];
  referrals: { patientId: string }[];
  restrictions: { id: string; patientId: string; fields: unknown }[];
}

// Stand-ins the statements of `patientAccessFacts` are built from (built-statements.ts).
const READER = textStandIn('reader');
const ROLE = textStandIn('role');
/** Any instant on a clinic day: the day's bounds and the lapse cutoff are derived from it, all distinct. */
const AT = new Date('2000-01-05T15:00:00Z');

async function factRows(em: SqlEntityManager, reader: PolicyReader, ids: string[], at: Date, today: { start: Date; end: Date }, patientsExist: boolean): Promise<FactRows> {
  const standInDay = clinicDayBounds(clinicDayOf(AT));
  if (!standInDay) throw new Error('access facts: the stand-in instant has no clinic day');
  const patientStandIns = ids.map((_, i) => textStandIn(`patient${i}`));
  const standIns: Record<string, string | Date> = { reader: READER, role: ROLE, at: AT, start: standInDay.start, end: standInDay.end, cutoff: lapseCutoff(AT) };
  const values: Record<string, string | Date> = { reader: reader.id, role: reader.role, at, start: today.start, end: today.end, cutoff: lapseCutoff(at) };
  patientStandIns.forEach((standIn, i) => {
    standIns[`patient${i}`] = standIn;
    values[`patient${i}`] = ids[i] as string;
  });
  const ofPatients = { patientId: { $in: patientStandIns } };
  const duty = dutyConditions(READER, AT, standInDay);
  const run = (name: keyof FactRows, build: () => BuildsSql) => runBuilt(em, `access-facts:${name}:${ids.length}`, standIns, values, build);
  const text = (row: Record<string, unknown>, column: string) => String(row[column]);
  const [patients, assignments, appointments, referrals, restrictions] = await Promise.all([
    patientsExist
      ? ids.map((id) => ({ id }))
      : run('patients', () => em.createQueryBuilder(Patient).select(['id']).where({ id: { $in: patientStandIns } })).then((rows) => rows.map((r) => ({ id: text(r, 'id') }))),
    run('assignments', () => em.createQueryBuilder(CareAssignment).select(['patientId', 'kind']).where({ ...ofPatients, ...duty.assignment })).then((rows) =>
      rows.map((r) => ({ patientId: text(r, 'patient_id'), kind: text(r, 'kind') })),
    ),
    run('appointments', () => em.createQueryBuilder(Appointment).select(['id', 'patientId']).where({ ...ofPatients, ...duty.appointment })).then((rows) =>
      rows.map((r) => ({ id: text(r, 'id'), patientId: text(r, 'patient_id') })),
    ),
    run('referrals', () => em.createQueryBuilder(Referral).select(['patientId']).where({ ...ofPatients, ...duty.referral })).then((rows) => rows.map((r) => ({ patientId: text(r, 'patient_id') }))),
    run('restrictions', () =>
      em.createQueryBuilder(AccessRestriction).select(['id', 'patientId', 'fields']).where({ ...ofPatients, ...restrictionConditions({ id: READER, role: ROLE as Role }, AT) }),
    ).then((rows) => rows.map((r) => ({ id: text(r, 'id'), patientId: text(r, 'patient_id'), fields: r.fields }))),
  ]);
  return { patients, assignments, appointments, referrals, restrictions };
}

function factsOf(ids: readonly string[], { patients, assignments, appointments, referrals, restrictions }: FactRows): PatientAccessFacts[] {
  const existing = new Set(patients.map((p) => p.id));
  const duties = groupRows(ids, [
    ...assignments.map((a) => ({ patientId: a.patientId, kind: 'CARE_ASSIGNMENT' as const, detail: `open care assignment (${a.kind})` })),
    ...appointments.map((a) => ({ patientId: a.patientId, kind: 'APPOINTMENT_TODAY' as const, detail: `appointment ${a.id} today` })),
    ...referrals.map((r) => ({ patientId: r.patientId, kind: 'ACTIVE_REFERRAL' as const, detail: 'active referral' })),
  ], (d) => d.patientId);
  const restrictionsOf = groupRows(ids, restrictions, (r) => r.patientId);
  return ids.map((patientId) => ({
    patientId,
    exists: existing.has(patientId),
    duties: (duties.get(patientId) ?? []).map(({ kind, detail }) => ({ kind, detail })),
    restrictions: (restrictionsOf.get(patientId) ?? []).map((r) => ({ id: r.id, fields: fieldList(r.fields) })),
  }));
}

/**
 * The patients a reader has a duty toward at `at`, with the kinds of duty (the gateway's
 * `Query.myPatients`; emergency accesses are the gateway's own): three SQL statements.
 */
export async function dutyPatients(em: SqlEntityManager, readerId: string, at: Date): Promise<{ patientId: string; kinds: SubgraphDutyKind[] }[]> {
  const today = clinicDayBounds(clinicDayOf(at));
  if (!today) throw new Error('access facts: the instant has no clinic day (check it with accessFactsInstant)');
  const duty = dutyConditions(readerId, at, today);
  const [assignments, appointments, referrals] = await Promise.all([
    em.createQueryBuilder(CareAssignment).select(['patientId']).where(duty.assignment).execute('all'),
    em.createQueryBuilder(Appointment).select(['patientId']).where(duty.appointment).execute('all'),
    em.createQueryBuilder(Referral).select(['patientId']).where(duty.referral).execute('all'),
  ]);
  const kinds = new Map<string, Set<SubgraphDutyKind>>();
  const add = (rows: { patientId: string }[], kind: SubgraphDutyKind) => {
    for (const { patientId } of rows) kinds.set(patientId, (kinds.get(patientId) ?? new Set()).add(kind));
  };
  add(assignments, 'CARE_ASSIGNMENT');
  add(appointments, 'APPOINTMENT_TODAY');
  add(referrals, 'ACTIVE_REFERRAL');
  return [...kinds].map(([patientId, set]) => ({ patientId, kinds: [...set] }));
}

/**
 * Per-request batches of access facts, one DataLoader per (reader, role, instant): every patient
 * row of a response asks with the same ones, so a response costs one batch whatever its size. The
 * patients asked are rows this request already read, so whether they exist is not asked again.
 */
export function accessFactsLoaders(em: SqlEntityManager) {
  const loaders = new Map<string, DataLoader<string, PatientAccessFacts>>();
  return (reader: PolicyReader, at: Date): DataLoader<string, PatientAccessFacts> => {
    const key = JSON.stringify([reader.id, reader.role, at.getTime()]);
    let loader = loaders.get(key);
    if (!loader) {
      loader = new DataLoader((patientIds) => patientAccessFacts(em, reader, patientIds, at, { patientsExist: true }));
      loaders.set(key, loader);
    }
    return loader;
  };
}

/**
 * The reverse question's facts (who can read this patient): the duties and restrictions of many
 * readers toward one patient, five SQL statements whatever the number of readers. Same conditions
 * as `patientAccessFacts`, asked by reader instead of by patient.
 */
export async function readersAccessFacts(em: SqlEntityManager, readers: readonly PolicyReader[], patientId: string, at: Date): Promise<Map<string, PatientAccessFacts>> {
  const facts = new Map<string, PatientAccessFacts>();
  if (readers.length === 0) return facts;
  const today = clinicDayBounds(clinicDayOf(at));
  if (!today) throw new Error('access facts: the instant has no clinic day (check it with accessFactsInstant)');
  const ids = readers.map((r) => r.id);
  const roles = [...new Set(readers.map((r) => r.role))];
  const [patients, assignments, appointments, referrals, restrictions] = await Promise.all([
    em.createQueryBuilder(Patient).select(['id']).where({ id: patientId }).execute('all'),
    em.createQueryBuilder(CareAssignment).select(['employeeId', 'kind']).where({ patientId, employeeId: { $in: ids }, $and: [openAt(at), notLapsedAt(at)] }).execute('all'),
    em
      .createQueryBuilder(Appointment)
      .select(['id', 'practitionerId'])
      .where({ patientId, practitionerId: { $in: ids }, status: APPOINTMENT_STATUS.booked, startsAt: { $gte: today.start, $lt: today.end } })
      .execute('all'),
    em.createQueryBuilder(Referral).select(['consultantId']).where({ patientId, consultantId: { $in: ids }, ...openAt(at) }).execute('all'),
    em
      .createQueryBuilder(AccessRestriction)
      .select(['id', 'employeeId', 'role', 'fields'])
      .where({
        patientId,
        lifted: false,
        startsAt: { $lte: at },
        $and: [{ $or: [{ endsAt: null }, { endsAt: { $gt: at } }] }, { $or: [{ employeeId: { $in: ids } }, { role: { $in: roles } }] }],
      })
      .execute('all'),
  ]);
  const exists = patients.length > 0;
  for (const reader of readers) {
    facts.set(reader.id, {
      patientId,
      exists,
      duties: [
        ...assignments.filter((a) => a.employeeId === reader.id).map((a) => ({ kind: 'CARE_ASSIGNMENT' as const, detail: `open care assignment (${a.kind})` })),
        ...appointments.filter((a) => a.practitionerId === reader.id).map((a) => ({ kind: 'APPOINTMENT_TODAY' as const, detail: `appointment ${a.id} today` })),
        ...referrals.filter((r) => r.consultantId === reader.id).map(() => ({ kind: 'ACTIVE_REFERRAL' as const, detail: 'active referral' })),
      ],
      restrictions: restrictions.filter((r) => r.employeeId === reader.id || r.role === reader.role).map((r) => ({ id: r.id, fields: fieldList(r.fields) })),
    });
  }
  return facts;
}

/** One open duty of a staff member, for the yearly access review: which patient, why, and since when. */
export interface StaffDuty {
  kind: SubgraphDutyKind;
  patientId: string;
  /** When the duty began: the assignment's or referral's start, the appointment's time. */
  since: string;
  /** Care assignments: when it lapses unless renewed. Referrals: their end, if any. */
  until: string | null;
  detail: string;
}

/** An active restriction naming a staff member, by their id or by their role. */
export interface StaffRestriction {
  id: string;
  patientId: string;
  fields: string[];
  namedBy: 'EMPLOYEE' | 'ROLE';
  from: string;
  to: string | null;
}

/**
 * The yearly access review's facts (issue 15): every open duty and every active restriction of
 * many staff members at `at`, the duty conditions of `patientAccessFacts` asked by reader for all
 * patients at once. Four SQL statements whatever the number of staff members or patients.
 */
export async function staffDutiesAndRestrictions(
  em: SqlEntityManager,
  readers: readonly PolicyReader[],
  at: Date,
): Promise<Map<string, { duties: StaffDuty[]; restrictions: StaffRestriction[] }>> {
  const out = new Map(readers.map((r) => [r.id, { duties: [] as StaffDuty[], restrictions: [] as StaffRestriction[] }]));
  if (readers.length === 0) return out;
  const today = clinicDayBounds(clinicDayOf(at));
  if (!today) throw new Error('access facts: the instant has no clinic day (check it with accessFactsInstant)');
  const ids = readers.map((r) => r.id);
  const roles = [...new Set(readers.map((r) => r.role))];
  const iso = (d: Date | string | number) => new Date(d).toISOString();
  const [assignments, appointments, referrals, restrictions] = await Promise.all([
    em.createQueryBuilder(CareAssignment).select(['employeeId', 'patientId', 'kind', 'since', 'renewedAt']).where({ employeeId: { $in: ids }, $and: [openAt(at), notLapsedAt(at)] }).orderBy({ id: 'asc' }).execute('all'),
    em
      .createQueryBuilder(Appointment)
      .select(['id', 'patientId', 'practitionerId', 'startsAt'])
      .where({ practitionerId: { $in: ids }, status: APPOINTMENT_STATUS.booked, startsAt: { $gte: today.start, $lt: today.end } })
      .orderBy({ startsAt: 'asc' })
      .execute('all'),
    em.createQueryBuilder(Referral).select(['consultantId', 'patientId', 'since', 'until']).where({ consultantId: { $in: ids }, ...openAt(at) }).orderBy({ id: 'asc' }).execute('all'),
    em
      .createQueryBuilder(AccessRestriction)
      .select(['id', 'patientId', 'employeeId', 'role', 'fields', 'startsAt', 'endsAt'])
      .where({
        lifted: false,
        startsAt: { $lte: at },
        $and: [{ $or: [{ endsAt: null }, { endsAt: { $gt: at } }] }, { $or: [{ employeeId: { $in: ids } }, { role: { $in: roles } }] }],
      })
      .orderBy({ id: 'asc' })
      .execute('all'),
  ]);
  for (const a of assignments) {
    out.get(a.employeeId)?.duties.push({
      kind: 'CARE_ASSIGNMENT', patientId: a.patientId, since: iso(a.since), until: lapsesAt({ since: new Date(a.since), renewedAt: a.renewedAt ? new Date(a.renewedAt) : null }).toISOString(),
      detail: `open care assignment (${a.kind})`,
    });
  }
  for (const a of appointments) out.get(a.practitionerId)?.duties.push({ kind: 'APPOINTMENT_TODAY', patientId: a.patientId, since: iso(a.startsAt), until: null, detail: `appointment ${a.id} today` });
  for (const r of referrals) out.get(r.consultantId)?.duties.push({ kind: 'ACTIVE_REFERRAL', patientId: r.patientId, since: iso(r.since), until: r.until ? iso(r.until) : null, detail: 'active referral' });
  for (const reader of readers) {
    const named = out.get(reader.id);
    for (const r of restrictions) {
      const namedBy = r.employeeId === reader.id ? 'EMPLOYEE' : r.role === reader.role ? 'ROLE' : undefined;
      if (named && namedBy) named.restrictions.push({ id: r.id, patientId: r.patientId, fields: fieldList(r.fields), namedBy, from: iso(r.startsAt), to: r.endsAt ? iso(r.endsAt) : null });
    }
  }
  return out;
}
