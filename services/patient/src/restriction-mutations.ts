import { assertId, badUserInput, type SubgraphContext } from '@clinic/service-kit';
import { AccessRestriction, Patient } from './entities.js';
import type { PatientLoaders } from './loaders.js';
import { checkedRestrictionTerms, createRestriction, RESTRICTION_REQUESTER, type RestrictionTermsInput } from './restriction-terms.js';

type Context = SubgraphContext<PatientLoaders>;

interface AccessRestrictionInput extends RestrictionTermsInput {
  patientId: string;
}

/**
 * A patient's restrictions (SPEC §6), made by the privacy officer; the gateway decides who may call
 * these. A patient's own ask goes through a request of kind RESTRICTION (record-requests.ts).
 */
export const restrictionMutations = {
  createAccessRestriction: async (_: unknown, { input }: { input: AccessRestrictionInput }, ctx: Context) => {
    const patientId = assertId(input.patientId, 'patientId');
    // The gateway's request time: the one the next request's policy look-up is matched with.
    const checked = checkedRestrictionTerms(input, ctx.now);
    if (!checked.ok) throw badUserInput(checked.problem, checked.argument);
    if (!(await ctx.em.findOne(Patient, { id: patientId }, { fields: ['id'] }))) throw badUserInput(`No patient with id "${patientId}"`, 'patientId');
    const restriction = createRestriction(ctx.em, patientId, checked.terms, { by: RESTRICTION_REQUESTER.privacyOfficer, byId: ctx.viewerId ?? null, at: ctx.now, requestId: null }, ctx.now);
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
