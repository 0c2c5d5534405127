import { graphql } from '../gql';

/**
 * Every operation the desk sends. GraphQL Code Generator types them from schema/api.graphql and
 * registers them in src/gql/persisted-documents.json, the desk's trusted documents: a production
 * gateway given that manifest runs these and nothing else.
 */

export const MeQuery = graphql(`
  query DeskMe {
    me { id role mfa employee { firstName lastName jobTitle } patient { firstName lastName } }
  }
`);

// ── Reception desk ──────────────────────────────────────────────────────────────────────────

export const ScheduleQuery = graphql(`
  query DeskSchedule($day: String) {
    appointments(day: $day) {
      id startsAt reason status
      patient { id firstName lastName phone healthInsuranceNumber }
      practitioner { id firstName lastName }
    }
  }
`);

export const SearchPatientsQuery = graphql(`
  query DeskSearchPatients($search: String, $first: Int) {
    patients(search: $search, first: $first) {
      totalCount
      nodes { id firstName lastName dateOfBirth phone healthInsuranceNumber }
    }
  }
`);

export const PractitionersQuery = graphql(`
  query DeskPractitioners {
    employees(first: 100) { nodes { id firstName lastName role jobTitle } }
  }
`);

export const BookAppointmentMutation = graphql(`
  mutation DeskBookAppointment($input: BookAppointmentInput!) {
    bookAppointment(input: $input) { id startsAt status }
  }
`);

export const CancelAppointmentMutation = graphql(`
  mutation DeskCancelAppointment($id: ID!) {
    cancelAppointment(id: $id) { id status }
  }
`);

// ── Nurse station ───────────────────────────────────────────────────────────────────────────

export const WardBoardQuery = graphql(`
  query DeskWardBoard {
    myPatients {
      id firstName lastName
      allergies
      medications { name dosage }
      vitals { kind value recordedAt }
    }
  }
`);

export const RecordVitalMutation = graphql(`
  mutation DeskRecordVital($patientId: ID!, $kind: String!, $value: String!) {
    recordVital(patientId: $patientId, kind: $kind, value: $value) { kind value recordedAt }
  }
`);

// ── Physician chart ─────────────────────────────────────────────────────────────────────────

export const ChartPatientsQuery = graphql(`
  query DeskChartPatients {
    myPatients { id firstName lastName }
  }
`);

export const ChartQuery = graphql(`
  query DeskChart($id: ID!) {
    patient(id: $id) {
      id firstName lastName dateOfBirth sex
      phone email address healthInsuranceNumber
      allergies
      medications { name dosage }
      diagnoses { code description recordedAt }
      vitals { kind value recordedAt }
      documents { id kind title createdAt }
      careTeam { kind since until employee { firstName lastName jobTitle } }
      appointments { id startsAt reason status }
    }
  }
`);

export const NotesQuery = graphql(`
  query DeskNotes($id: ID!) {
    patient(id: $id) { id clinicalNotes { id text writtenAt author { firstName lastName } } }
  }
`);

export const AddNoteMutation = graphql(`
  mutation DeskAddNote($patientId: ID!, $text: String!) {
    addClinicalNote(patientId: $patientId, text: $text) { id writtenAt }
  }
`);

export const OpenEmergencyAccessMutation = graphql(`
  mutation DeskOpenEmergencyAccess($patientId: ID!, $justification: String!) {
    openEmergencyAccess(patientId: $patientId, justification: $justification) { id patientId expiresAt }
  }
`);

// ── Patient portal ──────────────────────────────────────────────────────────────────────────

export const MyRecordQuery = graphql(`
  query DeskMyRecord {
    me {
      id
      patient {
        id firstName lastName dateOfBirth sex phone email address healthInsuranceNumber
        allergies
        medications { name dosage }
        diagnoses { code description }
        vitals { kind value recordedAt }
        appointments { id startsAt reason status }
        communicationConsent { appointmentReminders newsletter }
        accessLog { at staffName role categories }
        accessRestrictions { id fields reason role employeeId lifted }
        rectificationRequests { id field proposedValue reason status requestedAt decidedAt decisionReason }
      }
    }
  }
`);

export const ExportMyDataQuery = graphql(`
  query DeskExportMyData {
    exportMyData
  }
`);

