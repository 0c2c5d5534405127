import { GraphQLError, parse, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import type { IResolvers } from '@graphql-tools/utils';
import type { SubgraphName } from '@clinic/schema';
import type { GatewayContext } from './context.js';
import { MY_PATIENTS_CATEGORY, PATIENT_ACCESS } from './permissions.js';
import { NEEDS_EMERGENCY_ACCESSES } from './policy/checks.js';
import { PolicyLookupError } from './policy/policy-client.js';

/**
 * `Query.myPatients`: the ward board. It lists only the patients the reader has a duty toward, so
 * reading their record never meets a NO_DUTY refusal (and never opens a repeated-denials incident).
 *
 * Candidates come from where each duty is kept: care assignments, today's appointments and
 * referrals from the patient subgraph (`duty-patients`, one call), emergency accesses from the
 * gateway's audit store (the request's one query). The list is then the candidates for which the
 * reader's role grant of MY_PATIENTS_CATEGORY holds, decided by the compiled permission rules on
 * the same facts the field checks read next, so it cannot disagree with them.
 */
export const myPatientsTypeDefs = parse(/* GraphQL */ `
  extend type Query {
    "The patients the caller has a duty toward now (care assignment, appointment today, active referral, open emergency access)."
    myPatients: [Patient!]!
  }
`);

interface Options {
  patientSubgraphUrl: string;
  timeoutMs: number;
  /** Signs the request (subgraphs refuse unsigned ones). */
  fetch: typeof fetch;
}

const PATIENT: SubgraphName = 'patient';

async function dutyCandidates(options: Options, readerId: string, at: Date): Promise<string[]> {
  let response: Response;
  try {
    response = await options.fetch(new URL('/internal/policy/duty-patients', options.patientSubgraphUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reader: { id: readerId }, at: at.toISOString() }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch {
    throw new PolicyLookupError(PATIENT, 'policy lookup duty-patients failed');
  }
  if (!response.ok) throw new PolicyLookupError(PATIENT, `policy lookup duty-patients answered ${response.status}`);
  const { patients } = (await response.json()) as { patients: { patientId: string }[] };
  return patients.map((p) => p.patientId);
}

export function myPatientsResolvers(options: Options) {
  return (schema: () => GraphQLSchema): IResolvers => ({
    Query: {
      myPatients: async (_: unknown, __: unknown, context: GatewayContext, info: GraphQLResolveInfo) => {
        const { viewer, now } = context.request;
        if (!viewer) throw new GraphQLError('Authentication required', { extensions: { code: 'UNAUTHENTICATED' } });
        const grant = PATIENT_ACCESS[viewer.role][MY_PATIENTS_CATEGORY]?.compile({ role: viewer.role, mfa: viewer.mfa, coordinate: `Patient.${MY_PATIENTS_CATEGORY}` });
        if (!grant || grant.kind === 'deny') return [];
        // The request's own emergency accesses (one query, shared with the field checks that follow).
        const [fromSubgraph, emergency] = await Promise.all([dutyCandidates(options, viewer.id, now), context.access.loadEmergency()]);
        const candidates = [...new Set([...fromSubgraph, ...emergency.keys()])];
        const facts = await Promise.all(candidates.map((id) => context.access.loadFacts(id)));
        const ids = candidates.filter((patientId, i) => {
          if (grant.kind === 'pass') return true;
          const verdict = grant.test({ viewerId: viewer.id, parent: undefined, args: {}, patientId, facts: facts[i], emergency, today: context.access.today });
          return verdict !== NEEDS_EMERGENCY_ACCESSES && verdict.allow;
        });
        // Each patient arrives exactly as through `Query.patient(id)`; the calls of one tick travel in one subgraph request.
        const patientField = schema().getQueryType()?.getFields().patient;
        if (!patientField?.resolve) throw new Error('gateway: the supergraph has no Query.patient');
        const asPatientField = { ...info, fieldName: 'patient', returnType: patientField.type } as GraphQLResolveInfo;
        const patients = await Promise.all(ids.map((id) => patientField.resolve?.({}, { id }, context, asPatientField)));
        return patients.filter((p) => p !== null && p !== undefined);
      },
    },
  });
}
