import DataLoader from 'dataloader';
import type { EntityName } from '@mikro-orm/core';
import { jsonTextsSubquery, parseZonedInstant, type SqlEntityManager } from '@clinic/service-kit';
import { clinicDayBounds, clinicDayContaining, clinicDayOf, clinicTimeZone, NO_DUTY_NO_RESTRICTION, type Role } from '@clinic/schema';
import { AccessRestriction, Appointment, CareAssignment, Patient, Referral } from './entities.js';
import { lapseCutoff, lapsesAt, notLapsedAt } from './care-relationships.js';
import { APPOINTMENT_STATUS } from './resolvers.js';
import { runBuilt, textStandIn, unionAll } from './built-statements.js';

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

/** The bounds of the clinic day an instant falls on (undefined when it falls on none: out of the calendar's range). */
const clinicDayAt = (at: Date) => clinicDayContaining(at, clinicTimeZone());

/** The instant facts are asked at: an ISO-8601 instant with a time zone that falls on a clinic day (undefined otherwise). */
export function accessFactsInstant(text: unknown): Date | undefined {
  const at = parseZonedInstant(text);
  return at && clinicDayAt(at) ? at : undefined;
}

/** The clinic day of an instant facts are asked at. */
function clinicDayAround(at: Date): { start: Date; end: Date } {
  const today = clinicDayAt(at);
  if (!today) throw new Error('access facts: the instant has no clinic day (check it with accessFactsInstant)');
  return today;
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
 * or role), at `at`: one SQL statement whatever the number of patients (whether the patients exist
 * is asked in it too, unless the caller already holds their rows: `patientsExist`).
 */
export async function patientAccessFacts(
  em: SqlEntityManager,
  reader: PolicyReader,
  patientIds: readonly string[],
  at: Date,
  options: { patientsExist?: boolean } = {},
): Promise<PatientAccessFacts[]> {
  if (patientIds.length === 0) return [];
  const patientsExist = options.patientsExist ?? false;
  return factsOf(patientIds, await factRows(em, reader, patientIds, at, clinicDayAround(at), patientsExist), patientsExist);
}

/** What one row of the facts statement is (its `fact` column), and the duty it makes. */
const FACT = { exists: 'E', assignment: 'A', appointment: 'P', referral: 'R', restriction: 'X' } as const;

/** A row of the facts statement: which fact, whose, and its detail (assignment kind, appointment or restriction id). */
interface FactRow {
  fact: string;
  patient_id: string;
  detail: string | null;
  fields: unknown;
}

// Stand-ins the statement of `patientAccessFacts` is built from (built-statements.ts).
const READER = textStandIn('reader');
const ROLE = textStandIn('role');
/** The patients asked, as one JSON array: the statement's text does not depend on their number. */
const PATIENTS = textStandIn('patients');
/** Any instant on a clinic day: the day's bounds and the lapse cutoff are derived from it, all distinct. */
const AT = new Date('2000-01-05T15:00:00Z');
const STAND_IN_DAY = (() => {
  const day = clinicDayBounds(clinicDayOf(AT), 'UTC');
  if (!day) throw new Error('access facts: the stand-in instant has no clinic day');
  return day;
})();

/**
 * The facts of the patients as plain rows of one UNION ALL statement (one branch per kind of fact,
 * the conditions written once as query-builder criteria), built once per database platform and
 * bound to the patients as one JSON array, not entities: this runs on every request that reads
 * patients.
 */
async function factRows(em: SqlEntityManager, reader: PolicyReader, ids: readonly string[], at: Date, today: { start: Date; end: Date }, patientsExist: boolean): Promise<FactRow[]> {
  const standIns = { reader: READER, role: ROLE, patients: PATIENTS, at: AT, start: STAND_IN_DAY.start, end: STAND_IN_DAY.end, cutoff: lapseCutoff(AT) };
  const values = { reader: reader.id, role: reader.role, patients: JSON.stringify(ids), at, start: today.start, end: today.end, cutoff: lapseCutoff(at) };
  const rows = await runBuilt(em, `access-facts:${patientsExist ? 'held' : 'asked'}`, standIns, values, () => factsStatement(em, patientsExist));
  return rows as unknown as FactRow[];
}

