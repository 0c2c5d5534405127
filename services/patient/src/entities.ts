import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { searchableName } from '@clinic/service-kit';

// Related rows carry their patient's id as a plain column (with a foreign key in the migration)
// and are read in batches by the loaders, never through lazy relations.

interface NamedPatient {
  firstName: string;
  lastName: string;
}

export const Patient = defineEntity({
  name: 'Patient',
  tableName: 'patient',
  properties: (p) => ({
    id: p.string().primary(),
    firstName: p.string(),
    lastName: p.string(),
    /**
     * First and last name folded for search (lower case, no diacritics: see `foldForSearch`), which
     * `Query.patients(search:)` matches with a plain LIKE, the same on SQLite and PostgreSQL.
     * Derived at every flush that creates a patient or changes it; writes that bypass the unit of
     * work (nativeUpdate, query builder, raw SQL) must set it themselves.
     */
    searchName: p
      .text()
      .onCreate((patient: NamedPatient) => searchableName(patient.firstName, patient.lastName))
      .onUpdate((patient: NamedPatient) => searchableName(patient.firstName, patient.lastName)),
    dateOfBirth: p.string().nullable(),
    sex: p.string().nullable(),
    phone: p.string().nullable(),
    email: p.string().nullable(),
    address: p.string().nullable(),
    healthInsuranceNumber: p.string().nullable(),
    lastVisitAt: p.datetime().nullable(),
    /** The record's last entry (visit, note, vital, document, appointment attended): what keeps it active (seed 002). */
    lastEntryAt: p.datetime().nullable(),
    appointmentReminders: p.boolean(),
    newsletter: p.boolean(),
  }),
});
export type Patient = InferEntity<typeof Patient>;

export const Allergy = defineEntity({
  name: 'Allergy',
  tableName: 'allergy',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    patientId: p.string().index(),
    substance: p.string(),
  }),
});
export type Allergy = InferEntity<typeof Allergy>;

export const Medication = defineEntity({
  name: 'Medication',
  tableName: 'medication',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    patientId: p.string().index(),
    name: p.string(),
    dosage: p.string().nullable(),
  }),
});
export type Medication = InferEntity<typeof Medication>;

export const Diagnosis = defineEntity({
  name: 'Diagnosis',
  tableName: 'diagnosis',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    patientId: p.string().index(),
    code: p.string(),
    description: p.string().nullable(),
    recordedAt: p.datetime().nullable(),
  }),
});
export type Diagnosis = InferEntity<typeof Diagnosis>;

export const Vital = defineEntity({
  name: 'Vital',
  tableName: 'vital',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    patientId: p.string().index(),
    kind: p.string(),
    value: p.string(),
    recordedAt: p.datetime(),
  }),
});
export type Vital = InferEntity<typeof Vital>;

export const MedicalDocument = defineEntity({
  name: 'MedicalDocument',
  tableName: 'medical_document',
  properties: (p) => ({
    id: p.string().primary(),
    patientId: p.string().index(),
    kind: p.string(),
    title: p.string().nullable(),
    createdAt: p.datetime(),
  }),
});
export type MedicalDocument = InferEntity<typeof MedicalDocument>;

export const ClinicalNote = defineEntity({
  name: 'ClinicalNote',
  tableName: 'clinical_note',
  properties: (p) => ({
    id: p.string().primary(),
    patientId: p.string().index(),
    authorId: p.string(),
    text: p.text(),
    writtenAt: p.datetime(),
  }),
});
export type ClinicalNote = InferEntity<typeof ClinicalNote>;

export const Appointment = defineEntity({
  name: 'Appointment',
  tableName: 'appointment',
  properties: (p) => ({
    id: p.string().primary(),
    patientId: p.string().index(),
    practitionerId: p.string().index(),
    startsAt: p.datetime().index(),
    reason: p.string().nullable(),
    status: p.string(),
  }),
});
export type Appointment = InferEntity<typeof Appointment>;

export const CareAssignment = defineEntity({
  name: 'CareAssignment',
  tableName: 'care_assignment',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    patientId: p.string().index(),
    employeeId: p.string().index(),
    kind: p.string(),
    since: p.datetime(),
    until: p.datetime().nullable(),
    /** Last confirmed; an assignment not renewed within the clinic's lifetime lapses (care-relationships.ts). Null: never renewed, counted from `since`. */
    renewedAt: p.datetime().nullable(),
  }),
});
export type CareAssignment = InferEntity<typeof CareAssignment>;

export const Referral = defineEntity({
  name: 'Referral',
  tableName: 'referral',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    patientId: p.string().index(),
    consultantId: p.string().index(),
    referredById: p.string(),
    reason: p.string().nullable(),
    since: p.datetime(),
    until: p.datetime().nullable(),
  }),
});
export type Referral = InferEntity<typeof Referral>;

