/**
 * THE CLINIC'S ACCESS POLICY — the one file a security reviewer reads (SPEC sections 4 to 6).
 *
 * Read it top to bottom:
 *   1. which category each field belongs to;
 *   2. the conditions a grant can carry (duty, referral, own record);
 *   3. which role reads which category, on which condition;
 *   4. what needs two-factor authentication;
 *   5. the rule of every field of the supergraph, queries and mutations included (the patient's
 *      rights and retention, SPEC §10 and §11, among them).
 *
 * A rule is a list of named checks that must all pass, in order; the first that fails gives the
 * reason (UNAUTHENTICATED, ROLE, NO_DUTY, RESTRICTED, MFA_REQUIRED). A rule that says
 * `auditedUnder(...)` has every decision recorded in the audit log under that patient. Anything
 * not listed here is denied, and the gateway refuses to start if the supergraph has a field
 * without a rule or a restriction names no field. The file is compiled once at start-up for every
 * role (./policy/compiled-policy.ts); enforcement, the matrix and `policy:explain` all read that.
 */
import type { Role } from '@clinic/schema';
import { DISCLOSURE_LEGAL_BASIS_NAMES, type DisclosureLegalBasis } from './audit-store/disclosure-register.js';
import {
  always,
  argumentAllowedFor,
  auditedUnder,
  decidedByTheFieldThatReachedIt,
  dutyThrough,
  formerEmployeesReadOnlyBy,
  idOnly,
  isAuthenticated,
  isOneOf,
  mayReadEmployee,
  mayReadPatient,
  notRestrictedFor,
  ownRecordOnly,
  patientsNameOnlyThemselves,
  theParentPatient,
  thePatientArgument,
  thePatientOfTheAppointment,
  thePatientOfTheAppointmentArgument,
  thePatientOfTheInvoice,
  thePatientOfTheRectificationArgument,
  thePatientOfTheRectificationRequest,
  thePatientOfTheRestrictionArgument,
  theViewerAsPatient,
  withMfa,
  type AccessTable,
  type Check,
  type Condition,
  type PatientTarget,
} from './policy/checks.js';
import type { RowFilterMap, RuleMap } from './policy/compiled-policy.js';

// ── 1. Categories of information (SPEC §4) ───────────────────────────────────────────────────

export const PATIENT_FIELD_CATEGORY = {
  id: 'IDENTITY',
  firstName: 'IDENTITY',
  lastName: 'IDENTITY',
  dateOfBirth: 'IDENTITY',
  sex: 'IDENTITY',
  phone: 'CONTACT',
  email: 'CONTACT',
  address: 'CONTACT',
  healthInsuranceNumber: 'INSURANCE',
  appointments: 'SCHEDULE',
  careTeam: 'CARE_TEAM',
  allergies: 'CLINICAL',
  medications: 'CLINICAL',
  diagnoses: 'CLINICAL',
  vitals: 'CLINICAL',
  documents: 'CLINICAL',
  clinicalNotes: 'NOTES',
  invoices: 'BILLING',
  balance: 'BILLING',
  accessRestrictions: 'PRIVACY',
  accessLog: 'PRIVACY',
  communicationConsent: 'PRIVACY',
  rectificationRequests: 'PRIVACY',
  disclosures: 'PRIVACY',
  // Issue 15: the privacy officer's flag (the patient sees it too, like every part of their record).
  sensitive: 'PRIVACY',
} as const;

/** Every field of an appointment is SCHEDULE; every field of an invoice is BILLING except its diagnosis code. */
export const APPOINTMENT_CATEGORY = 'SCHEDULE';
export const INVOICE_CATEGORY = 'BILLING';
export const INVOICE_DIAGNOSIS_CATEGORY = 'CLINICAL_BILLING';

export type PatientCategory =
  | (typeof PATIENT_FIELD_CATEGORY)[keyof typeof PATIENT_FIELD_CATEGORY]
  | typeof INVOICE_DIAGNOSIS_CATEGORY;

export const EMPLOYEE_FIELD_CATEGORY = {
  id: 'STAFF_DIRECTORY',
  firstName: 'STAFF_DIRECTORY',
  lastName: 'STAFF_DIRECTORY',
  jobTitle: 'STAFF_DIRECTORY',
  role: 'STAFF_DIRECTORY',
  workEmail: 'STAFF_CONTACT',
  workPhone: 'STAFF_CONTACT',
  homeAddress: 'STAFF_PERSONAL',
  personalPhone: 'STAFF_PERSONAL',
  dateOfBirth: 'STAFF_PERSONAL',
  hireDate: 'STAFF_EMPLOYMENT',
  terminationDate: 'STAFF_EMPLOYMENT',
  socialInsuranceNumber: 'STAFF_SIN',
  salary: 'STAFF_PAY',
  bankAccount: 'STAFF_PAY',
} as const;

export type EmployeeCategory = (typeof EMPLOYEE_FIELD_CATEGORY)[keyof typeof EMPLOYEE_FIELD_CATEGORY];