function factsStatement(em: SqlEntityManager, patientsExist: boolean) {
  const asked = (column: string) => `f.${column} in (${jsonTextsSubquery(em)})`;
  const duty = dutyConditions(READER, AT, STAND_IN_DAY);
  const of = <T extends object>(entity: EntityName<T>) => em.createQueryBuilder(entity, 'f');
  return unionAll([
    ...(patientsExist ? [] : [{ tag: FACT.exists, patient: 'id', of: of(Patient).select(['id']).where(asked('id'), [PATIENTS]) }]),
    { tag: FACT.assignment, patient: 'patient_id', detail: 'kind', of: of(CareAssignment).select(['patientId', 'kind']).where(duty.assignment).andWhere(asked('patient_id'), [PATIENTS]) },
    { tag: FACT.appointment, patient: 'patient_id', detail: 'id', of: of(Appointment).select(['id', 'patientId']).where(duty.appointment).andWhere(asked('patient_id'), [PATIENTS]) },
    { tag: FACT.referral, patient: 'patient_id', of: of(Referral).select(['patientId']).where(duty.referral).andWhere(asked('patient_id'), [PATIENTS]) },
    {
      tag: FACT.restriction, patient: 'patient_id', detail: 'id', fields: 'fields',
      of: of(AccessRestriction).select(['id', 'patientId', 'fields']).where(restrictionConditions({ id: READER, role: ROLE as Role }, AT)).andWhere(asked('patient_id'), [PATIENTS]),
    },
  ]);
}

/** The facts of each patient from the statement's rows, duties in the order assignments, appointments, referrals. */
function factsOf(ids: readonly string[], rows: readonly FactRow[], patientsExist: boolean): PatientAccessFacts[] {
  const facts = new Map<string, PatientAccessFacts>();
  for (const patientId of ids) facts.set(patientId, { patientId, exists: patientsExist, duties: [], restrictions: [] });
  // Duties in the order of their kinds (assignments, appointments, referrals), rows of a kind in the statement's order.
  for (const pass of [FACT.assignment, FACT.appointment, FACT.referral]) {
    for (const row of rows) {
      if (row.fact !== pass) continue;
      const of = facts.get(String(row.patient_id));
      if (!of) continue;
      if (pass === FACT.assignment) of.duties.push({ kind: 'CARE_ASSIGNMENT', detail: `open care assignment (${String(row.detail)})` });
      else if (pass === FACT.appointment) of.duties.push({ kind: 'APPOINTMENT_TODAY', detail: `appointment ${String(row.detail)} today` });
      else of.duties.push({ kind: 'ACTIVE_REFERRAL', detail: 'active referral' });
    }
  }
  for (const row of rows) {
    const of = facts.get(String(row.patient_id));
    if (!of) continue;
    if (row.fact === FACT.exists) of.exists = true;
    else if (row.fact === FACT.restriction) of.restrictions.push({ id: String(row.detail), fields: fieldList(row.fields) });
  }
  return ids.map((id) => facts.get(id) as PatientAccessFacts);
}

/**
 * The patients a reader has a duty toward at `at`, with the kinds of duty (the gateway's
 * `Query.myPatients`; emergency accesses are the gateway's own): three SQL statements.
 */
export async function dutyPatients(em: SqlEntityManager, readerId: string, at: Date): Promise<{ patientId: string; kinds: SubgraphDutyKind[] }[]> {
  const today = clinicDayAround(at);
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

/** The facts of one reader at one instant during a request, as the JSON `Patient._accessFacts` answers. */
export interface ReaderFactsBatch {
  /** Facts already loaded, answered without a promise (the rows of a list, prefetched with it). */
  known: ReadonlyMap<string, string>;
  load(patientId: string): Promise<string>;
  /** Loads the facts of many patients in the batch under way (a list's rows before they are resolved). */
  prefetch(patientIds: readonly string[]): Promise<void>;
}

/**
 * Per-request batches of access facts, one DataLoader per (reader, role, instant): every patient
 * row of a response asks with the same ones, so a response costs one batch whatever its size. The
 * patients asked are rows this request already read, so whether they exist is not asked again.
 */
export function accessFactsLoaders(em: SqlEntityManager) {
  const batches = new Map<string, ReaderFactsBatch>();
  const of = (reader: PolicyReader, at: Date): ReaderFactsBatch => {
    const key = `${reader.id}|${reader.role}|${at.getTime()}`;
    let batch = batches.get(key);
    if (!batch) {
      const known = new Map<string, string>();
      const loader = new DataLoader<string, string>(async (patientIds) => {
        const facts = await patientAccessFacts(em, reader, patientIds, at, { patientsExist: true });
        return facts.map((f) => {
          const json = f.exists && f.duties.length === 0 && f.restrictions.length === 0 ? NO_DUTY_NO_RESTRICTION : JSON.stringify(f);
          known.set(f.patientId, json);
          return json;
        });
      });
      batch = {
        known,
        load: (patientId) => loader.load(patientId),
        // loadMany answers a failed batch's error per key rather than rejecting: each row then meets it on its own.
        prefetch: async (patientIds) => void (await loader.loadMany(patientIds)),
      };
      batches.set(key, batch);
    }
    return batch;
  };
  return {
    /** The batch of a reader at an instant; undefined when the instant falls on no clinic day. */
    of: (reader: PolicyReader, at: Date): ReaderFactsBatch | undefined => (clinicDayAt(at) ? of(reader, at) : undefined),
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
  const today = clinicDayAround(at);
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
  const today = clinicDayAround(at);
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
