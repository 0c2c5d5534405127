import { randomUUID } from 'node:crypto';
import { assertId, badUserInput, type SubgraphContext } from '@clinic/service-kit';
import { ClinicalNote, Patient, Vital } from './entities.js';
import type { PatientLoaders } from './loaders.js';
import { touchRecord } from './record-parts.js';

type Context = SubgraphContext<PatientLoaders>;

const MAX_NOTE_LENGTH = 10_000;
const MAX_VITAL_LENGTH = 64;
const VITAL_KIND = /^[A-Z][A-Z0-9_]{1,31}$/;

async function existingPatient(ctx: Context, patientId: string): Promise<string> {
  const id = assertId(patientId, 'patientId');
  if (!(await ctx.em.findOne(Patient, { id }, { fields: ['id'] }))) throw badUserInput(`No patient with id "${id}"`, 'patientId');
  return id;
}

/**
 * Clinical writes by physicians and nurses with duty (the gateway decides who may call them).
 * The author is the gateway's verified viewer, passed as `x-viewer-id`; never chosen by the caller.
 */
export const recordMutations = {
  addClinicalNote: async (_: unknown, args: { patientId: string; text: string }, ctx: Context) => {
    const text = args.text.trim();
    if (!text) throw badUserInput('text must not be empty', 'text');
    if (text.length > MAX_NOTE_LENGTH) throw badUserInput(`text must be at most ${MAX_NOTE_LENGTH} characters`, 'text');
    const patientId = await existingPatient(ctx, args.patientId);
    const writtenAt = new Date();
    const note = ctx.em.create(ClinicalNote, { id: `n-${randomUUID()}`, patientId, authorId: authorOf(ctx), text, writtenAt });
    await ctx.em.flush();
    await touchRecord(ctx.em, patientId, writtenAt);
    return note;
  },

  recordVital: async (_: unknown, args: { patientId: string; kind: string; value: string }, ctx: Context) => {
    if (!VITAL_KIND.test(args.kind)) throw badUserInput('kind must be an upper-case code such as BLOOD_PRESSURE or GLUCOSE', 'kind');
    const value = args.value.trim();
    if (!value || value.length > MAX_VITAL_LENGTH) throw badUserInput(`value must be 1 to ${MAX_VITAL_LENGTH} characters`, 'value');
    const patientId = await existingPatient(ctx, args.patientId);
    const recordedAt = new Date();
    const vital = ctx.em.create(Vital, { patientId, kind: args.kind, value, recordedAt });
    await ctx.em.flush();
    await touchRecord(ctx.em, patientId, recordedAt);
    return vital;
  },
};

function authorOf(ctx: Context): string {
  if (!ctx.viewerId) throw badUserInput('a clinical note needs an authenticated author', 'patientId');
  return ctx.viewerId;
}
