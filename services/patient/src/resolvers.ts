import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  assertId,
  badUserInput,
  containsSearchWord,
  isoOrNull,
  notFound,
  paginate,
  parseZonedInstant,
  searchWords,
  type SubgraphContext,
} from '@clinic/service-kit';
import { clinicDayBounds, ClinicCalendar } from '@clinic/schema';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { GraphQLResolveInfo } from 'graphql';
import { withFactsOfTheirPatients } from './access-facts-field.js';
import {
  Appointment,
  Patient,
  type AccessRestriction,
  type ClinicalNote,
  type Diagnosis,
  type MedicalDocument,
  type Vital,
} from './entities.js';
import type { PatientLoaders } from './loaders.js';
import { listingReaderOf } from './patient-listing.js';

type Context = SubgraphContext<PatientLoaders>;

export const APPOINTMENT_STATUS = { booked: 'BOOKED', cancelled: 'CANCELLED' } as const;
// The appointment.reason column is a varchar(255) (see the migration): PostgreSQL refuses longer text.
const MAX_REASON_LENGTH = 255;

interface BookAppointmentInput {
  patientId: string;
  practitionerId: string;
  startsAt: string;
  reason?: string | null;
}

const employeeRef = (id: string) => ({ __typename: 'Employee', id });

function parseStartsAt(startsAt: string, now: Date): Date {
  const parsed = parseZonedInstant(startsAt);
  if (!parsed) {
    throw badUserInput('startsAt must be an ISO-8601 date and time with a time zone (a real UTC offset, -12:00 to +14:00), e.g. 2026-11-25T14:30:00-05:00', 'startsAt');
  }
  if (parsed.getTime() <= now.getTime()) throw badUserInput('startsAt must be in the future', 'startsAt');
  return parsed;
}

function checkedReason(reason: string | null | undefined): string | null {
  if (reason === null || reason === undefined) return null;
  if (reason.length > MAX_REASON_LENGTH) throw badUserInput(`reason must be at most ${MAX_REASON_LENGTH} characters`, 'reason');
  return reason.trim() || null;
}

