/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AccessRestrictionInput = {
  /** The employee the restriction names; give this or role, not both. */
  employeeId?: string | number | null | undefined;
  /** Type.field names of the patient's record, e.g. Patient.diagnoses */
  fields: Array<string>;
  /** Optional start: a clinic day (YYYY-MM-DD, from its start) or an ISO-8601 instant with a time zone; default: now. */
  from?: string | null | undefined;
  patientId: string | number;
  reason: string;
  /** The staff role the restriction names; give this or employeeId, not both. */
  role?: Role | null | undefined;
  /** Optional end: a clinic day (YYYY-MM-DD, that whole day included) or an ISO-8601 instant; default: until lifted. */
  to?: string | null | undefined;
};

export type BookAppointmentInput = {
  patientId: string | number;
  practitionerId: string | number;
  reason?: string | null | undefined;
  /** ISO-8601 instant with a time zone, e.g. 2026-11-25T14:30:00-05:00 */
  startsAt: string;
};

/** The restriction a patient asks for: name exactly one of employeeId and role. */
export type RestrictionRequestInput = {
  employeeId?: string | number | null | undefined;
  /** Type.field names of the patient's record, e.g. Patient.diagnoses */
  fields: Array<string>;
  /** Optional start: a clinic day (YYYY-MM-DD) or an ISO-8601 instant with a time zone. */
  from?: string | null | undefined;
  reason: string;
  /** A staff role, e.g. RECEPTIONIST. */
  role?: Role | null | undefined;
  /** Optional end: a clinic day (YYYY-MM-DD, that whole day included) or an ISO-8601 instant with a time zone. */
  to?: string | null | undefined;
};

export type Role =
  | 'ACCOUNTANT'
  | 'BILLING_AGENT'
  | 'CONSULTANT'
  | 'HR'
  | 'MANAGER'
  | 'NURSE'
  | 'PATIENT'
  | 'PHYSICIAN'
  | 'PRIVACY_OFFICER'
  | 'RECEPTIONIST';

export type DeskMeQueryVariables = Exact<{ [key: string]: never; }>;


export type DeskMeQuery = { me: { id: string, role: Role, mfa: boolean, employee: { firstName: string | null, lastName: string | null, jobTitle: string | null } | null, patient: { firstName: string | null, lastName: string | null } | null } };

export type DeskScheduleQueryVariables = Exact<{
  day?: string | null | undefined;
}>;


export type DeskScheduleQuery = { appointments: Array<{ id: string, startsAt: string, reason: string | null, status: string | null, patient: { id: string, firstName: string | null, lastName: string | null, phone: string | null, healthInsuranceNumber: string | null } | null, practitioner: { id: string, firstName: string | null, lastName: string | null } | null }> };

