/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query DeskMe {\n    me { id role mfa employee { firstName lastName jobTitle } patient { firstName lastName } }\n  }\n": typeof types.DeskMeDocument,
    "\n  query DeskSchedule($day: String) {\n    appointments(day: $day) {\n      id startsAt reason status\n      patient { id firstName lastName phone healthInsuranceNumber }\n      practitioner { id firstName lastName }\n    }\n  }\n": typeof types.DeskScheduleDocument,
    "\n  query DeskSearchPatients($search: String, $first: Int) {\n    patients(search: $search, first: $first) {\n      totalCount\n      nodes { id firstName lastName dateOfBirth phone healthInsuranceNumber }\n    }\n  }\n": typeof types.DeskSearchPatientsDocument,
    "\n  query DeskPractitioners {\n    employees(first: 100) { nodes { id firstName lastName role jobTitle } }\n  }\n": typeof types.DeskPractitionersDocument,
    "\n  mutation DeskBookAppointment($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) { id startsAt status }\n  }\n": typeof types.DeskBookAppointmentDocument,
    "\n  mutation DeskCancelAppointment($id: ID!) {\n    cancelAppointment(id: $id) { id status }\n  }\n": typeof types.DeskCancelAppointmentDocument,
    "\n  query DeskWardBoard {\n    myPatients {\n      id firstName lastName\n      allergies\n      medications { name dosage }\n      vitals { kind value recordedAt }\n    }\n  }\n": typeof types.DeskWardBoardDocument,
    "\n  mutation DeskRecordVital($patientId: ID!, $kind: String!, $value: String!) {\n    recordVital(patientId: $patientId, kind: $kind, value: $value) { kind value recordedAt }\n  }\n": typeof types.DeskRecordVitalDocument,
    "\n  query DeskChartPatients {\n    myPatients { id firstName lastName }\n  }\n": typeof types.DeskChartPatientsDocument,
    "\n  query DeskChart($id: ID!) {\n    patient(id: $id) {\n      id firstName lastName dateOfBirth sex\n      phone email address healthInsuranceNumber\n      allergies\n      medications { name dosage }\n      diagnoses { code description recordedAt }\n      vitals { kind value recordedAt }\n      documents { id kind title createdAt }\n      careTeam { kind since until employee { firstName lastName jobTitle } }\n      appointments { id startsAt reason status }\n    }\n  }\n": typeof types.DeskChartDocument,
    "\n  query DeskNotes($id: ID!) {\n    patient(id: $id) { id clinicalNotes { id text writtenAt author { firstName lastName } } }\n  }\n": typeof types.DeskNotesDocument,
    "\n  mutation DeskAddNote($patientId: ID!, $text: String!) {\n    addClinicalNote(patientId: $patientId, text: $text) { id writtenAt }\n  }\n": typeof types.DeskAddNoteDocument,
    "\n  mutation DeskOpenEmergencyAccess($patientId: ID!, $justification: String!) {\n    openEmergencyAccess(patientId: $patientId, justification: $justification) { id patientId expiresAt }\n  }\n": typeof types.DeskOpenEmergencyAccessDocument,
    "\n  query DeskMyRecord {\n    me {\n      id\n      patient {\n        id firstName lastName dateOfBirth sex phone email address healthInsuranceNumber\n        allergies\n        medications { name dosage }\n        diagnoses { code description }\n        vitals { kind value recordedAt }\n        appointments { id startsAt reason status }\n        communicationConsent { appointmentReminders newsletter }\n        accessLog { at staffName role categories }\n        accessRestrictions { id fields reason role employeeId lifted }\n        rectificationRequests { id field proposedValue reason status requestedAt decidedAt decisionReason }\n      }\n    }\n  }\n": typeof types.DeskMyRecordDocument,
    "\n  query DeskExportMyData {\n    exportMyData\n  }\n": typeof types.DeskExportMyDataDocument,
    "\n  mutation DeskSetConsent($appointmentReminders: Boolean, $newsletter: Boolean) {\n    setCommunicationConsent(appointmentReminders: $appointmentReminders, newsletter: $newsletter) { appointmentReminders newsletter }\n  }\n": typeof types.DeskSetConsentDocument,
    "\n  mutation DeskRequestRectification($field: String!, $proposedValue: String!, $reason: String!) {\n    requestRectification(field: $field, proposedValue: $proposedValue, reason: $reason) { id status }\n  }\n": typeof types.DeskRequestRectificationDocument,
    "\n  query DeskStaffDirectory {\n    employees(first: 100) { nodes { id firstName lastName jobTitle } }\n  }\n": typeof types.DeskStaffDirectoryDocument,
    "\n  query DeskMyRequests {\n    myRequests { id kind status receivedAt dueAt decisionReason outcome appealNotice restriction { fields role employeeId from to } }\n  }\n": typeof types.DeskMyRequestsDocument,
    "\n  mutation DeskRequestRestriction($input: RestrictionRequestInput!) {\n    requestAccessRestriction(input: $input) { id status dueAt }\n  }\n": typeof types.DeskRequestRestrictionDocument,
    "\n  query DeskAudit($patientId: ID, $actorId: ID) {\n    verifyAuditChain { ok events firstBrokenEventId }\n    auditLog(patientId: $patientId, actorId: $actorId, first: 50) {\n      id at actorId role patientId fields decision reason emergencyAccessId operationName clientName\n    }\n  }\n": typeof types.DeskAuditDocument,
    "\n  query DeskIncidents {\n    incidents { id kind description occurredAt status seriousRisk personsConcerned categories }\n  }\n": typeof types.DeskIncidentsDocument,
    "\n  query DeskPrivacyPatients {\n    patients(first: 100) { nodes { id firstName lastName } }\n  }\n": typeof types.DeskPrivacyPatientsDocument,
    "\n  query DeskRestrictions($id: ID!) {\n    patient(id: $id) { id accessRestrictions { id employeeId role fields reason from to lifted requestedBy requestedAt } }\n  }\n": typeof types.DeskRestrictionsDocument,
    "\n  mutation DeskCreateRestriction($input: AccessRestrictionInput!) {\n    createAccessRestriction(input: $input) { id fields lifted }\n  }\n": typeof types.DeskCreateRestrictionDocument,
    "\n  mutation DeskLiftRestriction($id: ID!) {\n    liftAccessRestriction(id: $id) { id lifted }\n  }\n": typeof types.DeskLiftRestrictionDocument,
    "\n  query DeskPendingRectifications {\n    rectificationRequests(status: \"PENDING\") { id patientId field proposedValue reason requestedAt status }\n  }\n": typeof types.DeskPendingRectificationsDocument,
    "\n  mutation DeskDecideRectification($id: ID!, $accept: Boolean!, $reason: String!) {\n    decideRectification(id: $id, accept: $accept, reason: $reason) { id status decisionReason }\n  }\n": typeof types.DeskDecideRectificationDocument,
    "\n  query DeskPatientRequests {\n    patientRequests { id patientId kind channel receivedAt dueAt status overdue details restriction { fields role employeeId from to reason } }\n  }\n": typeof types.DeskPatientRequestsDocument,
    "\n  mutation DeskDecidePatientRequest($patientId: ID!, $id: ID!, $accept: Boolean!, $reason: String!) {\n    decidePatientRequest(patientId: $patientId, id: $id, accept: $accept, reason: $reason) { id status outcome }\n  }\n": typeof types.DeskDecidePatientRequestDocument,
    "\n  query DeskRetentionReport {\n    retentionReport {\n      asOf\n      rules { code description action }\n      totals { rule itemKind count }\n      kept { rule itemKind count reason }\n    }\n  }\n": typeof types.DeskRetentionReportDocument,
    "\n  mutation DeskApplyRetention {\n    applyRetention { id status startedAt records { rule itemKind action count } }\n  }\n": typeof types.DeskApplyRetentionDocument,
    "\n  query DeskReviewItems {\n    reviewItems(status: \"OPEN\", first: 50) { totalCount nodes { id kind openedAt actorId patientIds trigger emergencyAccessId incidentId } }\n  }\n": typeof types.DeskReviewItemsDocument,
    "\n  mutation DeskCloseReviewItem($id: ID!, $outcome: String!, $note: String) {\n    closeReviewItem(id: $id, outcome: $outcome, note: $note) { id status outcome incidentId }\n  }\n": typeof types.DeskCloseReviewItemDocument,
};
const documents: Documents = {
    "\n  query DeskMe {\n    me { id role mfa employee { firstName lastName jobTitle } patient { firstName lastName } }\n  }\n": types.DeskMeDocument,
    "\n  query DeskSchedule($day: String) {\n    appointments(day: $day) {\n      id startsAt reason status\n      patient { id firstName lastName phone healthInsuranceNumber }\n      practitioner { id firstName lastName }\n    }\n  }\n": types.DeskScheduleDocument,
    "\n  query DeskSearchPatients($search: String, $first: Int) {\n    patients(search: $search, first: $first) {\n      totalCount\n      nodes { id firstName lastName dateOfBirth phone healthInsuranceNumber }\n    }\n  }\n": types.DeskSearchPatientsDocument,
    "\n  query DeskPractitioners {\n    employees(first: 100) { nodes { id firstName lastName role jobTitle } }\n  }\n": types.DeskPractitionersDocument,
    "\n  mutation DeskBookAppointment($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) { id startsAt status }\n  }\n": types.DeskBookAppointmentDocument,
    "\n  mutation DeskCancelAppointment($id: ID!) {\n    cancelAppointment(id: $id) { id status }\n  }\n": types.DeskCancelAppointmentDocument,
    "\n  query DeskWardBoard {\n    myPatients {\n      id firstName lastName\n      allergies\n      medications { name dosage }\n      vitals { kind value recordedAt }\n    }\n  }\n": types.DeskWardBoardDocument,
    "\n  mutation DeskRecordVital($patientId: ID!, $kind: String!, $value: String!) {\n    recordVital(patientId: $patientId, kind: $kind, value: $value) { kind value recordedAt }\n  }\n": types.DeskRecordVitalDocument,
    "\n  query DeskChartPatients {\n    myPatients { id firstName lastName }\n  }\n": types.DeskChartPatientsDocument,
    "\n  query DeskChart($id: ID!) {\n    patient(id: $id) {\n      id firstName lastName dateOfBirth sex\n      phone email address healthInsuranceNumber\n      allergies\n      medications { name dosage }\n      diagnoses { code description recordedAt }\n      vitals { kind value recordedAt }\n      documents { id kind title createdAt }\n      careTeam { kind since until employee { firstName lastName jobTitle } }\n      appointments { id startsAt reason status }\n    }\n  }\n": types.DeskChartDocument,
    "\n  query DeskNotes($id: ID!) {\n    patient(id: $id) { id clinicalNotes { id text writtenAt author { firstName lastName } } }\n  }\n": types.DeskNotesDocument,
    "\n  mutation DeskAddNote($patientId: ID!, $text: String!) {\n    addClinicalNote(patientId: $patientId, text: $text) { id writtenAt }\n  }\n": types.DeskAddNoteDocument,
    "\n  mutation DeskOpenEmergencyAccess($patientId: ID!, $justification: String!) {\n    openEmergencyAccess(patientId: $patientId, justification: $justification) { id patientId expiresAt }\n  }\n": types.DeskOpenEmergencyAccessDocument,
    "\n  query DeskMyRecord {\n    me {\n      id\n      patient {\n        id firstName lastName dateOfBirth sex phone email address healthInsuranceNumber\n        allergies\n        medications { name dosage }\n        diagnoses { code description }\n        vitals { kind value recordedAt }\n        appointments { id startsAt reason status }\n        communicationConsent { appointmentReminders newsletter }\n        accessLog { at staffName role categories }\n        accessRestrictions { id fields reason role employeeId lifted }\n        rectificationRequests { id field proposedValue reason status requestedAt decidedAt decisionReason }\n      }\n    }\n  }\n": types.DeskMyRecordDocument,
    "\n  query DeskExportMyData {\n    exportMyData\n  }\n": types.DeskExportMyDataDocument,
    "\n  mutation DeskSetConsent($appointmentReminders: Boolean, $newsletter: Boolean) {\n    setCommunicationConsent(appointmentReminders: $appointmentReminders, newsletter: $newsletter) { appointmentReminders newsletter }\n  }\n": types.DeskSetConsentDocument,
    "\n  mutation DeskRequestRectification($field: String!, $proposedValue: String!, $reason: String!) {\n    requestRectification(field: $field, proposedValue: $proposedValue, reason: $reason) { id status }\n  }\n": types.DeskRequestRectificationDocument,
    "\n  query DeskStaffDirectory {\n    employees(first: 100) { nodes { id firstName lastName jobTitle } }\n  }\n": types.DeskStaffDirectoryDocument,
    "\n  query DeskMyRequests {\n    myRequests { id kind status receivedAt dueAt decisionReason outcome appealNotice restriction { fields role employeeId from to } }\n  }\n": types.DeskMyRequestsDocument,
    "\n  mutation DeskRequestRestriction($input: RestrictionRequestInput!) {\n    requestAccessRestriction(input: $input) { id status dueAt }\n  }\n": types.DeskRequestRestrictionDocument,
    "\n  query DeskAudit($patientId: ID, $actorId: ID) {\n    verifyAuditChain { ok events firstBrokenEventId }\n    auditLog(patientId: $patientId, actorId: $actorId, first: 50) {\n      id at actorId role patientId fields decision reason emergencyAccessId operationName clientName\n    }\n  }\n": types.DeskAuditDocument,
    "\n  query DeskIncidents {\n    incidents { id kind description occurredAt status seriousRisk personsConcerned categories }\n  }\n": types.DeskIncidentsDocument,
    "\n  query DeskPrivacyPatients {\n    patients(first: 100) { nodes { id firstName lastName } }\n  }\n": types.DeskPrivacyPatientsDocument,
    "\n  query DeskRestrictions($id: ID!) {\n    patient(id: $id) { id accessRestrictions { id employeeId role fields reason from to lifted requestedBy requestedAt } }\n  }\n": types.DeskRestrictionsDocument,
    "\n  mutation DeskCreateRestriction($input: AccessRestrictionInput!) {\n    createAccessRestriction(input: $input) { id fields lifted }\n  }\n": types.DeskCreateRestrictionDocument,
    "\n  mutation DeskLiftRestriction($id: ID!) {\n    liftAccessRestriction(id: $id) { id lifted }\n  }\n": types.DeskLiftRestrictionDocument,
    "\n  query DeskPendingRectifications {\n    rectificationRequests(status: \"PENDING\") { id patientId field proposedValue reason requestedAt status }\n  }\n": types.DeskPendingRectificationsDocument,
    "\n  mutation DeskDecideRectification($id: ID!, $accept: Boolean!, $reason: String!) {\n    decideRectification(id: $id, accept: $accept, reason: $reason) { id status decisionReason }\n  }\n": types.DeskDecideRectificationDocument,
    "\n  query DeskPatientRequests {\n    patientRequests { id patientId kind channel receivedAt dueAt status overdue details restriction { fields role employeeId from to reason } }\n  }\n": types.DeskPatientRequestsDocument,
    "\n  mutation DeskDecidePatientRequest($patientId: ID!, $id: ID!, $accept: Boolean!, $reason: String!) {\n    decidePatientRequest(patientId: $patientId, id: $id, accept: $accept, reason: $reason) { id status outcome }\n  }\n": types.DeskDecidePatientRequestDocument,
    "\n  query DeskRetentionReport {\n    retentionReport {\n      asOf\n      rules { code description action }\n      totals { rule itemKind count }\n      kept { rule itemKind count reason }\n    }\n  }\n": types.DeskRetentionReportDocument,
    "\n  mutation DeskApplyRetention {\n    applyRetention { id status startedAt records { rule itemKind action count } }\n  }\n": types.DeskApplyRetentionDocument,
    "\n  query DeskReviewItems {\n    reviewItems(status: \"OPEN\", first: 50) { totalCount nodes { id kind openedAt actorId patientIds trigger emergencyAccessId incidentId } }\n  }\n": types.DeskReviewItemsDocument,
    "\n  mutation DeskCloseReviewItem($id: ID!, $outcome: String!, $note: String) {\n    closeReviewItem(id: $id, outcome: $outcome, note: $note) { id status outcome incidentId }\n  }\n": types.DeskCloseReviewItemDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskMe {\n    me { id role mfa employee { firstName lastName jobTitle } patient { firstName lastName } }\n  }\n"): typeof import('./graphql').DeskMeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskSchedule($day: String) {\n    appointments(day: $day) {\n      id startsAt reason status\n      patient { id firstName lastName phone healthInsuranceNumber }\n      practitioner { id firstName lastName }\n    }\n  }\n"): typeof import('./graphql').DeskScheduleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskSearchPatients($search: String, $first: Int) {\n    patients(search: $search, first: $first) {\n      totalCount\n      nodes { id firstName lastName dateOfBirth phone healthInsuranceNumber }\n    }\n  }\n"): typeof import('./graphql').DeskSearchPatientsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskPractitioners {\n    employees(first: 100) { nodes { id firstName lastName role jobTitle } }\n  }\n"): typeof import('./graphql').DeskPractitionersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeskBookAppointment($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) { id startsAt status }\n  }\n"): typeof import('./graphql').DeskBookAppointmentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeskCancelAppointment($id: ID!) {\n    cancelAppointment(id: $id) { id status }\n  }\n"): typeof import('./graphql').DeskCancelAppointmentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskWardBoard {\n    myPatients {\n      id firstName lastName\n      allergies\n      medications { name dosage }\n      vitals { kind value recordedAt }\n    }\n  }\n"): typeof import('./graphql').DeskWardBoardDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeskRecordVital($patientId: ID!, $kind: String!, $value: String!) {\n    recordVital(patientId: $patientId, kind: $kind, value: $value) { kind value recordedAt }\n  }\n"): typeof import('./graphql').DeskRecordVitalDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskChartPatients {\n    myPatients { id firstName lastName }\n  }\n"): typeof import('./graphql').DeskChartPatientsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskChart($id: ID!) {\n    patient(id: $id) {\n      id firstName lastName dateOfBirth sex\n      phone email address healthInsuranceNumber\n      allergies\n      medications { name dosage }\n      diagnoses { code description recordedAt }\n      vitals { kind value recordedAt }\n      documents { id kind title createdAt }\n      careTeam { kind since until employee { firstName lastName jobTitle } }\n      appointments { id startsAt reason status }\n    }\n  }\n"): typeof import('./graphql').DeskChartDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskNotes($id: ID!) {\n    patient(id: $id) { id clinicalNotes { id text writtenAt author { firstName lastName } } }\n  }\n"): typeof import('./graphql').DeskNotesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeskAddNote($patientId: ID!, $text: String!) {\n    addClinicalNote(patientId: $patientId, text: $text) { id writtenAt }\n  }\n"): typeof import('./graphql').DeskAddNoteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeskOpenEmergencyAccess($patientId: ID!, $justification: String!) {\n    openEmergencyAccess(patientId: $patientId, justification: $justification) { id patientId expiresAt }\n  }\n"): typeof import('./graphql').DeskOpenEmergencyAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskMyRecord {\n    me {\n      id\n      patient {\n        id firstName lastName dateOfBirth sex phone email address healthInsuranceNumber\n        allergies\n        medications { name dosage }\n        diagnoses { code description }\n        vitals { kind value recordedAt }\n        appointments { id startsAt reason status }\n        communicationConsent { appointmentReminders newsletter }\n        accessLog { at staffName role categories }\n        accessRestrictions { id fields reason role employeeId lifted }\n        rectificationRequests { id field proposedValue reason status requestedAt decidedAt decisionReason }\n      }\n    }\n  }\n"): typeof import('./graphql').DeskMyRecordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskExportMyData {\n    exportMyData\n  }\n"): typeof import('./graphql').DeskExportMyDataDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeskSetConsent($appointmentReminders: Boolean, $newsletter: Boolean) {\n    setCommunicationConsent(appointmentReminders: $appointmentReminders, newsletter: $newsletter) { appointmentReminders newsletter }\n  }\n"): typeof import('./graphql').DeskSetConsentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeskRequestRectification($field: String!, $proposedValue: String!, $reason: String!) {\n    requestRectification(field: $field, proposedValue: $proposedValue, reason: $reason) { id status }\n  }\n"): typeof import('./graphql').DeskRequestRectificationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskStaffDirectory {\n    employees(first: 100) { nodes { id firstName lastName jobTitle } }\n  }\n"): typeof import('./graphql').DeskStaffDirectoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskMyRequests {\n    myRequests { id kind status receivedAt dueAt decisionReason outcome appealNotice restriction { fields role employeeId from to } }\n  }\n"): typeof import('./graphql').DeskMyRequestsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeskRequestRestriction($input: RestrictionRequestInput!) {\n    requestAccessRestriction(input: $input) { id status dueAt }\n  }\n"): typeof import('./graphql').DeskRequestRestrictionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskAudit($patientId: ID, $actorId: ID) {\n    verifyAuditChain { ok events firstBrokenEventId }\n    auditLog(patientId: $patientId, actorId: $actorId, first: 50) {\n      id at actorId role patientId fields decision reason emergencyAccessId operationName clientName\n    }\n  }\n"): typeof import('./graphql').DeskAuditDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskIncidents {\n    incidents { id kind description occurredAt status seriousRisk personsConcerned categories }\n  }\n"): typeof import('./graphql').DeskIncidentsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskPrivacyPatients {\n    patients(first: 100) { nodes { id firstName lastName } }\n  }\n"): typeof import('./graphql').DeskPrivacyPatientsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskRestrictions($id: ID!) {\n    patient(id: $id) { id accessRestrictions { id employeeId role fields reason from to lifted requestedBy requestedAt } }\n  }\n"): typeof import('./graphql').DeskRestrictionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeskCreateRestriction($input: AccessRestrictionInput!) {\n    createAccessRestriction(input: $input) { id fields lifted }\n  }\n"): typeof import('./graphql').DeskCreateRestrictionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeskLiftRestriction($id: ID!) {\n    liftAccessRestriction(id: $id) { id lifted }\n  }\n"): typeof import('./graphql').DeskLiftRestrictionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskPendingRectifications {\n    rectificationRequests(status: \"PENDING\") { id patientId field proposedValue reason requestedAt status }\n  }\n"): typeof import('./graphql').DeskPendingRectificationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeskDecideRectification($id: ID!, $accept: Boolean!, $reason: String!) {\n    decideRectification(id: $id, accept: $accept, reason: $reason) { id status decisionReason }\n  }\n"): typeof import('./graphql').DeskDecideRectificationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskPatientRequests {\n    patientRequests { id patientId kind channel receivedAt dueAt status overdue details restriction { fields role employeeId from to reason } }\n  }\n"): typeof import('./graphql').DeskPatientRequestsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeskDecidePatientRequest($patientId: ID!, $id: ID!, $accept: Boolean!, $reason: String!) {\n    decidePatientRequest(patientId: $patientId, id: $id, accept: $accept, reason: $reason) { id status outcome }\n  }\n"): typeof import('./graphql').DeskDecidePatientRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskRetentionReport {\n    retentionReport {\n      asOf\n      rules { code description action }\n      totals { rule itemKind count }\n      kept { rule itemKind count reason }\n    }\n  }\n"): typeof import('./graphql').DeskRetentionReportDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeskApplyRetention {\n    applyRetention { id status startedAt records { rule itemKind action count } }\n  }\n"): typeof import('./graphql').DeskApplyRetentionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskReviewItems {\n    reviewItems(status: \"OPEN\", first: 50) { totalCount nodes { id kind openedAt actorId patientIds trigger emergencyAccessId incidentId } }\n  }\n"): typeof import('./graphql').DeskReviewItemsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeskCloseReviewItem($id: ID!, $outcome: String!, $note: String) {\n    closeReviewItem(id: $id, outcome: $outcome, note: $note) { id status outcome incidentId }\n  }\n"): typeof import('./graphql').DeskCloseReviewItemDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