export const AccessRestriction = defineEntity({
  name: 'AccessRestriction',
  tableName: 'access_restriction',
  properties: (p) => ({
    id: p.string().primary(),
    patientId: p.string().index(),
    employeeId: p.string().nullable(),
    role: p.string().nullable(),
    fields: p.json<string[]>(),
    reason: p.text().nullable(),
    startsAt: p.datetime(),
    endsAt: p.datetime().nullable(),
    lifted: p.boolean(),
    /** Who asked for it: PATIENT (from the portal or on paper, through a request) or PRIVACY_OFFICER. */
    requestedBy: p.string().nullable(),
    /** The patient's or the privacy officer's id. */
    requestedById: p.string().nullable(),
    /** When the ask was received (the request's received date). */
    requestedAt: p.datetime().nullable(),
    /** The patient's request of kind RESTRICTION it came from, if any. */
    requestId: p.string().nullable(),
  }),
});
export type AccessRestriction = InferEntity<typeof AccessRestriction>;

/** A patient's request to correct their record (SPEC §10), decided by the privacy officer. */
export const RectificationRequest = defineEntity({
  name: 'RectificationRequest',
  tableName: 'rectification_request',
  properties: (p) => ({
    id: p.string().primary(),
    patientId: p.string().index(),
    /** `Type.field` of the supergraph, e.g. Patient.phone */
    field: p.string(),
    proposedValue: p.text(),
    reason: p.text(),
    /** PENDING, ACCEPTED or REFUSED */
    status: p.string(),
    requestedAt: p.datetime(),
    decidedAt: p.datetime().nullable(),
    /** The privacy officer who decided (employee id). */
    decidedBy: p.string().nullable(),
    decisionReason: p.text().nullable(),
    /** PORTAL (the patient) or PAPER (received on paper, filed by the privacy officer). */
    channel: p.string().nullable(),
    filedBy: p.string().nullable(),
  }),
});
export type RectificationRequest = InferEntity<typeof RectificationRequest>;

/** One address on the clinic's mailing list (newsletter), kept 36 months (SPEC §11). */
export const MailingListSubscription = defineEntity({
  name: 'MailingListSubscription',
  tableName: 'mailing_list_subscription',
  properties: (p) => ({
    id: p.string().primary(),
    email: p.string(),
    /** The patient who subscribed through their communication consent, when it was one. */
    patientId: p.string().nullable().index(),
    subscribedAt: p.datetime(),
  }),
});
export type MailingListSubscription = InferEntity<typeof MailingListSubscription>;

/** A legal hold: while it is open, nothing of the patient's record is destroyed (issue 14). */
export const LegalHold = defineEntity({
  name: 'LegalHold',
  tableName: 'legal_hold',
  properties: (p) => ({
    id: p.string().primary(),
    patientId: p.string().index(),
    reason: p.text(),
    placedBy: p.string(),
    placedAt: p.datetime(),
    liftReason: p.text().nullable(),
    liftedBy: p.string().nullable(),
    liftedAt: p.datetime().nullable(),
  }),
});
export type LegalHold = InferEntity<typeof LegalHold>;

/** A patient's request on the legal clock (Law 25 s. 32): received, due 30 days later, decided once with reasons. */
export const RecordRequest = defineEntity({
  name: 'RecordRequest',
  tableName: 'record_request',
  properties: (p) => ({
    id: p.string().primary(),
    patientId: p.string().index(),
    /** DESTRUCTION, ACCESS, PORTABILITY, CONSENT_WITHDRAWAL or RESTRICTION (see record-requests.ts) */
    kind: p.string(),
    /** PORTAL (filed by the patient) or PAPER (received on paper, filed by the privacy officer) */
    channel: p.string(),
    /** Who filed it: the patient's id, or the privacy officer's staff id for a paper request. */
    filedBy: p.string(),
    details: p.text().nullable(),
    receivedAt: p.datetime(),
    dueAt: p.datetime(),
    /** PENDING, ACCEPTED or REFUSED */
    status: p.string(),
    decidedAt: p.datetime().nullable(),
    decidedBy: p.string().nullable(),
    decisionReason: p.text().nullable(),
    /** For a RESTRICTION request: the restriction asked for (record-requests.ts RestrictionTerms). */
    restriction: p.json<Record<string, unknown>>().nullable(),
    /** What the decision did, or that it only records the decision (written when decided). */
    outcome: p.text().nullable(),
  }),
});
export type RecordRequest = InferEntity<typeof RecordRequest>;

export const entities = [
  Patient,
  Allergy,
  Medication,
  Diagnosis,
  Vital,
  MedicalDocument,
  ClinicalNote,
  Appointment,
  CareAssignment,
  Referral,
  AccessRestriction,
  RectificationRequest,
  MailingListSubscription,
  LegalHold,
  RecordRequest,
];
