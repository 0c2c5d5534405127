import type { Role } from '@clinic/schema';
import type { Viewer } from '../identity/viewer.js';
import type { OpenEmergencyAccess } from './checks.js';
import type { CompiledPolicy } from './compiled-policy.js';
import { explainDecision, type Explanation } from './explain.js';
import type { PatientAccessFacts, PolicyClient } from './policy-client.js';
import { RECORD_KEY } from './record-keys.js';
import { RequestPolicy } from './request-policy.js';

/**
 * The privacy officer's two reverse questions (issue 15), answered by the compiled policy the gateway
 * enforces: each reader's plan run by `explainDecision`, on facts loaded beforehand in one batch per
 * question (never one look-up per employee or per patient). There is no second interpreter here:
 * only the facts are gathered differently.
 */

export interface ReaderDecision {
  readerId: string;
  role: Role;
  /** Allowed with two-factor authentication (the best the reader can do). */
  allowed: boolean;
  /** Allowed only with two-factor authentication. */
  needsMfa: boolean;
  /** The refusal's reason, when refused. */
  reason: string | null;
  /** Every check of the rule and what it decided, as `policy:explain` says it. */
  why: string[];
}

const NO_FACTS = (patientId: string): PatientAccessFacts => ({ patientId, exists: false, duties: [], restrictions: [] });

/** A policy client that answers facts from what was loaded for the question; it asks nothing else. */
function preloaded(facts: (patientId: string) => PatientAccessFacts): PolicyClient {
  const refuse = () => {
    throw new Error('reverse look-ups: only a patient field is answered');
  };
  return {
    patientAccess: async (_reader, patientIds) => patientIds.map(facts),
    appointmentOwners: refuse,
    invoiceOwners: refuse,
    employeeStatus: refuse,
    employeeNames: refuse,
    rectificationOwners: refuse,
    restrictionOwners: refuse,
    retentionReport: refuse,
    applyRetention: refuse,
    readersAccess: refuse,
    patientIds: refuse,
    staffRoster: refuse,
    staffForReview: refuse,
    staffDuties: refuse,
    recordRequests: refuse,
    watchFacts: refuse,
    calls: 0,
  };
}

/** One reader's decision on a field of one patient's record, with and without two-factor authentication. */
export async function decideForReader(
  compiled: CompiledPolicy,
  reader: Omit<Viewer, 'mfa'>,
  coordinate: string,
  patientId: string,
  facts: (patientId: string) => PatientAccessFacts,
  emergency: readonly OpenEmergencyAccess[],
  now: Date,
): Promise<ReaderDecision> {
  const explain = (mfa: boolean): Promise<Explanation> =>
    explainDecision(new RequestPolicy(compiled, { ...reader, mfa }, now, preloaded(facts), async () => [...emergency]), coordinate, { [RECORD_KEY]: patientId }, {});
  const [withMfa, withoutMfa] = await Promise.all([explain(true), explain(false)]);
  return {
    readerId: reader.id,
    role: reader.role,
    allowed: withMfa.decision.allow,
    needsMfa: withMfa.decision.allow && !withoutMfa.decision.allow,
    reason: withMfa.decision.allow ? null : withMfa.decision.reason,
    why: withMfa.steps.map((s) => `${s.check}: ${s.verdict.because}`),
  };
}

/** Patient fields a reverse question may name (`Patient.diagnoses`). */
export function patientCoordinates(compiled: CompiledPolicy): string[] {
  return compiled.coordinates.filter((c) => c.startsWith('Patient.'));
}

/** Who can read `coordinate` of `patientId` at `now`: every employed staff member and the patient, decided; the allowed ones kept. */
export async function whoCanRead(
  compiled: CompiledPolicy,
  client: Pick<PolicyClient, 'staffRoster' | 'readersAccess'>,
  emergencyToward: (patientId: string, now: Date) => Promise<(OpenEmergencyAccess & { grantedTo: string })[]>,
  patientId: string,
  coordinate: string,
  now: Date,
): Promise<ReaderDecision[]> {
  const staff = await client.staffRoster(now);
  const [facts, emergencies] = await Promise.all([client.readersAccess(staff, patientId, now), emergencyToward(patientId, now)]);
  const readers: Omit<Viewer, 'mfa'>[] = [...staff, { id: patientId, role: 'PATIENT' }];
  // Whether the patient exists is the same in every reader's facts.
  const exists = Object.values(facts)[0]?.exists ?? false;
  const decisions = await Promise.all(
    readers.map((reader) =>
      decideForReader(
        compiled,
        reader,
        coordinate,
        patientId,
        (id) => (reader.role === 'PATIENT' ? { ...NO_FACTS(id), exists } : (facts[reader.id] ?? NO_FACTS(id))),
        emergencies.filter((e) => e.grantedTo === reader.id),
        now,
      ),
    ),
  );
  return decisions.filter((d) => d.allowed);
}

export interface ReadablePatient {
  patientId: string;
  /** Patient fields the employee reads now (with two-factor authentication where a field needs it). */
  fields: string[];
  fieldsNeedingMfa: string[];
  /** Why, field by field: the chain of checks of each readable field. */
  why: { field: string; steps: string[] }[];
}

/** Which patients `reader` can read at `now`, and which fields of each: one facts call for every patient, one emergency look-up. */
export async function readableBy(
  compiled: CompiledPolicy,
  client: Pick<PolicyClient, 'patientIds' | 'patientAccess'>,
  emergencyOf: (readerId: string, now: Date) => Promise<OpenEmergencyAccess[]>,
  reader: Omit<Viewer, 'mfa'>,
  now: Date,
): Promise<ReadablePatient[]> {
  const patientIds = await client.patientIds();
  const [factsList, emergencies] = await Promise.all([patientIds.length ? client.patientAccess(reader, patientIds, now) : [], emergencyOf(reader.id, now)]);
  const facts = new Map(factsList.map((f) => [f.patientId, f]));
  const fields = patientCoordinates(compiled);
  const out: ReadablePatient[] = [];
  for (const patientId of patientIds) {
    const decisions = await Promise.all(
      fields.map(async (field) => ({ field, decision: await decideForReader(compiled, reader, field, patientId, (id) => facts.get(id) ?? NO_FACTS(id), emergencies, now) })),
    );
    const allowed = decisions.filter((d) => d.decision.allowed);
    if (allowed.length === 0) continue;
    out.push({
      patientId,
      fields: allowed.map((d) => d.field),
      fieldsNeedingMfa: allowed.filter((d) => d.decision.needsMfa).map((d) => d.field),
      why: allowed.map((d) => ({ field: d.field, steps: d.decision.why })),
    });
  }
  return out;
}