export const SetConsentMutation = graphql(`
  mutation DeskSetConsent($appointmentReminders: Boolean, $newsletter: Boolean) {
    setCommunicationConsent(appointmentReminders: $appointmentReminders, newsletter: $newsletter) { appointmentReminders newsletter }
  }
`);

export const RequestRectificationMutation = graphql(`
  mutation DeskRequestRectification($field: String!, $proposedValue: String!, $reason: String!) {
    requestRectification(field: $field, proposedValue: $proposedValue, reason: $reason) { id status }
  }
`);

export const StaffDirectoryQuery = graphql(`
  query DeskStaffDirectory {
    employees(first: 100) { nodes { id firstName lastName jobTitle } }
  }
`);

export const MyRequestsQuery = graphql(`
  query DeskMyRequests {
    myRequests { id kind status receivedAt dueAt decisionReason outcome appealNotice restriction { fields role employeeId from to } }
  }
`);

export const RequestRestrictionMutation = graphql(`
  mutation DeskRequestRestriction($input: RestrictionRequestInput!) {
    requestAccessRestriction(input: $input) { id status dueAt }
  }
`);

// ── Privacy office ──────────────────────────────────────────────────────────────────────────

export const AuditQuery = graphql(`
  query DeskAudit($patientId: ID, $actorId: ID) {
    verifyAuditChain { ok events firstBrokenEventId }
    auditLog(patientId: $patientId, actorId: $actorId, first: 50) {
      id at actorId role patientId fields decision reason emergencyAccessId operationName clientName
    }
  }
`);

export const IncidentsQuery = graphql(`
  query DeskIncidents {
    incidents { id kind description occurredAt status seriousRisk personsConcerned categories }
  }
`);

export const PrivacyPatientsQuery = graphql(`
  query DeskPrivacyPatients {
    patients(first: 100) { nodes { id firstName lastName } }
  }
`);

export const RestrictionsQuery = graphql(`
  query DeskRestrictions($id: ID!) {
    patient(id: $id) { id accessRestrictions { id employeeId role fields reason from to lifted requestedBy requestedAt } }
  }
`);

export const CreateRestrictionMutation = graphql(`
  mutation DeskCreateRestriction($input: AccessRestrictionInput!) {
    createAccessRestriction(input: $input) { id fields lifted }
  }
`);

export const LiftRestrictionMutation = graphql(`
  mutation DeskLiftRestriction($id: ID!) {
    liftAccessRestriction(id: $id) { id lifted }
  }
`);

export const PendingRectificationsQuery = graphql(`
  query DeskPendingRectifications {
    rectificationRequests(status: "PENDING") { id patientId field proposedValue reason requestedAt status }
  }
`);

export const DecideRectificationMutation = graphql(`
  mutation DeskDecideRectification($id: ID!, $accept: Boolean!, $reason: String!) {
    decideRectification(id: $id, accept: $accept, reason: $reason) { id status decisionReason }
  }
`);

export const PatientRequestsQuery = graphql(`
  query DeskPatientRequests {
    patientRequests { id patientId kind channel receivedAt dueAt status overdue details restriction { fields role employeeId from to reason } }
  }
`);

export const DecidePatientRequestMutation = graphql(`
  mutation DeskDecidePatientRequest($patientId: ID!, $id: ID!, $accept: Boolean!, $reason: String!) {
    decidePatientRequest(patientId: $patientId, id: $id, accept: $accept, reason: $reason) { id status outcome }
  }
`);

export const RetentionReportQuery = graphql(`
  query DeskRetentionReport {
    retentionReport {
      asOf
      rules { code description action }
      totals { rule itemKind count }
      kept { rule itemKind count reason }
    }
  }
`);

export const ApplyRetentionMutation = graphql(`
  mutation DeskApplyRetention {
    applyRetention { id status startedAt records { rule itemKind action count } }
  }
`);

export const ReviewItemsQuery = graphql(`
  query DeskReviewItems {
    reviewItems(status: "OPEN", first: 50) { totalCount nodes { id kind openedAt actorId patientIds trigger emergencyAccessId incidentId } }
  }
`);

export const CloseReviewItemMutation = graphql(`
  mutation DeskCloseReviewItem($id: ID!, $outcome: String!, $note: String) {
    closeReviewItem(id: $id, outcome: $outcome, note: $note) { id status outcome incidentId }
  }
`);