export const resolvers: GraphQLResolverMap<Context> = {
  Query: {
    patient: async (_: unknown, { id }: { id: string }, ctx: Context) => {
      const patient = await ctx.loaders.patientById.load(assertId(id));
      if (!patient) throw notFound('patient', id);
      return patient;
    },
    patients: async (_: unknown, args: { search?: string | null; first?: number | null; after?: string | null }, ctx: Context) => {
      // Folded words (no diacritics, lower case, no LIKE wildcard) against the folded names: every
      // word inside the first or the last name, the same on SQLite and PostgreSQL.
      const words = searchWords(args.search);
      // Names shape the order, the matches and the count only where the reader may read them (patient-listing.ts).
      const reader = listingReaderOf(ctx.readerFacts);
      if (reader && !reader.namesReadable && words.length > 0) throw badUserInput('search by name is only for readers who may read patients\' names', 'search');
      // At the gateway's time for the request: every listing of a request asks it once (loaders.ts).
      const restricted = reader?.namesReadable ? await ctx.loaders.namesRestricted(reader, ctx.now) : [];
      const byName = !reader || (reader.namesReadable && restricted.length === 0);
      // The gateway audits a listing as a read of what its order and cursors are made of.
      ctx.responseExtensions.clinicListing = { byName };
      const where = {
        $and: [
          ...words.map((word) => ({ searchName: containsSearchWord(word) })),
          ...(words.length > 0 && restricted.length > 0 ? [{ id: { $nin: restricted } }] : []),
        ],
      };
      const page = await paginate(ctx.em, Patient, where, {
        first: args.first ?? null,
        after: args.after ?? null,
        orderBy: byName ? { lastName: 'asc', firstName: 'asc', id: 'asc' } : { id: 'asc' },
        cursors: { seal: ctx.cursors, scope: `patients|${byName ? 'name' : 'id'}|${reader?.id ?? 'unnamed'}|${words.join(' ')}` },
      });
      for (const patient of page.nodes) ctx.loaders.patientById.prime(patient.id, patient);
      return page;
    },
    appointments: async (_: unknown, { day }: { day?: string | null }, ctx: Context, info: GraphQLResolveInfo) => {
      const bounds = clinicDayBounds(day ?? new ClinicCalendar().today());
      if (!bounds) throw badUserInput('day must be a calendar date YYYY-MM-DD', 'day');
      const rows = await ctx.em.find(Appointment, { startsAt: { $gte: bounds.start, $lt: bounds.end } }, { orderBy: { startsAt: 'asc', id: 'asc' } });
      // A day's schedule names many patients: their policy facts in one batch, answered without a promise per row.
      return withFactsOfTheirPatients(rows, 'patient', ctx, info);
    },
  },

  Mutation: {
    bookAppointment: async (_: unknown, { input }: { input: BookAppointmentInput }, ctx: Context) => {
      const patientId = assertId(input.patientId, 'patientId');
      const practitionerId = assertId(input.practitionerId, 'practitionerId');
      const startsAt = parseStartsAt(input.startsAt, new Date());
      const reason = checkedReason(input.reason);
      if (!(await ctx.loaders.patientById.load(patientId))) throw badUserInput(`No patient with id "${patientId}"`, 'patientId');
      const doubleBooked = () => badUserInput('The practitioner already has an appointment at that time', 'startsAt');
      const clash = await ctx.em.findOne(Appointment, { practitionerId, startsAt, status: APPOINTMENT_STATUS.booked });
      if (clash) throw doubleBooked();
      const appointment = ctx.em.create(Appointment, {
        id: `a-${randomUUID()}`,
        patientId,
        practitionerId,
        startsAt,
        reason,
        status: APPOINTMENT_STATUS.booked,
      });
      try {
        await ctx.em.flush();
      } catch (err) {
        // A concurrent booking of the same slot won the race (unique index of migration 0002).
        if (err instanceof UniqueConstraintViolationException) throw doubleBooked();
        throw err;
      }
      return appointment;
    },
    cancelAppointment: async (_: unknown, { id }: { id: string }, ctx: Context) => {
      const appointment = await ctx.em.findOne(Appointment, { id: assertId(id) });
      if (!appointment) throw badUserInput(`No appointment with id "${id}"`, 'id');
      if (appointment.status === APPOINTMENT_STATUS.cancelled) throw badUserInput('The appointment is already cancelled', 'id');
      appointment.status = APPOINTMENT_STATUS.cancelled;
      await ctx.em.flush();
      return appointment;
    },
  },

  Patient: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.patientById.load(ref.id),
    allergies: async (p: Patient, _: unknown, ctx: Context) => (await ctx.loaders.allergies.load(p.id)).map((a) => a.substance),
    medications: (p: Patient, _: unknown, ctx: Context) => ctx.loaders.medications.load(p.id),
    diagnoses: (p: Patient, _: unknown, ctx: Context) => ctx.loaders.diagnoses.load(p.id),
    vitals: (p: Patient, _: unknown, ctx: Context) => ctx.loaders.vitals.load(p.id),
    documents: (p: Patient, _: unknown, ctx: Context) => ctx.loaders.documents.load(p.id),
    clinicalNotes: (p: Patient, _: unknown, ctx: Context) => ctx.loaders.clinicalNotes.load(p.id),
    appointments: (p: Patient, _: unknown, ctx: Context) => ctx.loaders.appointments.load(p.id),
    careTeam: (p: Patient, _: unknown, ctx: Context) => ctx.loaders.careTeam.load(p.id),
    accessRestrictions: (p: Patient, _: unknown, ctx: Context) => ctx.loaders.accessRestrictions.load(p.id),
    communicationConsent: (p: Patient) => ({ appointmentReminders: p.appointmentReminders, newsletter: p.newsletter }),
  },
  Diagnosis: { recordedAt: (d: Diagnosis) => isoOrNull(d.recordedAt) },
  Vital: { recordedAt: (v: Vital) => isoOrNull(v.recordedAt) },
  Document: { createdAt: (d: MedicalDocument) => isoOrNull(d.createdAt) },
  ClinicalNote: {
    writtenAt: (n: ClinicalNote) => isoOrNull(n.writtenAt),
    author: (n: ClinicalNote) => employeeRef(n.authorId),
  },
  Appointment: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.appointmentById.load(ref.id),
    startsAt: (a: Appointment) => a.startsAt.toISOString(),
    patient: (a: Appointment, _: unknown, ctx: Context) => ctx.loaders.patientById.load(a.patientId),
    practitioner: (a: Appointment) => employeeRef(a.practitionerId),
  },
  AccessRestriction: {
    from: (r: AccessRestriction) => isoOrNull(r.startsAt),
    to: (r: AccessRestriction) => isoOrNull(r.endsAt),
    requestedAt: (r: AccessRestriction) => isoOrNull(r.requestedAt),
  },
};
