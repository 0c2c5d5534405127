import type { SubgraphName } from '@clinic/schema';
import { ALL_SEARCH, LIST_SEARCHES, LIST_SIZE, RECEPTION_RESTRICTED, TODAY_APPOINTMENTS, WARD_SEARCH, WARD_SIZE, listOf, loadPatientId } from './load-plan.js';

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** One realistic operation of a clinic app, sent as the demo user who would send it. */
export interface Operation {
  name: string;
  description: string;
  as: { username: string; mfa?: boolean };
  query: string;
  variables: Record<string, unknown>;
  /** The subgraph that can answer the whole operation alone (the direct-call baseline), if one can. */
  direct?: SubgraphName;
  /**
   * What a correct answer looks like; returns what is wrong, if anything. `rules`: the answer came
   * through the access rules (FORBIDDEN nulls are expected where the reader may not look).
   */
  check(body: GraphQLBody, rules: boolean): string | undefined;
}

type Rows = Record<string, unknown>[];
const forbiddenOnly = (body: GraphQLBody, expected: number, rules: boolean): string | undefined => {
  const errors = body.errors ?? [];
  if (!rules) return errors.length === 0 ? undefined : `unexpected errors: ${JSON.stringify(errors.slice(0, 2))}`;
  const other = errors.filter((e) => e.extensions?.code !== 'FORBIDDEN');
  if (other.length > 0) return `unexpected errors: ${JSON.stringify(other.slice(0, 2))}`;
  return errors.length === expected ? undefined : `expected ${expected} FORBIDDEN errors, got ${errors.length}`;
};

const reception: Operation = {
  name: 'reception',
  description: "Reception view (reception.roy): today's appointments with patient name, phone, insurance number and practitioner name",
  as: { username: 'reception.roy' },
  query: `query ReceptionToday {
  appointments {
    id startsAt reason status
    patient { id firstName lastName phone healthInsuranceNumber }
    practitioner { firstName lastName }
  }
}`,
  variables: {},
  check(body, rules) {
    const rows = (body.data?.appointments ?? []) as Rows;
    if (rows.length < TODAY_APPOINTMENTS) return `expected at least ${TODAY_APPOINTMENTS} appointments today, got ${rows.length}`;
    if (!rows.every((a) => typeof (a.practitioner as Record<string, unknown> | null)?.lastName === 'string')) return 'an appointment without its practitioner name';
    // One patient with an appointment today restricts the front desk from their phone number.
    return forbiddenOnly(body, RECEPTION_RESTRICTED.filter((i) => i < TODAY_APPOINTMENTS).length, rules);
  },
};

/** What the nurse station asks of each patient. */
export const NURSE_SELECTION = `nodes {
      id firstName lastName
      allergies
      medications { name dosage }
      vitals { kind value recordedAt }
      balance
    }`;

const nurse: Operation = {
  name: 'nurse',
  description: "Nurse view (nurse.gagnon, on duty for her ward of 20): allergies, medications, vitals and balance; balance is billing information, FORBIDDEN (null) for a nurse",
  as: { username: 'nurse.gagnon' },
  query: `query NurseStation($search: String!, $first: Int!) {
  patients(search: $search, first: $first) {
    ${NURSE_SELECTION}
  }
}`,
  variables: { search: WARD_SEARCH, first: WARD_SIZE },
  check(body, rules) {
    const rows = ((body.data?.patients as { nodes?: Rows } | null)?.nodes ?? []) as Rows;
    if (rows.length !== WARD_SIZE) return `expected ${WARD_SIZE} patients, got ${rows.length}`;
    if (!rows.every((p) => Array.isArray(p.allergies) && Array.isArray(p.vitals) && (p.vitals as unknown[]).length === 3)) return 'clinical data missing';
    if (!rules && !rows.every((p) => p.balance === 25)) return 'balance missing without rules';
    return forbiddenOnly(body, WARD_SIZE, rules);
  },
};

const physician: Operation = {
  name: 'physician',
  description: 'Physician chart (dr.tremblay with MFA, physician of record): one patient with identity, contact, insurance, clinical data, notes, appointments and care team',
  as: { username: 'dr.tremblay', mfa: true },
  query: `query PhysicianChart($id: ID!) {
  patient(id: $id) {
    id firstName lastName dateOfBirth sex phone email address healthInsuranceNumber
    allergies
    medications { name dosage }
    diagnoses { code description recordedAt }
    vitals { kind value recordedAt }
    documents { id kind title createdAt }
    clinicalNotes { id text writtenAt author { firstName lastName } }
    appointments { id startsAt reason status practitioner { firstName lastName } }
    careTeam { kind since until employee { firstName lastName jobTitle } }
  }
}`,
  variables: { id: loadPatientId(0) },
  check(body, rules) {
    const patient = body.data?.patient as Record<string, unknown> | null | undefined;
    if (!patient) return 'no patient';
    const notes = patient.clinicalNotes as { author?: { lastName?: string } }[] | null;
    if (!notes?.[0]?.author?.lastName) return 'clinical note or its author missing';
    if ((patient.careTeam as unknown[] | null)?.length !== 2) return 'care team missing';
    return forbiddenOnly(body, 0, rules);
  },
};

