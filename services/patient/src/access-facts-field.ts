import { GraphQLError } from 'graphql';
import { badUserInput, type SubgraphContext } from '@clinic/service-kit';
import type { Role } from '@clinic/schema';
import { accessFactsInstant } from './access-facts.js';
import type { Patient } from './entities.js';
import type { PatientLoaders } from './loaders.js';

/**
 * `Patient._accessFacts` (gateway only, `@inaccessible` in the supergraph): the verified viewer's
 * policy facts toward this patient, as JSON of the gateway's `PatientAccessFacts`, fetched with the
 * record in the same request instead of a separate internal call. The reader is the signed
 * `x-viewer-id`, never an argument; the gateway says which role it verified.
 */
export async function accessFactsOfPatient(patient: Patient, args: { role: Role; at: string }, ctx: SubgraphContext<PatientLoaders>): Promise<string> {
  if (!ctx.viewerId) throw new GraphQLError('Access facts need the verified viewer of the request', { extensions: { code: 'UNAUTHENTICATED' } });
  const at = accessFactsInstant(args.at);
  if (!at) throw badUserInput('at must be an ISO-8601 instant with a time zone, e.g. 2026-11-25T14:30:00Z', 'at');
  return JSON.stringify(await ctx.loaders.accessFacts({ id: ctx.viewerId, role: args.role }, at).load(patient.id));
}
