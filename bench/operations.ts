import type { SubgraphName } from '@clinic/schema';
import { ALL_SEARCH, LOAD_PATIENTS, RECEPTION_RESTRICTED, TODAY_APPOINTMENTS, WARD_SEARCH, WARD_SIZE, loadPatientId } from './load-plan.js';

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

const nurse: Operation = {
  name: 'nurse',
  description: "Nurse view (nurse.gagnon, on duty for her ward of 20): allergies, medications, vitals and balance; balance is billing information, FORBIDDEN (null) for a nurse",
  as: { username: 'nurse.gagnon' },
  query: `query NurseStation($search: String!, $first: Int!) {
  patients(search: $search, first: $first) {
    nodes {
      id firstName lastName
      allergies
      medications { name dosage }
      vitals { kind value recordedAt }
      balance
    }
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

const list: Operation = {
  name: 'list100',
  description: 'Patient list of 100 (reception.roy): name, date of birth, phone, insurance number, with total and cursor',
  as: { username: 'reception.roy' },
  query: `query PatientList($search: String!, $first: Int!) {
  patients(search: $search, first: $first) {
    totalCount
    nodes { id firstName lastName dateOfBirth phone healthInsuranceNumber }
    pageInfo { hasNextPage endCursor }
  }
}`,
  variables: { search: ALL_SEARCH, first: LOAD_PATIENTS },
  direct: 'patient',
  check(body, rules) {
    const rows = ((body.data?.patients as { nodes?: Rows } | null)?.nodes ?? []) as Rows;
    if (rows.length !== LOAD_PATIENTS) return `expected ${LOAD_PATIENTS} patients, got ${rows.length}`;
    return forbiddenOnly(body, RECEPTION_RESTRICTED.length, rules);
  },
};

export const OPERATIONS: readonly Operation[] = [reception, nurse, physician, list];