// ── 2. Conditions ────────────────────────────────────────────────────────────────────────────

/**
 * Physicians and nurses: an open care assignment, an appointment with the patient today (clinic
 * time zone), or an open emergency access ("break the glass", SPEC §7, 60 minutes).
 */
const withDuty: Condition = dutyThrough('withDuty', 'with duty (open care assignment, appointment today or emergency access)', [
  'CARE_ASSIGNMENT',
  'APPOINTMENT_TODAY',
  'EMERGENCY_ACCESS',
]);
/** Consultants: an active referral of the patient to them. */
const withActiveReferral: Condition = dutyThrough('withActiveReferral', 'with an active referral', ['ACTIVE_REFERRAL']);

// ── 3. Who reads what (SPEC §5) ──────────────────────────────────────────────────────────────

export const PATIENT_ACCESS: AccessTable<PatientCategory> = {
  PHYSICIAN: { IDENTITY: always, CONTACT: withDuty, INSURANCE: withDuty, SCHEDULE: withDuty, CARE_TEAM: withDuty, CLINICAL: withDuty, NOTES: withDuty },
  NURSE: { IDENTITY: always, CONTACT: withDuty, SCHEDULE: withDuty, CARE_TEAM: withDuty, CLINICAL: withDuty, NOTES: withDuty },
  CONSULTANT: { IDENTITY: withActiveReferral, CLINICAL: withActiveReferral, NOTES: withActiveReferral },
  RECEPTIONIST: { IDENTITY: always, CONTACT: always, INSURANCE: always, SCHEDULE: always, CARE_TEAM: always },
  BILLING_AGENT: { IDENTITY: always, INSURANCE: always, BILLING: always, CLINICAL_BILLING: always },
  ACCOUNTANT: { IDENTITY: idOnly, BILLING: always },
  HR: {},
  MANAGER: {},
  PRIVACY_OFFICER: { IDENTITY: always, PRIVACY: always },
  PATIENT: {
    IDENTITY: ownRecordOnly, CONTACT: ownRecordOnly, INSURANCE: ownRecordOnly, SCHEDULE: ownRecordOnly, CARE_TEAM: ownRecordOnly,
    CLINICAL: ownRecordOnly, NOTES: ownRecordOnly, BILLING: ownRecordOnly, CLINICAL_BILLING: ownRecordOnly, PRIVACY: ownRecordOnly,
  },
};

/** Categories of every employee's record each role reads. Every employee also reads all of their own record. */
export const EMPLOYEE_ACCESS: Record<Role, readonly EmployeeCategory[]> = {
  PHYSICIAN: ['STAFF_DIRECTORY', 'STAFF_CONTACT'],
  NURSE: ['STAFF_DIRECTORY', 'STAFF_CONTACT'],
  CONSULTANT: ['STAFF_DIRECTORY', 'STAFF_CONTACT'],
  RECEPTIONIST: ['STAFF_DIRECTORY', 'STAFF_CONTACT'],
  BILLING_AGENT: ['STAFF_DIRECTORY', 'STAFF_CONTACT'],
  ACCOUNTANT: ['STAFF_DIRECTORY', 'STAFF_CONTACT', 'STAFF_EMPLOYMENT', 'STAFF_SIN', 'STAFF_PAY'],
  HR: ['STAFF_DIRECTORY', 'STAFF_CONTACT', 'STAFF_PERSONAL', 'STAFF_EMPLOYMENT', 'STAFF_SIN', 'STAFF_PAY'],
  MANAGER: ['STAFF_DIRECTORY', 'STAFF_CONTACT', 'STAFF_EMPLOYMENT'],
  PRIVACY_OFFICER: ['STAFF_DIRECTORY', 'STAFF_CONTACT'],
  PATIENT: ['STAFF_DIRECTORY'],
};

/**
 * Former employees (seed 002, Centre Médical Mieux-Être): "Post-employment employees: employee
 * information will be permanently deleted after 10 years. Employee information is archived on
 * company-wide platforms and remains accessible only to human resources staff. All this data is
 * kept in files protected by limited access and double authentication."
 *
 * From the clinic day their employment ends (terminationDate on or before today), a former
 * employee's record is read only by HR, and only with two-factor authentication; every other role
 * loses what it read of it (the table above), except the categories in `stillNamedWith`: what a
 * patient's record needs to name the author of what they wrote (a note's author, an appointment's
 * practitioner, a care team's member): id, name, job title and role. The 10-year rule then deletes
 * the rest (SPEC §11, the employee subgraph's retention).
 */
export const FORMER_EMPLOYEES = {
  readBy: ['HR'] as readonly Role[],
  withMfa: true,
  stillNamedWith: ['STAFF_DIRECTORY'] as readonly EmployeeCategory[],
} as const;

// ── 4. Two-factor authentication ─────────────────────────────────────────────────────────────

export const REQUIRES_MFA: ReadonlySet<string> = new Set(['NOTES', 'STAFF_SIN', 'STAFF_PAY']);
const mfaFor = (category: string): Check[] => (REQUIRES_MFA.has(category) ? [withMfa] : []);