export type DeskSearchPatientsQueryVariables = Exact<{
  search?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type DeskSearchPatientsQuery = { patients: { totalCount: number, nodes: Array<{ id: string, firstName: string | null, lastName: string | null, dateOfBirth: string | null, phone: string | null, healthInsuranceNumber: string | null }> } | null };

export type DeskPractitionersQueryVariables = Exact<{ [key: string]: never; }>;


export type DeskPractitionersQuery = { employees: { nodes: Array<{ id: string, firstName: string | null, lastName: string | null, role: Role | null, jobTitle: string | null }> } | null };

export type DeskBookAppointmentMutationVariables = Exact<{
  input: BookAppointmentInput;
}>;


export type DeskBookAppointmentMutation = { bookAppointment: { id: string, startsAt: string, status: string | null } };

export type DeskCancelAppointmentMutationVariables = Exact<{
  id: string | number;
}>;


export type DeskCancelAppointmentMutation = { cancelAppointment: { id: string, status: string | null } };

export type DeskWardBoardQueryVariables = Exact<{ [key: string]: never; }>;


export type DeskWardBoardQuery = { myPatients: Array<{ id: string, firstName: string | null, lastName: string | null, allergies: Array<string> | null, medications: Array<{ name: string, dosage: string | null }> | null, vitals: Array<{ kind: string, value: string, recordedAt: string | null }> | null }> };

export type DeskRecordVitalMutationVariables = Exact<{
  patientId: string | number;
  kind: string;
  value: string;
}>;


export type DeskRecordVitalMutation = { recordVital: { kind: string, value: string, recordedAt: string | null } };

export type DeskChartPatientsQueryVariables = Exact<{ [key: string]: never; }>;


export type DeskChartPatientsQuery = { myPatients: Array<{ id: string, firstName: string | null, lastName: string | null }> };

export type DeskChartQueryVariables = Exact<{
  id: string | number;
}>;


export type DeskChartQuery = { patient: { id: string, firstName: string | null, lastName: string | null, dateOfBirth: string | null, sex: string | null, phone: string | null, email: string | null, address: string | null, healthInsuranceNumber: string | null, allergies: Array<string> | null, medications: Array<{ name: string, dosage: string | null }> | null, diagnoses: Array<{ code: string, description: string | null, recordedAt: string | null }> | null, vitals: Array<{ kind: string, value: string, recordedAt: string | null }> | null, documents: Array<{ id: string, kind: string, title: string | null, createdAt: string | null }> | null, careTeam: Array<{ kind: string, since: string | null, until: string | null, employee: { firstName: string | null, lastName: string | null, jobTitle: string | null } | null }> | null, appointments: Array<{ id: string, startsAt: string, reason: string | null, status: string | null }> | null } | null };

export type DeskNotesQueryVariables = Exact<{
  id: string | number;
}>;


export type DeskNotesQuery = { patient: { id: string, clinicalNotes: Array<{ id: string, text: string | null, writtenAt: string | null, author: { firstName: string | null, lastName: string | null } | null }> | null } | null };

export type DeskAddNoteMutationVariables = Exact<{
  patientId: string | number;
  text: string;
}>;


export type DeskAddNoteMutation = { addClinicalNote: { id: string, writtenAt: string | null } };

export type DeskOpenEmergencyAccessMutationVariables = Exact<{
  patientId: string | number;
  justification: string;
}>;


export type DeskOpenEmergencyAccessMutation = { openEmergencyAccess: { id: string, patientId: string, expiresAt: string } };

export type DeskMyRecordQueryVariables = Exact<{ [key: string]: never; }>;


export type DeskMyRecordQuery = { me: { id: string, patient: { id: string, firstName: string | null, lastName: string | null, dateOfBirth: string | null, sex: string | null, phone: string | null, email: string | null, address: string | null, healthInsuranceNumber: string | null, allergies: Array<string> | null, medications: Array<{ name: string, dosage: string | null }> | null, diagnoses: Array<{ code: string, description: string | null }> | null, vitals: Array<{ kind: string, value: string, recordedAt: string | null }> | null, appointments: Array<{ id: string, startsAt: string, reason: string | null, status: string | null }> | null, communicationConsent: { appointmentReminders: boolean, newsletter: boolean } | null, accessLog: Array<{ at: string, staffName: string | null, role: Role | null, categories: Array<string> }> | null, accessRestrictions: Array<{ id: string, fields: Array<string>, reason: string | null, role: Role | null, employeeId: string | null, lifted: boolean }> | null, rectificationRequests: Array<{ id: string, field: string, proposedValue: string, reason: string, status: string, requestedAt: string, decidedAt: string | null, decisionReason: string | null }> | null } | null } };

export type DeskExportMyDataQueryVariables = Exact<{ [key: string]: never; }>;


export type DeskExportMyDataQuery = { exportMyData: string };

export type DeskSetConsentMutationVariables = Exact<{
  appointmentReminders?: boolean | null | undefined;
  newsletter?: boolean | null | undefined;
}>;


export type DeskSetConsentMutation = { setCommunicationConsent: { appointmentReminders: boolean, newsletter: boolean } };

export type DeskRequestRectificationMutationVariables = Exact<{
  field: string;
  proposedValue: string;
  reason: string;
}>;


export type DeskRequestRectificationMutation = { requestRectification: { id: string, status: string } };

export type DeskStaffDirectoryQueryVariables = Exact<{ [key: string]: never; }>;


export type DeskStaffDirectoryQuery = { employees: { nodes: Array<{ id: string, firstName: string | null, lastName: string | null, jobTitle: string | null }> } | null };

export type DeskMyRequestsQueryVariables = Exact<{ [key: string]: never; }>;


export type DeskMyRequestsQuery = { myRequests: Array<{ id: string, kind: string, status: string, receivedAt: string, dueAt: string, decisionReason: string | null, outcome: string | null, appealNotice: string | null, restriction: { fields: Array<string>, role: Role | null, employeeId: string | null, from: string | null, to: string | null } | null }> };

export type DeskRequestRestrictionMutationVariables = Exact<{
  input: RestrictionRequestInput;
}>;


export type DeskRequestRestrictionMutation = { requestAccessRestriction: { id: string, status: string, dueAt: string } };

export type DeskAuditQueryVariables = Exact<{
  patientId?: string | number | null | undefined;
  actorId?: string | number | null | undefined;
}>;


export type DeskAuditQuery = { verifyAuditChain: { ok: boolean, events: number, firstBrokenEventId: string | null }, auditLog: Array<{ id: string, at: string, actorId: string | null, role: Role | null, patientId: string | null, fields: Array<string>, decision: string, reason: string | null, emergencyAccessId: string | null, operationName: string | null, clientName: string | null }> };

export type DeskIncidentsQueryVariables = Exact<{ [key: string]: never; }>;


export type DeskIncidentsQuery = { incidents: Array<{ id: string, kind: string, description: string | null, occurredAt: string | null, status: string | null, seriousRisk: boolean | null, personsConcerned: number | null, categories: Array<string> | null }> };

export type DeskPrivacyPatientsQueryVariables = Exact<{ [key: string]: never; }>;


export type DeskPrivacyPatientsQuery = { patients: { nodes: Array<{ id: string, firstName: string | null, lastName: string | null }> } | null };

export type DeskRestrictionsQueryVariables = Exact<{
  id: string | number;
}>;


export type DeskRestrictionsQuery = { patient: { id: string, accessRestrictions: Array<{ id: string, employeeId: string | null, role: Role | null, fields: Array<string>, reason: string | null, from: string | null, to: string | null, lifted: boolean, requestedBy: string | null, requestedAt: string | null }> | null } | null };

export type DeskCreateRestrictionMutationVariables = Exact<{
  input: AccessRestrictionInput;
}>;


export type DeskCreateRestrictionMutation = { createAccessRestriction: { id: string, fields: Array<string>, lifted: boolean } };

export type DeskLiftRestrictionMutationVariables = Exact<{
  id: string | number;
}>;


export type DeskLiftRestrictionMutation = { liftAccessRestriction: { id: string, lifted: boolean } };

export type DeskPendingRectificationsQueryVariables = Exact<{ [key: string]: never; }>;


export type DeskPendingRectificationsQuery = { rectificationRequests: Array<{ id: string, patientId: string, field: string, proposedValue: string, reason: string, requestedAt: string, status: string }> };

export type DeskDecideRectificationMutationVariables = Exact<{
  id: string | number;
  accept: boolean;
  reason: string;
}>;


export type DeskDecideRectificationMutation = { decideRectification: { id: string, status: string, decisionReason: string | null } };

export type DeskPatientRequestsQueryVariables = Exact<{ [key: string]: never; }>;


export type DeskPatientRequestsQuery = { patientRequests: Array<{ id: string, patientId: string, kind: string, channel: string, receivedAt: string, dueAt: string, status: string, overdue: boolean, details: string | null, restriction: { fields: Array<string>, role: Role | null, employeeId: string | null, from: string | null, to: string | null, reason: string } | null }> };

export type DeskDecidePatientRequestMutationVariables = Exact<{
  patientId: string | number;
  id: string | number;
  accept: boolean;
  reason: string;
}>;


export type DeskDecidePatientRequestMutation = { decidePatientRequest: { id: string, status: string, outcome: string | null } };

export type DeskRetentionReportQueryVariables = Exact<{ [key: string]: never; }>;


export type DeskRetentionReportQuery = { retentionReport: { asOf: string, rules: Array<{ code: string, description: string, action: string }>, totals: Array<{ rule: string, itemKind: string, count: number }>, kept: Array<{ rule: string, itemKind: string, count: number, reason: string | null }> } };

export type DeskApplyRetentionMutationVariables = Exact<{ [key: string]: never; }>;


export type DeskApplyRetentionMutation = { applyRetention: { id: string, status: string, startedAt: string, records: Array<{ rule: string, itemKind: string, action: string, count: number }> } };

export type DeskReviewItemsQueryVariables = Exact<{ [key: string]: never; }>;


export type DeskReviewItemsQuery = { reviewItems: { totalCount: number, nodes: Array<{ id: string, kind: string, openedAt: string, actorId: string | null, patientIds: Array<string>, trigger: string, emergencyAccessId: string | null, incidentId: string | null }> } };

export type DeskCloseReviewItemMutationVariables = Exact<{
  id: string | number;
  outcome: string;
  note?: string | null | undefined;
}>;


export type DeskCloseReviewItemMutation = { closeReviewItem: { id: string, status: string, outcome: string | null, incidentId: string | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const DeskMeDocument = new TypedDocumentString(`
    query DeskMe {
  me {
    id
    role
    mfa
    employee {
      firstName
      lastName
      jobTitle
    }
    patient {
      firstName
      lastName
    }
  }
}
    `, {"hash":"sha256:4c1cb4d86dc0b2342976c9efe64435b8e4336beffd50d06aedd82cd708217e91"}) as unknown as TypedDocumentString<DeskMeQuery, DeskMeQueryVariables>;
export const DeskScheduleDocument = new TypedDocumentString(`
    query DeskSchedule($day: String) {
  appointments(day: $day) {
    id
    startsAt
    reason
    status
    patient {
      id
      firstName
      lastName
      phone
      healthInsuranceNumber
    }
    practitioner {
      id
      firstName
      lastName
    }
  }
}
    `, {"hash":"sha256:74723b714157283014a195b9affc4e8cbbbfa1d610872d36a16e9998d1d75fb2"}) as unknown as TypedDocumentString<DeskScheduleQuery, DeskScheduleQueryVariables>;
export const DeskSearchPatientsDocument = new TypedDocumentString(`
    query DeskSearchPatients($search: String, $first: Int) {
  patients(search: $search, first: $first) {
    totalCount
    nodes {
      id
      firstName
      lastName
      dateOfBirth
      phone
      healthInsuranceNumber
    }
  }
}
    `, {"hash":"sha256:82ec283fce28aa7213758e37f67741a6c92017ced34c2bcf50e6b1b7d23f1559"}) as unknown as TypedDocumentString<DeskSearchPatientsQuery, DeskSearchPatientsQueryVariables>;
export const DeskPractitionersDocument = new TypedDocumentString(`
    query DeskPractitioners {
  employees(first: 100) {
    nodes {
      id
      firstName
      lastName
      role
      jobTitle
    }
  }
}
    `, {"hash":"sha256:d8f74f82012280d67efe78c7cee825a261c01dd6730575843e675e023b372ad7"}) as unknown as TypedDocumentString<DeskPractitionersQuery, DeskPractitionersQueryVariables>;
export const DeskBookAppointmentDocument = new TypedDocumentString(`
    mutation DeskBookAppointment($input: BookAppointmentInput!) {
  bookAppointment(input: $input) {
    id
    startsAt
    status
  }
}
    `, {"hash":"sha256:83fdccce45ac1c1f2fcb144234f8d3cc45d84a9e17ed462d2ddd6c1048199ffc"}) as unknown as TypedDocumentString<DeskBookAppointmentMutation, DeskBookAppointmentMutationVariables>;
export const DeskCancelAppointmentDocument = new TypedDocumentString(`
    mutation DeskCancelAppointment($id: ID!) {
  cancelAppointment(id: $id) {
    id
    status
  }
}
    `, {"hash":"sha256:e79eb441238d884ec1702a44e6b7b3bfbc188f26855a9f27eb23df9402401387"}) as unknown as TypedDocumentString<DeskCancelAppointmentMutation, DeskCancelAppointmentMutationVariables>;
export const DeskWardBoardDocument = new TypedDocumentString(`
    query DeskWardBoard {
  myPatients {
    id
    firstName
    lastName
    allergies
    medications {
      name
      dosage
    }
    vitals {
      kind
      value
      recordedAt
    }
  }
}
    `, {"hash":"sha256:077459049767e21bbd496fef359d15065da7c0c3cd697f09fc32fe8297f28092"}) as unknown as TypedDocumentString<DeskWardBoardQuery, DeskWardBoardQueryVariables>;
export const DeskRecordVitalDocument = new TypedDocumentString(`
    mutation DeskRecordVital($patientId: ID!, $kind: String!, $value: String!) {
  recordVital(patientId: $patientId, kind: $kind, value: $value) {
    kind
    value
    recordedAt
  }
}
    `, {"hash":"sha256:09778b2b75a27954f3a63e0497b9d644a848c0b764af53727fe90ac9652dff06"}) as unknown as TypedDocumentString<DeskRecordVitalMutation, DeskRecordVitalMutationVariables>;
export const DeskChartPatientsDocument = new TypedDocumentString(`
    query DeskChartPatients {
  myPatients {
    id
    firstName
    lastName
  }
}
    `, {"hash":"sha256:bdc87f05abed3b1555b163fa59a22c53a8975af4896bbd8fa9da3b6a4c26816a"}) as unknown as TypedDocumentString<DeskChartPatientsQuery, DeskChartPatientsQueryVariables>;
export const DeskChartDocument = new TypedDocumentString(`
    query DeskChart($id: ID!) {
  patient(id: $id) {
    id
    firstName
    lastName
    dateOfBirth
    sex
    phone
    email
    address
    healthInsuranceNumber
    allergies
    medications {
      name
      dosage
    }
    diagnoses {
      code
      description
      recordedAt
    }
    vitals {
      kind
      value
      recordedAt
    }
    documents {
      id
      kind
      title
      createdAt
    }
    careTeam {
      kind
      since
      until
      employee {
        firstName
        lastName
        jobTitle
      }
    }
    appointments {
      id
      startsAt
      reason
      status
    }
  }
}
    `, {"hash":"sha256:2e0ba7030d798d137968080f0086133885c2a484c1073832350509be59a175dd"}) as unknown as TypedDocumentString<DeskChartQuery, DeskChartQueryVariables>;
export const DeskNotesDocument = new TypedDocumentString(`
    query DeskNotes($id: ID!) {
  patient(id: $id) {
    id
    clinicalNotes {
      id
      text
      writtenAt
      author {
        firstName
        lastName
      }
    }
  }
}
    `, {"hash":"sha256:eabcb6ec3af10f796c7812d4459f7ea39b04af16236b8aef86dd778c65f49568"}) as unknown as TypedDocumentString<DeskNotesQuery, DeskNotesQueryVariables>;
export const DeskAddNoteDocument = new TypedDocumentString(`
    mutation DeskAddNote($patientId: ID!, $text: String!) {
  addClinicalNote(patientId: $patientId, text: $text) {
    id
    writtenAt
  }
}
    `, {"hash":"sha256:f0573d2455d2e7798d8421c2615eeced32dd4916f91bdda848b8eaf42019ab50"}) as unknown as TypedDocumentString<DeskAddNoteMutation, DeskAddNoteMutationVariables>;
export const DeskOpenEmergencyAccessDocument = new TypedDocumentString(`
    mutation DeskOpenEmergencyAccess($patientId: ID!, $justification: String!) {
  openEmergencyAccess(patientId: $patientId, justification: $justification) {
    id
    patientId
    expiresAt
  }
}
    `, {"hash":"sha256:cd016ead913199a8b93ff0bd7e06f305871dc4716dcb34128ab38e8acaca17af"}) as unknown as TypedDocumentString<DeskOpenEmergencyAccessMutation, DeskOpenEmergencyAccessMutationVariables>;
export const DeskMyRecordDocument = new TypedDocumentString(`
    query DeskMyRecord {
  me {
    id
    patient {
      id
      firstName
      lastName
      dateOfBirth
      sex
      phone
      email
      address
      healthInsuranceNumber
      allergies
      medications {
        name
        dosage
      }
      diagnoses {
        code
        description
      }
      vitals {
        kind
        value
        recordedAt
      }
      appointments {
        id
        startsAt
        reason
        status
      }
      communicationConsent {
        appointmentReminders
        newsletter
      }
      accessLog {
        at
        staffName
        role
        categories
      }
      accessRestrictions {
        id
        fields
        reason
        role
        employeeId
        lifted
      }
      rectificationRequests {
        id
        field
        proposedValue
        reason
        status
        requestedAt
        decidedAt
        decisionReason
      }
    }
  }
}
    `, {"hash":"sha256:11b35b1bb24a4d9c3f22dfc845518ff74c1885c483880981dfe6a0d7a2758351"}) as unknown as TypedDocumentString<DeskMyRecordQuery, DeskMyRecordQueryVariables>;
export const DeskExportMyDataDocument = new TypedDocumentString(`
    query DeskExportMyData {
  exportMyData
}
    `, {"hash":"sha256:9a26f2f86f10faa622f6559e13df267af8d5aa7f3c8e3dd60716de1c2d1d6321"}) as unknown as TypedDocumentString<DeskExportMyDataQuery, DeskExportMyDataQueryVariables>;
export const DeskSetConsentDocument = new TypedDocumentString(`
    mutation DeskSetConsent($appointmentReminders: Boolean, $newsletter: Boolean) {
  setCommunicationConsent(
    appointmentReminders: $appointmentReminders
    newsletter: $newsletter
  ) {
    appointmentReminders
    newsletter
  }
}
    `, {"hash":"sha256:e5bb8cafb1a2747a66fc150ddbb0a2a20fd6a0e977e281683b25928d49f9d34a"}) as unknown as TypedDocumentString<DeskSetConsentMutation, DeskSetConsentMutationVariables>;
export const DeskRequestRectificationDocument = new TypedDocumentString(`
    mutation DeskRequestRectification($field: String!, $proposedValue: String!, $reason: String!) {
  requestRectification(
    field: $field
    proposedValue: $proposedValue
    reason: $reason
  ) {
    id
    status
  }
}
    `, {"hash":"sha256:c0a80af9796993e8947c9b4e572e797b78664e4701fa8dc1eec67762842cd1a1"}) as unknown as TypedDocumentString<DeskRequestRectificationMutation, DeskRequestRectificationMutationVariables>;
export const DeskStaffDirectoryDocument = new TypedDocumentString(`
    query DeskStaffDirectory {
  employees(first: 100) {
    nodes {
      id
      firstName
      lastName
      jobTitle
    }
  }
}
    `, {"hash":"sha256:84981850d11d0087f326314175b19fe4edca01f4a5d206c67037024e9044719b"}) as unknown as TypedDocumentString<DeskStaffDirectoryQuery, DeskStaffDirectoryQueryVariables>;
export const DeskMyRequestsDocument = new TypedDocumentString(`
    query DeskMyRequests {
  myRequests {
    id
    kind
    status
    receivedAt
    dueAt
    decisionReason
    outcome
    appealNotice
    restriction {
      fields
      role
      employeeId
      from
      to
    }
  }
}
    `, {"hash":"sha256:988c67a8a1b8454390821676e7ed717a4e1938c99a9f1987b86311ef302d2e00"}) as unknown as TypedDocumentString<DeskMyRequestsQuery, DeskMyRequestsQueryVariables>;
export const DeskRequestRestrictionDocument = new TypedDocumentString(`
    mutation DeskRequestRestriction($input: RestrictionRequestInput!) {
  requestAccessRestriction(input: $input) {
    id
    status
    dueAt
  }
}
    `, {"hash":"sha256:f6c280ba6c603d465cd531f4cd856ba763d603e389dcb424c64475e3e436c1e5"}) as unknown as TypedDocumentString<DeskRequestRestrictionMutation, DeskRequestRestrictionMutationVariables>;
export const DeskAuditDocument = new TypedDocumentString(`
    query DeskAudit($patientId: ID, $actorId: ID) {
  verifyAuditChain {
    ok
    events
    firstBrokenEventId
  }
  auditLog(patientId: $patientId, actorId: $actorId, first: 50) {
    id
    at
    actorId
    role
    patientId
    fields
    decision
    reason
    emergencyAccessId
    operationName
    clientName
  }
}
    `, {"hash":"sha256:de995f31d4ba67b621f1c7db360f30d83d7ce43e90c130be6df535f8c5cd8916"}) as unknown as TypedDocumentString<DeskAuditQuery, DeskAuditQueryVariables>;
export const DeskIncidentsDocument = new TypedDocumentString(`
    query DeskIncidents {
  incidents {
    id
    kind
    description
    occurredAt
    status
    seriousRisk
    personsConcerned
    categories
  }
}
    `, {"hash":"sha256:38d82c7f512f18b01659f3d102d9b83b4ebd478bd02f9a628398c88f17ad9b6d"}) as unknown as TypedDocumentString<DeskIncidentsQuery, DeskIncidentsQueryVariables>;
export const DeskPrivacyPatientsDocument = new TypedDocumentString(`
    query DeskPrivacyPatients {
  patients(first: 100) {
    nodes {
      id
      firstName
      lastName
    }
  }
}
    `, {"hash":"sha256:6c21eeddfd2570ed971a0fbf23e65a8c665a77fe24801527ca5e3f91c27dd3ce"}) as unknown as TypedDocumentString<DeskPrivacyPatientsQuery, DeskPrivacyPatientsQueryVariables>;
export const DeskRestrictionsDocument = new TypedDocumentString(`
    query DeskRestrictions($id: ID!) {
  patient(id: $id) {
    id
    accessRestrictions {
      id
      employeeId
      role
      fields
      reason
      from
      to
      lifted
      requestedBy
      requestedAt
    }
  }
}
    `, {"hash":"sha256:4fd950362a66aa84858d360adee8e9356519e70c862968ed181f3da285acd3c8"}) as unknown as TypedDocumentString<DeskRestrictionsQuery, DeskRestrictionsQueryVariables>;
export const DeskCreateRestrictionDocument = new TypedDocumentString(`
    mutation DeskCreateRestriction($input: AccessRestrictionInput!) {
  createAccessRestriction(input: $input) {
    id
    fields
    lifted
  }
}
    `, {"hash":"sha256:3f2b89044cb797773d3f772282f422255dd78ca8cfcc1331c3f77a55bc6c9c79"}) as unknown as TypedDocumentString<DeskCreateRestrictionMutation, DeskCreateRestrictionMutationVariables>;
export const DeskLiftRestrictionDocument = new TypedDocumentString(`
    mutation DeskLiftRestriction($id: ID!) {
  liftAccessRestriction(id: $id) {
    id
    lifted
  }
}
    `, {"hash":"sha256:1623834e51851ff120abef110cbf8d2a60d4346b623e50e55b31ac0b3e7c75d9"}) as unknown as TypedDocumentString<DeskLiftRestrictionMutation, DeskLiftRestrictionMutationVariables>;
export const DeskPendingRectificationsDocument = new TypedDocumentString(`
    query DeskPendingRectifications {
  rectificationRequests(status: "PENDING") {
    id
    patientId
    field
    proposedValue
    reason
    requestedAt
    status
  }
}
    `, {"hash":"sha256:ca36bb37dabaec7b074a1501b32cc8ff56a160eb68ca12412fe2672484d09c6b"}) as unknown as TypedDocumentString<DeskPendingRectificationsQuery, DeskPendingRectificationsQueryVariables>;
export const DeskDecideRectificationDocument = new TypedDocumentString(`
    mutation DeskDecideRectification($id: ID!, $accept: Boolean!, $reason: String!) {
  decideRectification(id: $id, accept: $accept, reason: $reason) {
    id
    status
    decisionReason
  }
}
    `, {"hash":"sha256:7d685529d15e6657c19f6e35a6de4ce7d06f1dac2359dcaac938c1846a68c107"}) as unknown as TypedDocumentString<DeskDecideRectificationMutation, DeskDecideRectificationMutationVariables>;
export const DeskPatientRequestsDocument = new TypedDocumentString(`
    query DeskPatientRequests {
  patientRequests {
    id
    patientId
    kind
    channel
    receivedAt
    dueAt
    status
    overdue
    details
    restriction {
      fields
      role
      employeeId
      from
      to
      reason
    }
  }
}
    `, {"hash":"sha256:80d8f01c41fef0bf7539d65bffa8f0b36e507d6adbcac3753db0576db356c433"}) as unknown as TypedDocumentString<DeskPatientRequestsQuery, DeskPatientRequestsQueryVariables>;
export const DeskDecidePatientRequestDocument = new TypedDocumentString(`
    mutation DeskDecidePatientRequest($patientId: ID!, $id: ID!, $accept: Boolean!, $reason: String!) {
  decidePatientRequest(
    patientId: $patientId
    id: $id
    accept: $accept
    reason: $reason
  ) {
    id
    status
    outcome
  }
}
    `, {"hash":"sha256:47fb6045b54aeec1c131ed1df3ee77cc1fcfedb7a53a6544ce99968b5c1c3b3e"}) as unknown as TypedDocumentString<DeskDecidePatientRequestMutation, DeskDecidePatientRequestMutationVariables>;
export const DeskRetentionReportDocument = new TypedDocumentString(`
    query DeskRetentionReport {
  retentionReport {
    asOf
    rules {
      code
      description
      action
    }
    totals {
      rule
      itemKind
      count
    }
    kept {
      rule
      itemKind
      count
      reason
    }
  }
}
    `, {"hash":"sha256:03f26c0dffff11dfa83e7153cf7e1e39ee0a31c638be4fa167dc0ce9ceb12a55"}) as unknown as TypedDocumentString<DeskRetentionReportQuery, DeskRetentionReportQueryVariables>;
export const DeskApplyRetentionDocument = new TypedDocumentString(`
    mutation DeskApplyRetention {
  applyRetention {
    id
    status
    startedAt
    records {
      rule
      itemKind
      action
      count
    }
  }
}
    `, {"hash":"sha256:4607378db23d06e87457c2bda5102215fbad200228276e80e0d31e22c719b7b6"}) as unknown as TypedDocumentString<DeskApplyRetentionMutation, DeskApplyRetentionMutationVariables>;
export const DeskReviewItemsDocument = new TypedDocumentString(`
    query DeskReviewItems {
  reviewItems(status: "OPEN", first: 50) {
    totalCount
    nodes {
      id
      kind
      openedAt
      actorId
      patientIds
      trigger
      emergencyAccessId
      incidentId
    }
  }
}
    `, {"hash":"sha256:1757889ed9253e1381a8368678c5f4176b5fc33d6146c8a94963e03273f030ee"}) as unknown as TypedDocumentString<DeskReviewItemsQuery, DeskReviewItemsQueryVariables>;
export const DeskCloseReviewItemDocument = new TypedDocumentString(`
    mutation DeskCloseReviewItem($id: ID!, $outcome: String!, $note: String) {
  closeReviewItem(id: $id, outcome: $outcome, note: $note) {
    id
    status
    outcome
    incidentId
  }
}
    `, {"hash":"sha256:26e8a6214427539bf8d6bf143df4db5e243072880c99f382b6b0e570f7671a17"}) as unknown as TypedDocumentString<DeskCloseReviewItemMutation, DeskCloseReviewItemMutationVariables>;