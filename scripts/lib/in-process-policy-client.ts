import type { Database, InternalHandler, SubgraphDefinition } from '@clinic/service-kit';
import type { PolicyClient } from '@clinic/gateway';

/** The gateway's policy client answered by the subgraphs' own handlers on their databases, without HTTP. */
export function inProcessPolicyClient(
  services: Record<'patient' | 'employee' | 'billing', { def: SubgraphDefinition<unknown>; db: Database }>,
): PolicyClient {
  let calls = 0;
  const call = async <T>(service: 'patient' | 'employee' | 'billing', name: string, body: unknown): Promise<T> => {
    calls += 1;
    const handler: InternalHandler | undefined = services[service].def.internal?.[name];
    if (!handler) throw new Error(`no internal endpoint ${name} on ${service}`);
    return (await handler(body, services[service].db.fork())) as T;
  };
  return {
    get calls() {
      return calls;
    },
    patientAccess: async (reader, patientIds, at) =>
      (await call<{ patients: Awaited<ReturnType<PolicyClient['patientAccess']>> }>('patient', 'patient-access', { reader, patientIds, at: at.toISOString() })).patients,
    appointmentOwners: async (ids) => (await call<{ owners: Record<string, string> }>('patient', 'appointment-owners', { ids })).owners,
    invoiceOwners: async (ids) => (await call<{ owners: Record<string, string> }>('billing', 'invoice-owners', { ids })).owners,
    employeeStatus: (employeeId, at) => call('employee', 'employee-status', { employeeId, at: at.toISOString() }),
    employeeNames: async (ids) => (await call<{ names: Record<string, string> }>('employee', 'employee-names', { ids })).names,
    rectificationOwners: async (ids) => (await call<{ owners: Record<string, string> }>('patient', 'rectification-owners', { ids })).owners,
    restrictionOwners: async (ids) => (await call<{ owners: Record<string, string> }>('patient', 'restriction-owners', { ids })).owners,
    readersAccess: async (readers, patientId, at) =>
      (await call<{ readers: Awaited<ReturnType<PolicyClient['readersAccess']>> }>('patient', 'readers-access', { readers, patientId, at: at.toISOString() })).readers,
    patientIds: async () => (await call<{ ids: string[] }>('patient', 'patient-ids', {})).ids,
    staffRoster: async (at) => (await call<{ staff: Awaited<ReturnType<PolicyClient['staffRoster']>> }>('employee', 'staff-roster', { at: at.toISOString() })).staff,
    staffForReview: async (at) => (await call<{ staff: Awaited<ReturnType<PolicyClient['staffForReview']>> }>('employee', 'staff-for-review', { at: at.toISOString() })).staff,
    staffDuties: async (readers, at) => (await call<{ staff: Awaited<ReturnType<PolicyClient['staffDuties']>> }>('patient', 'staff-duties', { readers, at: at.toISOString() })).staff,
    retentionReport: (subgraph, at) => call(subgraph, 'retention-report', { at: at.toISOString() }),
    applyRetention: (subgraph, at) => call(subgraph, 'apply-retention', { at: at.toISOString() }),
    recordRequests: (endpoint, body) => call('patient', endpoint, body),
    watchFacts: async (patientIds, employeeIds) => ({
      patients: patientIds.length ? (await call<{ patients: Awaited<ReturnType<PolicyClient['watchFacts']>>['patients'] }>('patient', 'watch-facts', { ids: patientIds })).patients : {},
      employees: employeeIds.length ? (await call<{ employees: Awaited<ReturnType<PolicyClient['watchFacts']>>['employees'] }>('employee', 'watch-facts', { ids: employeeIds })).employees : {},
    }),
  };
}