/** `Query.myPatients` (the ward board) lists the patients for whom the reader's grant of this category holds: their duty. */
export const MY_PATIENTS_CATEGORY: PatientCategory = 'CLINICAL';

/** An open emergency access lifts a patient's restrictions on these categories only (never NOTES). */
export const EMERGENCY_LIFTS_RESTRICTIONS_ON: ReadonlySet<PatientCategory> = new Set(['CLINICAL', 'CONTACT']);

// ── 4b. The same information under another name ──────────────────────────────────────────────

/**
 * Fields that hold a copy of, or are computed from, the information of other fields (SPEC §6):
 * a restriction on any of the sources also refuses the copy, whichever path reaches it.
 */
export const COPIES_OF: Readonly<Record<string, readonly string[]>> = {
  // The diagnosis code of an invoice is the patient's diagnosis.
  'Invoice.diagnosisCode': ['Patient.diagnoses'],
  // The balance is computed from the patient's invoices.
  'Patient.balance': ['Patient.invoices'],
};
const andItsCopies = (coordinate: string, restrictedAs: string) => [restrictedAs, ...(COPIES_OF[coordinate] ?? [])];

// ── 5. The rule of every field ───────────────────────────────────────────────────────────────

/** Reading a category of a patient's record: the role's grant, then the patient's restrictions, then MFA; audited. */
function readPatient(category: PatientCategory, restrictedAs: string | readonly string[], patient: PatientTarget): Check[] {
  return [
    isAuthenticated,
    mayReadPatient(PATIENT_ACCESS, category, patient),
    notRestrictedFor(restrictedAs, patient, EMERGENCY_LIFTS_RESTRICTIONS_ON.has(category)),
    ...mfaFor(category),
    auditedUnder(patient),
  ];
}

/** Writing to a part of a patient's record: a role allowed to write, who may also read that part; logged before it runs. */
function writePatient(roles: Role[], category: PatientCategory, restrictedAs: string, patient: PatientTarget): Check[] {
  return [
    isAuthenticated,
    isOneOf(roles),
    mayReadPatient(PATIENT_ACCESS, category, patient),
    notRestrictedFor(restrictedAs, patient, EMERGENCY_LIFTS_RESTRICTIONS_ON.has(category)),
    ...mfaFor(category),
    auditedUnder(patient),
  ];
}

/**
 * Who opens and ends the care relationships that make duty (issue 15), as a table of the same
 * vocabulary. A physician changes the care team only of a patient they have duty toward, so nobody
 * gives themself a duty toward a patient of their choosing; reception registers a new patient's
 * physician of record and nurse, as the front desk does (it reads every care team already and gains
 * no access by it); the privacy officer only ends relationships (a revoked access after a review) and
 * reads nothing of the record by it. Referrals are made by a physician with duty (the caller is the
 * referring physician) and ended by one or by the privacy officer. Every change is logged under the
 * patient before it runs.
 */
const CARE_TEAM_CHANGES: Record<'open' | 'end' | 'refer' | 'endReferral', AccessTable<'CARE_TEAM'>> = {
  open: { ...noOne(), PHYSICIAN: { CARE_TEAM: withDuty }, RECEPTIONIST: { CARE_TEAM: always } },
  end: { ...noOne(), PHYSICIAN: { CARE_TEAM: withDuty }, RECEPTIONIST: { CARE_TEAM: always }, PRIVACY_OFFICER: { CARE_TEAM: always } },
  refer: { ...noOne(), PHYSICIAN: { CARE_TEAM: withDuty } },
  endReferral: { ...noOne(), PHYSICIAN: { CARE_TEAM: withDuty }, PRIVACY_OFFICER: { CARE_TEAM: always } },
};
function noOne<C extends string>(): AccessTable<C> {
  return { PHYSICIAN: {}, NURSE: {}, CONSULTANT: {}, RECEPTIONIST: {}, BILLING_AGENT: {}, ACCOUNTANT: {}, HR: {}, MANAGER: {}, PRIVACY_OFFICER: {}, PATIENT: {} };
}
function changeCareTeam(table: AccessTable<'CARE_TEAM'>, patient: PatientTarget): Check[] {
  return [isAuthenticated, mayReadPatient(table, 'CARE_TEAM', patient), notRestrictedFor('Patient.careTeam', patient), auditedUnder(patient)];
}

/**
 * Who records a communication of a patient's information without consent (issue 14, the disclosure
 * register), as a table of the same vocabulary: a physician or nurse with duty toward the patient
 * (the duty of reading CLINICAL: care assignment, appointment today or emergency access), for an
 * emergency only (seed 000: "a serious risk of death or serious injury"); the privacy officer, who
 * answers courts, police and public health, on every legal basis. The entry is PRIVACY information of
 * the patient (`Patient.disclosures`); recording it reads nothing of the record. Logged before it runs.
 */
