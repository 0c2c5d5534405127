import { assertId, badUserInput, type SubgraphContext } from '@clinic/service-kit';
import { Patient } from './entities.js';
import type { PatientLoaders } from './loaders.js';

type Context = SubgraphContext<PatientLoaders>;

const MAX_REASON_LENGTH = 1000;

/**
 * The privacy officer flags a record sensitive, or clears the flag (issue 15): every staff access to
 * a sensitive record opens a review item. The gateway decides who may call it and logs it under
 * the patient; the reason, the officer and the time are kept with the flag.
 */
export const sensitiveRecordMutations = {
  markRecordSensitive: async (_: unknown, args: { patientId: string; sensitive: boolean; reason: string }, ctx: Context) => {
    const patientId = assertId(args.patientId, 'patientId');
    const reason = args.reason.trim();
    if (!reason) throw badUserInput('reason must say why the record is (no longer) sensitive', 'reason');
    if (reason.length > MAX_REASON_LENGTH) throw badUserInput(`reason must be at most ${MAX_REASON_LENGTH} characters`, 'reason');
    if (!ctx.viewerId) throw badUserInput('marking a record needs an authenticated privacy officer', 'patientId');
    const patient = await ctx.em.findOne(Patient, { id: patientId });
    if (!patient) throw badUserInput(`No patient with id "${patientId}"`, 'patientId');
    patient.sensitive = args.sensitive;
    patient.sensitiveReason = reason;
    patient.sensitiveMarkedBy = ctx.viewerId;
    // The gateway's request time.
    patient.sensitiveMarkedAt = ctx.now;
    await ctx.em.flush();
    return patient;
  },
};
