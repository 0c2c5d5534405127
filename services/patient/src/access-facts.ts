import DataLoader from 'dataloader';
import { groupRows, parseZonedInstant, type SqlEntityManager } from '@clinic/service-kit';
import { clinicDayBounds, clinicDayOf, type Role } from '@clinic/schema';
import { AccessRestriction, Appointment, CareAssignment, Patient, Referral } from './entities.js';
import { lapseCutoff, notLapsedAt } from './care-relationships.js';
import { APPOINTMENT_STATUS } from './resolvers.js';

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
type FactStatement = keyof FactRows;

/** The query builder's SQL for one statement, and its bindings with stand-ins where a request puts its own values. */
interface FactSql {
  sql: string;
  bindings: readonly unknown[];
}

// Stand-ins for a request's values, built into the statements once and replaced when one runs.
const READER_STAND_IN = '\u0000reader';
const ROLE_STAND_IN = '\u0000role';
const PATIENT_STAND_IN = '\u0000patient:';
/** Any instant on a clinic day: the statements' instants are derived from it, each recognised by its value. */
const AT_STAND_IN = new Date('2000-01-05T15:00:00Z');

/**
 * Each statement of `patientAccessFacts`, built once per number of patients with the query
 * builder from the same conditions (`dutyConditions`, `restrictionConditions`) and kept as SQL
 * text: formatting five statements through the query builder on every request was half the
 * endpoint's CPU time.
 */
type BuiltFactSql = { statements: Record<FactStatement, FactSql>; instants: Record<'at' | 'start' | 'end' | 'cutoff', number> };
/** By database platform (SQLite and PostgreSQL quote differently), then by number of patients. */
const factSqlByPlatform = new WeakMap<object, Map<number, BuiltFactSql>>();
const FACT_SQL_KEPT = 128;

function factSql(em: SqlEntityManager, count: number): BuiltFactSql {
  const platform = em.getPlatform();
  let factSqlByCount = factSqlByPlatform.get(platform);
  if (!factSqlByCount) {
    factSqlByCount = new Map();
    factSqlByPlatform.set(platform, factSqlByCount);
  }
  let built = factSqlByCount.get(count);
  if (built) return built;
  const at = AT_STAND_IN;
  const today = clinicDayBounds(clinicDayOf(at));
  if (!today) throw new Error('access facts: the stand-in instant has no clinic day');
  const ids = Array.from({ length: count }, (_, i) => `${PATIENT_STAND_IN}${i}`);
  const reader = { id: READER_STAND_IN, role: ROLE_STAND_IN as Role };
  const ofPatients = { patientId: { $in: ids } };
  const duty = dutyConditions(reader.id, at, today);
  const text = (qb: { getKnexQuery(): { toSQL(): { sql: string; bindings: readonly unknown[] } } }): FactSql => {
    const { sql, bindings } = qb.getKnexQuery().toSQL();
    return { sql, bindings };
  };
  built = {
    statements: {
      patients: text(em.createQueryBuilder(Patient).select(['id']).where({ id: { $in: ids } })),
      assignments: text(em.createQueryBuilder(CareAssignment).select(['patientId', 'kind']).where({ ...ofPatients, ...duty.assignment })),
      appointments: text(em.createQueryBuilder(Appointment).select(['id', 'patientId']).where({ ...ofPatients, ...duty.appointment })),
      referrals: text(em.createQueryBuilder(Referral).select(['patientId']).where({ ...ofPatients, ...duty.referral })),
      restrictions: text(em.createQueryBuilder(AccessRestriction).select(['id', 'patientId', 'fields']).where({ ...ofPatients, ...restrictionConditions(reader, at) })),
    },
    instants: { at: at.getTime(), start: today.start.getTime(), end: today.end.getTime(), cutoff: lapseCutoff(at).getTime() },
  };
  if (factSqlByCount.size >= FACT_SQL_KEPT) factSqlByCount.clear();
  factSqlByCount.set(count, built);
  return built;
}

async function factRows(em: SqlEntityManager, reader: PolicyReader, ids: string[], at: Date, today: { start: Date; end: Date }, patientsExist: boolean): Promise<FactRows> {
  const { statements, instants } = factSql(em, ids.length);
  const instantFor = new Map([
    [instants.at, at],
    [instants.start, today.start],
    [instants.end, today.end],
    [instants.cutoff, lapseCutoff(at)],
  ]);
  const bind = (value: unknown): unknown => {
    if (value instanceof Date) {
      const real = instantFor.get(value.getTime());
      if (!real) throw new Error('access facts: a statement has an instant that is not the request\'s');
      return real;
    }
    if (value === READER_STAND_IN) return reader.id;
    if (value === ROLE_STAND_IN) return reader.role;
    if (typeof value === 'string' && value.startsWith(PATIENT_STAND_IN)) return ids[Number(value.slice(PATIENT_STAND_IN.length))];
    return value;
  };
  const connection = em.getConnection();
  const tx = em.getTransactionContext();
  const run = ({ sql, bindings }: FactSql) => connection.execute<Record<string, unknown>[]>(sql, bindings.map(bind), 'all', tx);
  const text = (row: Record<string, unknown>, column: string) => String(row[column]);
  const [patients, assignments, appointments, referrals, restrictions] = await Promise.all([
    patientsExist ? ids.map((id) => ({ id })) : run(statements.patients).then((rows) => rows.map((r) => ({ id: text(r, 'id') }))),
    run(statements.assignments).then((rows) => rows.map((r) => ({ patientId: text(r, 'patient_id'), kind: text(r, 'kind') }))),
    run(statements.appointments).then((rows) => rows.map((r) => ({ id: text(r, 'id'), patientId: text(r, 'patient_id') }))),
    run(statements.referrals).then((rows) => rows.map((r) => ({ patientId: text(r, 'patient_id') }))),
    run(statements.restrictions).then((rows) => rows.map((r) => ({ id: text(r, 'id'), patientId: text(r, 'patient_id'), fields: r.fields }))),
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
