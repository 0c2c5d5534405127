import { GraphQLError, parse, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import type { IResolvers } from '@graphql-tools/utils';
import type { SubgraphName } from '@clinic/schema';
import type { AuditStore } from './audit-store/audit-store.js';
import { EmergencyAccess } from './audit-store/entities.js';
import type { GatewayContext } from './context.js';
import { MY_PATIENTS_CATEGORY, PATIENT_ACCESS } from './permissions.js';
import { auditStoreUnavailable } from './plugins/audit-plugin.js';
import { PolicyLookupError } from './policy/policy-client.js';

/**
 * `Query.myPatients`: the ward board. It lists only the patients the reader has a duty toward, so
 * reading their record never meets a NO_DUTY refusal (and never opens a repeated-denials incident).
 *
 * Candidates come from where each duty is kept: care assignments, today's appointments and
 * referrals from the patient subgraph (`duty-patients`, one call), emergency accesses from the
 * gateway's audit store (one query). The list is then the candidates for which the reader's role
 * grant of MY_PATIENTS_CATEGORY holds, decided by the permission rules themselves (the same
 * batched facts the field checks read next), so it cannot disagree with them.
 */
export const myPatientsTypeDefs = parse(/* GraphQL */ `
  extend type Query {
    "The patients the caller has a duty toward now (care assignment, appointment today, active referral, open emergency access)."
    myPatients: [Patient!]!
  }
`);

interface Options {
  store: AuditStore;
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

async function emergencyCandidates(store: AuditStore, readerId: string, at: Date): Promise<string[]> {
  try {
    const open = await store.db.fork().find(EmergencyAccess, { grantedTo: readerId, openedAt: { $lte: at }, expiresAt: { $gt: at } }, { fields: ['patientId'] });
    return open.map((access) => access.patientId);
  } catch {
    // Fail closed, like every emergency-access look-up.
    throw auditStoreUnavailable();
  }
}

export function myPatientsResolvers(options: Options) {
  return (schema: () => GraphQLSchema): IResolvers => ({
    Query: {
      myPatients: async (_: unknown, __: unknown, context: GatewayContext, info: GraphQLResolveInfo) => {
        const { viewer, now } = context.access;
        if (!viewer) throw new GraphQLError('Authentication required', { extensions: { code: 'UNAUTHENTICATED' } });
        const condition = PATIENT_ACCESS[viewer.role][MY_PATIENTS_CATEGORY];
        if (!condition) return [];
        const [fromSubgraph, fromEmergencies] = await Promise.all([dutyCandidates(options, viewer.id, now), emergencyCandidates(options.store, viewer.id, now)]);
        const candidates = [...new Set([...fromSubgraph, ...fromEmergencies])];
        const input = { type: 'Patient', field: 'id', parent: undefined, args: {}, ctx: context.access };
        const verdicts = await Promise.all(candidates.map((id) => condition.holds(input, id)));
        const ids = candidates.filter((_id, i) => verdicts[i]?.allow);
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