const DISCLOSURE_RECORDERS: AccessTable<'PRIVACY'> = { ...noOne(), PHYSICIAN: { PRIVACY: withDuty }, NURSE: { PRIVACY: withDuty }, PRIVACY_OFFICER: { PRIVACY: always } };
const DISCLOSURE_BASES_BY_ROLE: Partial<Record<Role, readonly DisclosureLegalBasis[]>> = {
  PHYSICIAN: ['EMERGENCY'],
  NURSE: ['EMERGENCY'],
  PRIVACY_OFFICER: DISCLOSURE_LEGAL_BASIS_NAMES,
};
const theDisclosedPatient = thePatientArgument('input.patientId');
const recordDisclosure = [
  isAuthenticated,
  mayReadPatient(DISCLOSURE_RECORDERS, 'PRIVACY', theDisclosedPatient),
  argumentAllowedFor('input.legalBasis', DISCLOSURE_BASES_BY_ROLE),
  auditedUnder(theDisclosedPatient),
];

/** Roles granted a category of some patient's record (the root fields that lead there). */
const rolesGranted = (category: PatientCategory, conditions?: Condition[]) =>
  (Object.keys(PATIENT_ACCESS) as Role[]).filter((role) => {
    const condition = PATIENT_ACCESS[role][category];
    return condition !== undefined && (!conditions || conditions.includes(condition));
  });

const anyPatientReader = (Object.keys(PATIENT_ACCESS) as Role[]).filter((role) => Object.keys(PATIENT_ACCESS[role]).length > 0);

/**
 * Values derived from patients' names are names too: the order of a patient listing, what a search
 * by name matches, how many it matches. Only roles that read every patient's name get them; others
 * get rows by id and no search, and a restriction on a patient's name takes the name order away and
 * keeps that patient out of the reader's searches (gateway/src/derived-values/patient-listing.ts).
 * Cursors are sealed: they reveal nothing. A listing is audited as a read of what it is made of.
 */
export const DERIVED_FROM_NAMES = {
  fields: ['Patient.firstName', 'Patient.lastName'],
  readers: rolesGranted('IDENTITY', [always]),
} as const;

/** An appointment is read as its patient's `Patient.appointments`; an invoice as its patient's `Patient.invoices`. */
const readAppointment = readPatient(APPOINTMENT_CATEGORY, 'Patient.appointments', thePatientOfTheAppointment);
const readInvoice = readPatient(INVOICE_CATEGORY, 'Patient.invoices', thePatientOfTheInvoice);
/** A rectification request is read as its patient's `Patient.rectificationRequests` (PRIVACY: the patient, the privacy officer). */
const readRectificationRequest = readPatient('PRIVACY', 'Patient.rectificationRequests', thePatientOfTheRectificationRequest);
const insideItsParent = [decidedByTheFieldThatReachedIt];

/**
 * The patient's rights over their own record (SPEC §10): only a patient, only on the record of the
 * verified viewer. No argument names the patient, so nobody can export, correct or consent for
 * another; the decision is recorded under that patient in the audit log.
 */
const patientExercisesARight = [isAuthenticated, isOneOf(['PATIENT']), auditedUnder(theViewerAsPatient)];

/** The privacy officer's registers: retention and destruction (SPEC §11). */
const privacyOfficerOnly = [isAuthenticated, isOneOf(['PRIVACY_OFFICER'])];

const eachField = <F extends string>(fields: Record<F, unknown>, rule: (field: F) => Check[]) =>
  Object.fromEntries((Object.keys(fields) as F[]).map((field) => [field, rule(field)])) as Record<F, Check[]>;

