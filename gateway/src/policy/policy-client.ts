import type { Role, SubgraphName } from '@clinic/schema';

/**
 * The gateway-only path to the policy data each subgraph owns (`POST /internal/policy/...`, never
 * part of the supergraph). One call answers a whole batch of ids.
 */

/** Why a reader has a duty toward a patient (SPEC §5). */
export type DutyKind = 'CARE_ASSIGNMENT' | 'APPOINTMENT_TODAY' | 'ACTIVE_REFERRAL' | 'EMERGENCY_ACCESS';

export interface PatientAccessFacts {
  patientId: string;
  /** The patient exists. */
  exists: boolean;
  /** Duties of the reader toward this patient, with what makes each one. */
  duties: { kind: DutyKind; detail: string }[];
  /** Active restrictions naming the reader (by id or role): which fields and which restriction. */
  restrictions: { id: string; fields: string[] }[];
}

export interface ViewerStatus {
  exists: boolean;
  active: boolean;
  role: Role | null;
}

export interface PolicyClient {
  patientAccess(reader: { id: string; role: Role }, patientIds: readonly string[], at: Date): Promise<PatientAccessFacts[]>;
  appointmentOwners(appointmentIds: readonly string[]): Promise<Record<string, string>>;
  invoiceOwners(invoiceIds: readonly string[]): Promise<Record<string, string>>;
  employeeStatus(employeeId: string, at: Date): Promise<ViewerStatus>;
  /** Display names of employees (for a patient's access log). */
  employeeNames(employeeIds: readonly string[]): Promise<Record<string, string>>;
  /** Policy calls made so far (tests and the benchmark prove they do not grow with rows). */
  readonly calls: number;
}

export class PolicyLookupError extends Error {}

/** Calls the subgraphs' internal policy endpoints over HTTP. */
export function createHttpPolicyClient(subgraphUrls: Record<SubgraphName, string>, timeoutMs: number, fetchFn: typeof fetch = fetch): PolicyClient {
  let calls = 0;
  async function post<T>(subgraph: SubgraphName, path: string, body: unknown): Promise<T> {
    calls += 1;
    const url = new URL(`/internal/policy/${path}`, subgraphUrls[subgraph]);
    let response: Response;
    try {
      response = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new PolicyLookupError(`policy lookup ${path} on the ${subgraph} subgraph failed`);
    }
    if (!response.ok) throw new PolicyLookupError(`policy lookup ${path} on the ${subgraph} subgraph answered ${response.status}`);
    return (await response.json()) as T;
  }
  return {
    get calls() {
      return calls;
    },
    async patientAccess(reader, patientIds, at) {
      const { patients } = await post<{ patients: PatientAccessFacts[] }>('patient', 'patient-access', { reader, patientIds, at: at.toISOString() });
      return patients;
    },
    async appointmentOwners(appointmentIds) {
      return (await post<{ owners: Record<string, string> }>('patient', 'appointment-owners', { ids: appointmentIds })).owners;
    },
    async invoiceOwners(invoiceIds) {
      return (await post<{ owners: Record<string, string> }>('billing', 'invoice-owners', { ids: invoiceIds })).owners;
    },
    async employeeStatus(employeeId, at) {
      return post<ViewerStatus>('employee', 'employee-status', { employeeId, at: at.toISOString() });
    },
    async employeeNames(employeeIds) {
      return (await post<{ names: Record<string, string> }>('employee', 'employee-names', { ids: employeeIds })).names;
    },
  };
}
