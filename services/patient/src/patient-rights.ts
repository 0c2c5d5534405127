import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { assertId, badUserInput, isoOrNull, notFound, pageSize, type SubgraphContext } from '@clinic/service-kit';
import { MailingListSubscription, Patient, RectificationRequest } from './entities.js';
import { recordAsFhirBundle } from './fhir-export.js';
import type { PatientLoaders } from './loaders.js';
import { checkedRectification, RECTIFICATION_STATUS } from './rectification-rules.js';

type Context = SubgraphContext<PatientLoaders>;

/**
 * Patient rights (SPEC §10): rectification, portability and communication consent. The gateway
 * decides who may call these; a patient always acts on their own record, which is the gateway's
 * verified viewer (`x-viewer-id`), never an argument a client could choose.
 */
const MAX_REASON_LENGTH = 1000;

function checkedReason(reason: string, what: string): string {
  const value = reason.trim();
  if (!value) throw badUserInput(`reason must say ${what}`, 'reason');
  if (value.length > MAX_REASON_LENGTH) throw badUserInput(`reason must be at most ${MAX_REASON_LENGTH} characters`, 'reason');
  return value;
}

/** The patient record of the verified viewer. */
async function viewersRecord(ctx: Context): Promise<Patient> {
  if (!ctx.viewerId) throw new GraphQLError('This operation acts on the record of the authenticated patient', { extensions: { code: 'UNAUTHENTICATED' } });
  const patient = await ctx.loaders.patientById.load(ctx.viewerId);
  if (!patient) throw notFound('patient', ctx.viewerId);
  return patient;
}

const STATUSES: readonly string[] = Object.values(RECTIFICATION_STATUS);

export const patientRightsQueries = {
  /** The viewer's record as a FHIR R4 Bundle (JSON). */
  exportMyData: async (_: unknown, __: unknown, ctx: Context) => {
    const patient = await viewersRecord(ctx);
    const [allergies, medications, diagnoses, vitals, documents, appointments] = await Promise.all([
      ctx.loaders.allergies.load(patient.id),
      ctx.loaders.medications.load(patient.id),
      ctx.loaders.diagnoses.load(patient.id),
      ctx.loaders.vitals.load(patient.id),
      ctx.loaders.documents.load(patient.id),
      ctx.loaders.appointments.load(patient.id),
    ]);
    const bundle = recordAsFhirBundle({ patient, allergies, medications, diagnoses, vitals, documents, appointments }, { generatedAt: new Date() });
    return JSON.stringify(bundle);
  },

  /** Rectification requests of every patient, oldest first (the privacy officer's work list). */
  rectificationRequests: async (_: unknown, args: { status?: string | null; first?: number | null }, ctx: Context) => {
    if (args.status !== undefined && args.status !== null && !STATUSES.includes(args.status)) {
      throw badUserInput(`status must be one of ${STATUSES.join(', ')}`, 'status');
    }
    return ctx.em.find(RectificationRequest, args.status ? { status: args.status } : {}, { orderBy: { requestedAt: 'asc', id: 'asc' }, limit: pageSize(args.first) });
  },
};