export const RULES: RuleMap = {
  Query: {
    me: [isAuthenticated],
    patient: [isAuthenticated, isOneOf(anyPatientReader), patientsNameOnlyThemselves('id'), auditedUnder(thePatientArgument('id'))],
    patients: [isAuthenticated, isOneOf(rolesGranted('IDENTITY', [always, idOnly]))],
    // The ward board: only patients the reader has a duty toward (their grant of MY_PATIENTS_CATEGORY holds), so no NO_DUTY refusals.
    myPatients: [isAuthenticated, isOneOf(rolesGranted(MY_PATIENTS_CATEGORY, [withDuty, withActiveReferral]))],
    appointments: [isAuthenticated, isOneOf(rolesGranted('SCHEDULE'))],
    employee: [isAuthenticated],
    employees: [isAuthenticated],
    invoice: [isAuthenticated, isOneOf(rolesGranted('BILLING'))],
    auditLog: [isAuthenticated, isOneOf(['PRIVACY_OFFICER'])],
    // Issue 15: the same search as a page (rows, whether more follow, the end cursor).
    auditLogPage: [isAuthenticated, isOneOf(['PRIVACY_OFFICER'])],
    verifyAuditChain: [isAuthenticated, isOneOf(['PRIVACY_OFFICER'])],
    incidents: [isAuthenticated, isOneOf(['PRIVACY_OFFICER'])],
    // SPEC §10 portability: the viewer's own record as a FHIR R4 Bundle.
    exportMyData: patientExercisesARight,
    // The privacy officer's work list; every row is ruled as a part of its patient's record (below).
    rectificationRequests: [isAuthenticated, isOneOf(['PRIVACY_OFFICER'])],
    retentionReport: privacyOfficerOnly,
    retentionRuns: privacyOfficerOnly,
    // Issue 14: the register of requests on the legal clock and the legal holds; each row is logged under its patient.
    patientRequests: privacyOfficerOnly,
    legalHolds: privacyOfficerOnly,
    myRequests: patientExercisesARight,
    // Issue 15, the reverse questions: who reads a patient's field is about that patient (logged under them).
    whoCanRead: [...privacyOfficerOnly, auditedUnder(thePatientArgument('patientId'))],
    // The answer says, for each patient it lists, what the employee reads of them and why (their duties): one event under those patients.
    readableBy: privacyOfficerOnly,
    // Issue 15, the yearly access review: each employee's duties, restrictions, emergency accesses and refusals name
    // patients (the review is recorded under each of them); sign-offs and the overdue list are about employees only.
    accessReview: privacyOfficerOnly,
    overdueAccessReviews: privacyOfficerOnly,
    accessReviewSignOffs: privacyOfficerOnly,
    // Issue 14: the disclosure register (each row is logged under its patient) and the incident register's export (recorded in its history).
    disclosures: privacyOfficerOnly,
    incidentRegisterExport: privacyOfficerOnly,
    // Issue 15: the review queue (the watch over allowed reads, emergency accesses, repeated refusals); rows name patients by id only.
    reviewItems: privacyOfficerOnly,
  },

  Mutation: {
    bookAppointment: writePatient(['RECEPTIONIST'], 'SCHEDULE', 'Patient.appointments', thePatientArgument('input.patientId')),
    cancelAppointment: writePatient(['RECEPTIONIST'], 'SCHEDULE', 'Patient.appointments', thePatientOfTheAppointmentArgument('id')),
    addClinicalNote: writePatient(['PHYSICIAN', 'NURSE'], 'NOTES', 'Patient.clinicalNotes', thePatientArgument('patientId')),
    recordVital: writePatient(['PHYSICIAN', 'NURSE'], 'CLINICAL', 'Patient.vitals', thePatientArgument('patientId')),
    createAccessRestriction: [isAuthenticated, isOneOf(['PRIVACY_OFFICER']), auditedUnder(thePatientArgument('input.patientId'))],
    liftAccessRestriction: [isAuthenticated, isOneOf(['PRIVACY_OFFICER']), auditedUnder(thePatientOfTheRestrictionArgument('id'))],
    // Break the glass: any physician or nurse, for any patient; every use is audited and opens a review item (an incident if misused).
    openEmergencyAccess: [isAuthenticated, isOneOf(['PHYSICIAN', 'NURSE']), auditedUnder(thePatientArgument('patientId'))],
    reportIncident: [isAuthenticated, isOneOf(['PRIVACY_OFFICER'])],
    updateIncident: [isAuthenticated, isOneOf(['PRIVACY_OFFICER'])],
    // SPEC §10: a patient asks for corrections and sets their consent on their own record; the privacy officer decides.
    requestRectification: writePatient(['PATIENT'], 'PRIVACY', 'Patient.rectificationRequests', theViewerAsPatient),
    setCommunicationConsent: writePatient(['PATIENT'], 'PRIVACY', 'Patient.communicationConsent', theViewerAsPatient),
    decideRectification: writePatient(['PRIVACY_OFFICER'], 'PRIVACY', 'Patient.rectificationRequests', thePatientOfTheRectificationArgument('id')),
    // SPEC §11: destroys and anonymizes for good.
    applyRetention: [...privacyOfficerOnly, withMfa],
    // Issue 14: a patient asks for the destruction of their own record; the privacy officer files paper requests,
    // decides (an accepted destruction is for good: two-factor) and places or lifts legal holds.
    requestRecordDestruction: patientExercisesARight,
    // A patient asks for a restriction on their own record (SPEC §6); the privacy officer decides, and an accepted one is made.
    requestAccessRestriction: writePatient(['PATIENT'], 'PRIVACY', 'Patient.accessRestrictions', theViewerAsPatient),
    fileRequestOnPaper: [...privacyOfficerOnly, auditedUnder(thePatientArgument('patientId'))],
    fileRectificationOnPaper: [...privacyOfficerOnly, auditedUnder(thePatientArgument('patientId'))],
    decidePatientRequest: [...privacyOfficerOnly, withMfa, auditedUnder(thePatientArgument('patientId'))],
    placeLegalHold: [...privacyOfficerOnly, auditedUnder(thePatientArgument('patientId'))],
    liftLegalHold: [...privacyOfficerOnly, auditedUnder(thePatientArgument('patientId'))],
    // Issue 15: care relationships that begin and end (who may: CARE_TEAM_CHANGES above).
    openCareAssignment: changeCareTeam(CARE_TEAM_CHANGES.open, thePatientArgument('input.patientId')),
    renewCareAssignment: changeCareTeam(CARE_TEAM_CHANGES.open, thePatientArgument('patientId')),
    endCareAssignment: changeCareTeam(CARE_TEAM_CHANGES.end, thePatientArgument('patientId')),
    openReferral: changeCareTeam(CARE_TEAM_CHANGES.refer, thePatientArgument('input.patientId')),
    endReferral: changeCareTeam(CARE_TEAM_CHANGES.endReferral, thePatientArgument('patientId')),
    // Issue 15: the privacy officer's sign-off of an employee's yearly access review (the reviewer is the verified viewer).
    signOffAccessReview: privacyOfficerOnly,
    // Issue 14: a communication without consent (who may: DISCLOSURE_RECORDERS above).
    recordDisclosure,
    // Issue 15: the privacy officer flags a record sensitive (logged under the patient before it runs) and closes review items.
    markRecordSensitive: writePatient(['PRIVACY_OFFICER'], 'PRIVACY', 'Patient.sensitive', thePatientArgument('patientId')),
    closeReviewItem: privacyOfficerOnly,
  },

  Viewer: { id: [isAuthenticated], role: [isAuthenticated], mfa: [isAuthenticated], employee: [isAuthenticated], patient: [isAuthenticated] },

  Patient: eachField(PATIENT_FIELD_CATEGORY, (field) => readPatient(PATIENT_FIELD_CATEGORY[field], andItsCopies(`Patient.${field}`, `Patient.${field}`), theParentPatient)),

  Appointment: { id: readAppointment, startsAt: readAppointment, reason: readAppointment, status: readAppointment, patient: readAppointment, practitioner: readAppointment },

  Invoice: {
    id: readInvoice,
    patient: readInvoice,
    serviceDate: readInvoice,
    ramqBillingCode: readInvoice,
    description: readInvoice,
    amount: readInvoice,
    status: readInvoice,
    payments: readInvoice,
    diagnosisCode: readPatient(INVOICE_DIAGNOSIS_CATEGORY, andItsCopies('Invoice.diagnosisCode', 'Patient.invoices'), thePatientOfTheInvoice),
  },

  Employee: eachField(EMPLOYEE_FIELD_CATEGORY, (field) => [
    isAuthenticated,
    mayReadEmployee(EMPLOYEE_ACCESS, EMPLOYEE_FIELD_CATEGORY[field]),
    ...mfaFor(EMPLOYEE_FIELD_CATEGORY[field]),
    ...(FORMER_EMPLOYEES.stillNamedWith.includes(EMPLOYEE_FIELD_CATEGORY[field]) ? [] : [formerEmployeesReadOnlyBy(FORMER_EMPLOYEES.readBy, FORMER_EMPLOYEES.withMfa)]),
  ]),

  // Parts of a patient's record: reached only through a Patient field or a mutation ruled above.
  Medication: { name: insideItsParent, dosage: insideItsParent },
  Diagnosis: { code: insideItsParent, description: insideItsParent, recordedAt: insideItsParent },
  Vital: { kind: insideItsParent, value: insideItsParent, recordedAt: insideItsParent },
  Document: { id: insideItsParent, kind: insideItsParent, title: insideItsParent, createdAt: insideItsParent },
  ClinicalNote: { id: insideItsParent, text: insideItsParent, writtenAt: insideItsParent, author: insideItsParent },
  CareAssignment: { id: insideItsParent, kind: insideItsParent, since: insideItsParent, until: insideItsParent, lapsesAt: insideItsParent, employee: insideItsParent },
  Referral: {
    id: insideItsParent, patientId: insideItsParent, consultant: insideItsParent, referredBy: insideItsParent, reason: insideItsParent,
    since: insideItsParent, until: insideItsParent,
  },
  CommunicationConsent: { appointmentReminders: insideItsParent, newsletter: insideItsParent },
  AccessRestriction: {
    id: insideItsParent, patientId: insideItsParent, employeeId: insideItsParent, role: insideItsParent, fields: insideItsParent,
    reason: insideItsParent, from: insideItsParent, to: insideItsParent, lifted: insideItsParent, requestedBy: insideItsParent,
    requestedById: insideItsParent, requestedAt: insideItsParent, requestId: insideItsParent,
  },
  RectificationRequest: {
    id: readRectificationRequest, patientId: readRectificationRequest, field: readRectificationRequest, proposedValue: readRectificationRequest,
    reason: readRectificationRequest, status: readRectificationRequest, requestedAt: readRectificationRequest, decidedAt: readRectificationRequest,
    decisionReason: readRectificationRequest,
  },
  Payment: { method: insideItsParent, amount: insideItsParent, paidAt: insideItsParent, cardLast4: insideItsParent },
  AccessLogEntry: { at: insideItsParent, staffName: insideItsParent, role: insideItsParent, categories: insideItsParent },

  // The privacy officer's registers: reached only through the fields ruled above.
  AuditEvent: {
    id: insideItsParent, at: insideItsParent, actorId: insideItsParent, role: insideItsParent, patientId: insideItsParent, fields: insideItsParent,
    decision: insideItsParent, reason: insideItsParent, emergencyAccessId: insideItsParent, operationName: insideItsParent,
    clientName: insideItsParent, requestId: insideItsParent, clientRequestId: insideItsParent,
    // Issue 15: the rules version that decided, a search's filters and the sealed page cursor; like the rest, only through Query.auditLog.
    rulesVersion: insideItsParent, filters: insideItsParent, cursor: insideItsParent,
  },
  AuditLogPage: { events: insideItsParent, hasNextPage: insideItsParent, endCursor: insideItsParent },
  AuditChainStatus: { ok: insideItsParent, events: insideItsParent, firstBrokenEventId: insideItsParent, registers: insideItsParent },
  EmergencyAccess: { id: insideItsParent, patientId: insideItsParent, grantedTo: insideItsParent, justification: insideItsParent, expiresAt: insideItsParent },
  Incident: {
    id: insideItsParent, kind: insideItsParent, description: insideItsParent, circumstances: insideItsParent, occurredAt: insideItsParent,
    occurredFrom: insideItsParent, occurredTo: insideItsParent, occurredApproximately: insideItsParent, discoveredAt: insideItsParent,
    categories: insideItsParent, personsConcerned: insideItsParent, personsConcernedApproximate: insideItsParent, seriousRisk: insideItsParent,
    seriousRiskReasons: insideItsParent, caiNotifiedAt: insideItsParent, personsNotifiedAt: insideItsParent, publicNoticeAt: insideItsParent,
    publicNoticeReason: insideItsParent, measures: insideItsParent, status: insideItsParent,
    // The edit history names who changed the register: the privacy officer's, whichever field reached the incident.
    history: privacyOfficerOnly,
  },
  IncidentHistoryEntry: { id: insideItsParent, at: insideItsParent, action: insideItsParent, by: insideItsParent, byRole: insideItsParent, changes: insideItsParent },
  IncidentFieldChange: { field: insideItsParent, value: insideItsParent },
  RegisterExport: { format: insideItsParent, contentType: insideItsParent, filename: insideItsParent, entries: insideItsParent, content: insideItsParent },
  RegisterChainStatus: { register: insideItsParent, ok: insideItsParent, entries: insideItsParent, firstBrokenEntryId: insideItsParent },
  // A disclosure is read as its patient's `Patient.disclosures` (PRIVACY) or in the privacy officer's register.
  Disclosure: {
    id: insideItsParent, patientId: insideItsParent, recipientName: insideItsParent, recipientOrganisation: insideItsParent, legalBasis: insideItsParent,
    categories: insideItsParent, purpose: insideItsParent, releasedBy: insideItsParent, releasedByRole: insideItsParent, releasedByName: insideItsParent,
    disclosedAt: insideItsParent, recordedAt: insideItsParent, emergencyAccessId: insideItsParent,
  },

  ReviewItem: {
    id: insideItsParent, kind: insideItsParent, openedAt: insideItsParent, actorId: insideItsParent, patientIds: insideItsParent, trigger: insideItsParent,
    status: insideItsParent, outcome: insideItsParent, note: insideItsParent, closedBy: insideItsParent, closedAt: insideItsParent,
    emergencyAccessId: insideItsParent, incidentId: insideItsParent,
  },
  ReviewItemConnection: { nodes: insideItsParent, totalCount: insideItsParent, hasNextPage: insideItsParent, endCursor: insideItsParent },

  // Retention (SPEC §11): reached only through the privacy officer's fields ruled above. Items are named by id, never by content.
  RetentionReport: { asOf: insideItsParent, rules: insideItsParent, due: insideItsParent, totals: insideItsParent, kept: insideItsParent },
  PatientRequest: {
    id: insideItsParent, patientId: insideItsParent, kind: insideItsParent, channel: insideItsParent, filedBy: insideItsParent, receivedAt: insideItsParent,
    dueAt: insideItsParent, status: insideItsParent, overdue: insideItsParent, decidedAt: insideItsParent, decidedBy: insideItsParent,
    decisionReason: insideItsParent, appealNotice: insideItsParent, details: insideItsParent, restriction: insideItsParent, outcome: insideItsParent,
  },
  RequestedRestriction: {
    employeeId: insideItsParent, role: insideItsParent, fields: insideItsParent, reason: insideItsParent, from: insideItsParent, to: insideItsParent,
  },
  LegalHold: {
    id: insideItsParent, patientId: insideItsParent, reason: insideItsParent, placedBy: insideItsParent, placedAt: insideItsParent,
    liftReason: insideItsParent, liftedBy: insideItsParent, liftedAt: insideItsParent,
  },
  RetentionRule: { code: insideItsParent, description: insideItsParent, action: insideItsParent },
  RetentionItem: { rule: insideItsParent, itemKind: insideItsParent, itemId: insideItsParent, ownerId: insideItsParent, dueSince: insideItsParent },
  RetentionCount: { rule: insideItsParent, itemKind: insideItsParent, count: insideItsParent, reason: insideItsParent },
  RetentionRun: { id: insideItsParent, startedAt: insideItsParent, finishedAt: insideItsParent, ranBy: insideItsParent, status: insideItsParent, records: insideItsParent },
  DestructionRecord: {
    id: insideItsParent, runId: insideItsParent, rule: insideItsParent, itemKind: insideItsParent, action: insideItsParent, count: insideItsParent,
    source: insideItsParent, destroyedAt: insideItsParent, destroyedBy: insideItsParent, destroyedByRole: insideItsParent,
  },

  // The reverse questions' answers: reached only through the privacy officer's fields above.
  FieldReader: { readerId: insideItsParent, role: insideItsParent, needsMfa: insideItsParent, why: insideItsParent },
  FieldReason: { field: insideItsParent, steps: insideItsParent },
  ReadablePatient: { patientId: insideItsParent, fields: insideItsParent, fieldsNeedingMfa: insideItsParent, why: insideItsParent },

  // The yearly access review's answers: reached only through the privacy officer's fields above.
  EmployeeAccessReview: {
    employeeId: insideItsParent, role: insideItsParent, hireDate: insideItsParent, terminationDate: insideItsParent, employed: insideItsParent,
    twoFactor: insideItsParent, lastActivityAt: insideItsParent, duties: insideItsParent, restrictions: insideItsParent,
    emergencyAccesses: insideItsParent, refusals: insideItsParent, lastSignOff: insideItsParent, lastReviewedAt: insideItsParent, overdue: insideItsParent,
  },
  TwoFactorUse: { daysWithMfa: insideItsParent, daysWithoutMfa: insideItsParent, lastDayWithMfa: insideItsParent, lastDayWithoutMfa: insideItsParent },
  ReviewDuty: { kind: insideItsParent, patientId: insideItsParent, since: insideItsParent, until: insideItsParent, ageDays: insideItsParent, detail: insideItsParent },
  ReviewRestriction: { id: insideItsParent, patientId: insideItsParent, fields: insideItsParent, namedBy: insideItsParent, from: insideItsParent, to: insideItsParent },
  ReviewEmergencyAccess: { id: insideItsParent, patientId: insideItsParent, openedAt: insideItsParent, expiresAt: insideItsParent, justification: insideItsParent },
  ReviewRefusal: { eventId: insideItsParent, at: insideItsParent, reason: insideItsParent, fields: insideItsParent, patientIds: insideItsParent },
  AccessReviewSignOff: {
    id: insideItsParent, employeeId: insideItsParent, role: insideItsParent, decision: insideItsParent, note: insideItsParent, reviewerId: insideItsParent,
    at: insideItsParent,
  },
  OverdueAccessReview: { employeeId: insideItsParent, role: insideItsParent, employed: insideItsParent, terminationDate: insideItsParent, lastReviewedAt: insideItsParent },

  // Pagination wrappers: their rows are ruled by their own types.
  PatientConnection: { edges: insideItsParent, nodes: insideItsParent, pageInfo: insideItsParent, totalCount: insideItsParent },
  PatientEdge: { cursor: insideItsParent, node: insideItsParent },
  EmployeeConnection: { edges: insideItsParent, nodes: insideItsParent, pageInfo: insideItsParent, totalCount: insideItsParent },
  EmployeeEdge: { cursor: insideItsParent, node: insideItsParent },
  PageInfo: { hasNextPage: insideItsParent, hasPreviousPage: insideItsParent, startCursor: insideItsParent, endCursor: insideItsParent },
};

