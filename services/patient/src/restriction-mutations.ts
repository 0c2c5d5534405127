import { randomUUID } from 'node:crypto';
import { assertId, badUserInput, type SubgraphContext } from '@clinic/service-kit';
import { ROLES, supergraphFieldsOf } from '@clinic/schema';
import { AccessRestriction, Patient } from './entities.js';
import type { PatientLoaders } from './loaders.js';

type Context = SubgraphContext<PatientLoaders>;

interface AccessRestrictionInput {
  patientId: string;
  employeeId?: string | null;
  role?: string | null;
  fields: string[];
  reason: string;
}

const MAX_REASON_LENGTH = 1000;

/** Fields a restriction may name: every field of the patient's record in the supergraph, but its id. */
export function restrictableFields(): string[] {
  return supergraphFieldsOf('Patient')
    .filter((field) => field !== 'id')
    .map((field) => `Patient.${field}`);
}

function checkedFields(fields: string[]): string[] {
  if (fields.length === 0) throw badUserInput('fields must name at least one field, e.g. "Patient.diagnoses"', 'fields');
  const allowed = new Set(restrictableFields());
  const unknown = fields.filter((f) => !allowed.has(f));
  if (unknown.length > 0) {
    throw badUserInput(`fields names unknown or unrestrictable fields: ${unknown.slice(0, 5).join(', ')}; use Type.field names of the patient's record, e.g. "Patient.diagnoses"`, 'fields');
  }
  return [...new Set(fields)];
}

/** A patient's restrictions (SPEC §6), managed by the privacy officer; the gateway decides who may call these. */
export const restrictionMutations = {
  createAccessRestriction: async (_: unknown, { input }: { input: AccessRestrictionInput }, ctx: Context) => {
    const patientId = assertId(input.patientId, 'patientId');
    const employeeId = input.employeeId ? assertId(input.employeeId, 'employeeId') : null;
    const role = input.role ?? null;
    if ((employeeId === null) === (role === null)) throw badUserInput('name exactly one subject: employeeId or role', 'employeeId');
    if (role !== null && (!(ROLES as readonly string[]).includes(role) || role === 'PATIENT')) throw badUserInput('role must be a staff role', 'role');
    const fields = checkedFields(input.fields);
    const reason = input.reason.trim();
    if (!reason) throw badUserInput('reason must say why the patient asked for the restriction', 'reason');
    if (reason.length > MAX_REASON_LENGTH) throw badUserInput(`reason must be at most ${MAX_REASON_LENGTH} characters`, 'reason');
    if (!(await ctx.em.findOne(Patient, { id: patientId }, { fields: ['id'] }))) throw badUserInput(`No patient with id "${patientId}"`, 'patientId');
    const restriction = ctx.em.create(AccessRestriction, {
      id: `r-${randomUUID()}`,
      patientId,
      employeeId,
      role,
      fields,
      reason,
      // The gateway's request time: the one the next request's policy look-up is matched with.
      startsAt: ctx.now,
      endsAt: null,
      lifted: false,
    });
    await ctx.em.flush();
    return restriction;
  },

  liftAccessRestriction: async (_: unknown, { id }: { id: string }, ctx: Context) => {
    const restriction = await ctx.em.findOne(AccessRestriction, { id: assertId(id) });
    if (!restriction) throw badUserInput(`No access restriction with id "${id}"`, 'id');
    if (restriction.lifted) throw badUserInput('The access restriction is already lifted', 'id');
    restriction.lifted = true;
    restriction.endsAt = ctx.now;
    await ctx.em.flush();
    return restriction;
  },
};