/** What the patient lists ask of each patient (list100 and list500). */
export const PATIENT_LIST_SELECTION = `totalCount
    nodes { id firstName lastName dateOfBirth phone healthInsuranceNumber }
    pageInfo { hasNextPage endCursor }`;

/**
 * One request for the practice's five lists of `$first` patients each (aliases `list0`..`list4`,
 * one `Query.patients` each, `selection` asked of each): with `$first` = 100 the whole practice of
 * 500, since one page holds at most 100. `lists` asks only those lists.
 */
export function everyListQuery(name: string, selection: string, lists: readonly number[] = LIST_SEARCHES.map((_, k) => k)): string {
  const fields = lists.map((k) => `  list${k}: patients(search: ${JSON.stringify(LIST_SEARCHES[k])}, first: $first) {\n    ${selection}\n  }`);
  return `query ${name}($first: Int!) {\n${fields.join('\n')}\n}`;
}

/** The rows of every list of an everyListQuery answer, in list order. */
export function everyListRows(body: GraphQLBody): Rows {
  return LIST_SEARCHES.flatMap((_, k) => ((body.data?.[`list${k}`] as { nodes?: Rows } | null)?.nodes ?? []) as Rows);
}

const list: Operation = {
  name: 'list100',
  description: 'Patient list of 100 (reception.roy): name, date of birth, phone, insurance number, with total and cursor',
  as: { username: 'reception.roy' },
  query: `query PatientList($search: String!, $first: Int!) {
  patients(search: $search, first: $first) {
    ${PATIENT_LIST_SELECTION}
  }
}`,
  variables: { search: ALL_SEARCH, first: LIST_SIZE },
  direct: 'patient',
  check(body, rules) {
    const rows = ((body.data?.patients as { nodes?: Rows } | null)?.nodes ?? []) as Rows;
    if (rows.length !== LIST_SIZE) return `expected ${LIST_SIZE} patients, got ${rows.length}`;
    // The first 100 of the practice are its first list.
    return forbiddenOnly(body, RECEPTION_RESTRICTED.filter((i) => listOf(i) === 0).length, rules);
  },
};

const list500: Operation = {
  name: 'list500',
  description: 'The whole practice of 500 (reception.roy) in one request: its five lists of 100 (one page holds at most 100), the fields of list100',
  as: { username: 'reception.roy' },
  query: everyListQuery('PracticeList', PATIENT_LIST_SELECTION),
  variables: { first: LIST_SIZE },
  direct: 'patient',
  check(body, rules) {
    const rows = everyListRows(body);
    if (rows.length !== LIST_SEARCHES.length * LIST_SIZE) return `expected ${LIST_SEARCHES.length * LIST_SIZE} patients, got ${rows.length}`;
    if (new Set(rows.map((r) => r.id)).size !== rows.length) return 'a patient listed twice';
    return forbiddenOnly(body, RECEPTION_RESTRICTED.length, rules);
  },
};

/** The patient portal's home page, the one operation here that needs all three subgraphs. */
const PORTAL_PATIENT = { username: 'patient.caron', id: 'p-caron', careTeam: 3, invoices: 2, balance: 45 };

const portal: Operation = {
  name: 'portal',
  description:
    "Patient portal (patient.caron, their own record) across the three subgraphs: contact details, appointments with their practitioner, care team with the employees' names and titles, balance, invoices and payments",
  as: { username: PORTAL_PATIENT.username },
  query: `query PatientPortal($id: ID!) {
  patient(id: $id) {
    id firstName lastName phone email address
    appointments { id startsAt reason status practitioner { firstName lastName jobTitle } }
    careTeam { kind since until employee { firstName lastName jobTitle } }
    balance
    invoices { id serviceDate amount status payments { method amount } }
  }
}`,
  variables: { id: PORTAL_PATIENT.id },
  check(body, rules) {
    const patient = body.data?.patient as Record<string, unknown> | null | undefined;
    if (!patient) return 'no patient';
    const careTeam = (patient.careTeam ?? []) as { employee?: { lastName?: unknown } | null }[];
    if (careTeam.length !== PORTAL_PATIENT.careTeam || !careTeam.every((c) => typeof c.employee?.lastName === 'string')) return 'care team or its employees missing (employee subgraph)';
    const invoices = (patient.invoices ?? []) as { payments?: unknown[] }[];
    if (invoices.length !== PORTAL_PATIENT.invoices || patient.balance !== PORTAL_PATIENT.balance) return 'invoices or balance missing (billing subgraph)';
    const appointments = (patient.appointments ?? []) as { practitioner?: { lastName?: unknown } | null }[];
    if (appointments.length === 0 || !appointments.every((a) => typeof a.practitioner?.lastName === 'string')) return 'appointments or their practitioner missing';
    return forbiddenOnly(body, 0, rules);
  },
};

export const OPERATIONS: readonly Operation[] = [reception, nurse, physician, list, list500, portal];