/**
 * Mutations that change no one patient's record, so no rule logs them under a patient. Every other
 * mutation is logged under its patient before it runs (a test walks the supergraph's mutations).
 */
export const MUTATIONS_ABOUT_NO_ONE_PATIENT: Readonly<Record<string, string>> = {
  'Mutation.reportIncident': "the incident register holds counts and categories, not a patient's record",
  'Mutation.updateIncident': "the incident register holds counts and categories, not a patient's record",
  'Mutation.applyRetention': 'its resolver logs every patient whose items are due before anything is destroyed',
  'Mutation.signOffAccessReview': "a sign-off is about an employee's access, kept in its own hash-chained register",
  'Mutation.closeReviewItem': 'the review queue names patients by id and closing an item changes no record (a MISUSE outcome adds to the incident register)',
};

/**
 * Root fields that fetch one record by id: a record the reader may not see answers exactly like
 * an id that names nothing (no existence oracle), and the attempt is logged under its patient.
 * (`Query.patient` keeps SPEC §5's answer: the record with each field refused and its reason.)
 */
export const HIDDEN_UNLESS_READABLE: Readonly<Record<string, { record: string; readableAs: string }>> = {
  'Query.invoice': { record: 'invoice', readableAs: 'Invoice.id' },
};

/**
 * Lists whose rows belong to different patients keep only the rows the reader may read (a day's
 * schedule holds patients a nurse has no duty toward); withheld rows are reported as one FORBIDDEN error.
 */
export const ROW_FILTERS: RowFilterMap = {
  'Query.appointments': { rowType: 'Appointment', keep: readAppointment },
};
