import { GraphQLError } from 'graphql';
import type { Role, SubgraphName } from '@clinic/schema';
import { SERVICE_UNAVAILABLE, unavailableMessage } from '../subgraph-errors.js';

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

/** Subgraphs that own data under a retention rule (SPEC §11) and answer `retention-report` / `apply-retention`. */
export const RETENTION_SUBGRAPHS = ['patient', 'employee'] as const satisfies readonly SubgraphName[];
export type RetentionSubgraph = (typeof RETENTION_SUBGRAPHS)[number];

/** A subgraph's dry run: its rules, the items they make due (ids and owners only), what is kept and why. */
export interface SubgraphRetentionReport {
  rules: { code: string; description: string; action: string }[];
  due: { rule: string; itemKind: string; itemId: string; ownerId: string | null; dueSince: string }[];
  kept: { rule: string; itemKind: string; count: number; reason: string }[];
}

/** What a subgraph destroyed or anonymized: counts per rule and kind, and the patients whose record changed (for the audit log). */
export interface SubgraphRetentionRun {
  applied: { rule: string; itemKind: string; action: string; count: number }[];
  patientIds: string[];
}

export interface PolicyClient {
  patientAccess(reader: { id: string; role: Role }, patientIds: readonly string[], at: Date): Promise<PatientAccessFacts[]>;
  appointmentOwners(appointmentIds: readonly string[]): Promise<Record<string, string>>;
  invoiceOwners(invoiceIds: readonly string[]): Promise<Record<string, string>>;
  employeeStatus(employeeId: string, at: Date): Promise<ViewerStatus>;
  /** Display names of employees (for a patient's access log). */
  employeeNames(employeeIds: readonly string[]): Promise<Record<string, string>>;
  /** Whose record each rectification request belongs to. */
  rectificationOwners(requestIds: readonly string[]): Promise<Record<string, string>>;
  /** Whose record each access restriction protects. */
  restrictionOwners(restrictionIds: readonly string[]): Promise<Record<string, string>>;
  /** What a subgraph's retention rules make due at `at` (nothing changes). */
  retentionReport(subgraph: RetentionSubgraph, at: Date): Promise<SubgraphRetentionReport>;
  /** Destroys or anonymizes what a subgraph's retention rules make due at `at`. */
  applyRetention(subgraph: RetentionSubgraph, at: Date): Promise<SubgraphRetentionRun>;
  /** Requests on the legal clock and legal holds (issue 14): the patient subgraph's `request-*` / `hold-*` endpoints. */
  recordRequests<T>(endpoint: RecordRequestEndpoint, body: Record<string, unknown>): Promise<T>;
  /** The reverse question: the facts of many readers toward one patient, in one call. */
  readersAccess(readers: readonly { id: string; role: Role }[], patientId: string, at: Date): Promise<Record<string, PatientAccessFacts>>;
  /** Every patient's id. */
  patientIds(): Promise<string[]>;
  /** The staff employed at `at`, with their role. */
  staffRoster(at: Date): Promise<{ id: string; role: Role }[]>;
  /** Policy calls made so far (tests and the benchmark prove they do not grow with rows). */
  readonly calls: number;
}

export type RecordRequestEndpoint = 'request-file' | 'rectification-file' | 'request-decide' | 'request-register' | 'hold-place' | 'hold-lift' | 'hold-list';

/** A policy look-up that failed: the field is not served (fail closed) and the caller is told why. */
export class PolicyLookupError extends GraphQLError {
  constructor(readonly subgraph: SubgraphName, detail: string) {
    super(unavailableMessage(subgraph), { extensions: { code: SERVICE_UNAVAILABLE }, originalError: new Error(detail) });
  }
}

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
      throw new PolicyLookupError(subgraph, `policy lookup ${path} failed`);
    }
    if (!response.ok) throw new PolicyLookupError(subgraph, `policy lookup ${path} answered ${response.status}`);
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
    async rectificationOwners(requestIds) {
      return (await post<{ owners: Record<string, string> }>('patient', 'rectification-owners', { ids: requestIds })).owners;
    },
    async restrictionOwners(restrictionIds) {
      return (await post<{ owners: Record<string, string> }>('patient', 'restriction-owners', { ids: restrictionIds })).owners;
    },
    async readersAccess(readers, patientId, at) {
      return (await post<{ readers: Record<string, PatientAccessFacts> }>('patient', 'readers-access', { readers, patientId, at: at.toISOString() })).readers;
    },
    async patientIds() {
      return (await post<{ ids: string[] }>('patient', 'patient-ids', {})).ids;
    },
    async staffRoster(at) {
      return (await post<{ staff: { id: string; role: Role }[] }>('employee', 'staff-roster', { at: at.toISOString() })).staff;
    },
    retentionReport: (subgraph, at) => post<SubgraphRetentionReport>(subgraph, 'retention-report', { at: at.toISOString() }),
    applyRetention: (subgraph, at) => post<SubgraphRetentionRun>(subgraph, 'apply-retention', { at: at.toISOString() }),
    recordRequests: <T>(endpoint: RecordRequestEndpoint, body: Record<string, unknown>) => post<T>('patient', endpoint, body),
  };
}