export const patientRightsMutations = {
  requestRectification: async (_: unknown, args: { field: string; proposedValue: string; reason: string }, ctx: Context) => {
    const patient = await viewersRecord(ctx);
    const checked = checkedRectification(args.field, args.proposedValue);
    if (!checked.ok) throw badUserInput(checked.problem, checked.argument);
    const reason = checkedReason(args.reason, 'why the information is wrong');
    const pending = await ctx.em.count(RectificationRequest, { patientId: patient.id, field: checked.field, status: RECTIFICATION_STATUS.pending });
    if (pending > 0) throw badUserInput(`A rectification of ${checked.field} is already waiting for a decision`, 'field');
    const request = ctx.em.create(RectificationRequest, {
      id: `rr-${randomUUID()}`,
      patientId: patient.id,
      field: checked.field,
      proposedValue: checked.value,
      reason,
      status: RECTIFICATION_STATUS.pending,
      requestedAt: new Date(),
      decidedAt: null,
      decidedBy: null,
      decisionReason: null,
      channel: 'PORTAL',
      filedBy: patient.id,
    });
    await ctx.em.flush();
    return request;
  },

  /**
   * Accepts or refuses a pending request, once. An accepted request corrects the record in the same
   * transaction (through the unit of work, so the patient's search name follows a corrected name).
   */
  decideRectification: async (_: unknown, args: { id: string; accept: boolean; reason: string }, ctx: Context) => {
    const id = assertId(args.id);
    const decisionReason = checkedReason(args.reason, 'why the request is accepted or refused');
    if (!ctx.viewerId) throw new GraphQLError('A decision needs an authenticated privacy officer', { extensions: { code: 'UNAUTHENTICATED' } });
    const decidedBy = ctx.viewerId;
    return ctx.em.transactional(async (em) => {
      const request = await em.findOne(RectificationRequest, { id });
      if (!request) throw badUserInput(`No rectification request with id "${id}"`, 'id');
      const decided = { status: args.accept ? RECTIFICATION_STATUS.accepted : RECTIFICATION_STATUS.refused, decidedAt: new Date(), decidedBy, decisionReason };
      // Only a pending request changes: of two concurrent decisions, the second updates nothing.
      const updated = await em.nativeUpdate(RectificationRequest, { id, status: RECTIFICATION_STATUS.pending }, decided);
      if (updated !== 1) throw badUserInput('The rectification request was already decided', 'id');
      em.assign(request, decided);
      if (args.accept) {
        const checked = checkedRectification(request.field, request.proposedValue);
        if (!checked.ok) throw badUserInput(`The proposed value can no longer be accepted: ${checked.problem}`, 'id');
        const patient = await em.findOneOrFail(Patient, { id: request.patientId });
        const previousEmail = patient.email;
        patient[checked.column] = checked.value;
        if (checked.column === 'email') {
          // The patient's newsletter subscription follows their corrected address.
          await em.nativeUpdate(MailingListSubscription, { patientId: patient.id, email: previousEmail ?? '' }, { email: checked.value });
        }
      }
      await em.flush();
      return request;
    });
  },

  /** Turns appointment reminders and the newsletter on or off; the mailing list follows the newsletter choice. */
  setCommunicationConsent: async (_: unknown, args: { appointmentReminders?: boolean | null; newsletter?: boolean | null }, ctx: Context) => {
    const given = (value: boolean | null | undefined): value is boolean => value !== null && value !== undefined;
    if (!given(args.appointmentReminders) && !given(args.newsletter)) throw badUserInput('give appointmentReminders, newsletter or both', 'appointmentReminders');
    const { id } = await viewersRecord(ctx);
    return ctx.em.transactional(async (em) => {
      const patient = await em.findOneOrFail(Patient, { id });
      if (given(args.appointmentReminders)) patient.appointmentReminders = args.appointmentReminders;
      if (given(args.newsletter)) {
        patient.newsletter = args.newsletter;
        const subscribed = await em.count(MailingListSubscription, { patientId: id });
        if (!args.newsletter) {
          await em.nativeDelete(MailingListSubscription, { patientId: id });
        } else if (subscribed === 0 && patient.email) {
          em.create(MailingListSubscription, { id: `ml-${randomUUID()}`, email: patient.email, patientId: id, subscribedAt: new Date() });
        }
      }
      await em.flush();
      return { appointmentReminders: patient.appointmentReminders, newsletter: patient.newsletter };
    });
  },
};

export const patientRightsTypes = {
  RectificationRequest: {
    requestedAt: (r: RectificationRequest) => r.requestedAt.toISOString(),
    decidedAt: (r: RectificationRequest) => isoOrNull(r.decidedAt),
  },
};

export const rectificationRequestsOfPatient = (p: Patient, _: unknown, ctx: Context) => ctx.loaders.rectificationRequests.load(p.id);
