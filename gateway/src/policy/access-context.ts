import DataLoader from 'dataloader';
import type { Viewer } from '../identity/viewer.js';
import type { PatientAccessFacts, PolicyClient } from './policy-client.js';
import type { Verdict } from './verdict.js';

/**
 * Everything the rules need about one request, resolved once and read-only afterwards: the verified
 * viewer, the request's clock, and batch loaders for the policy data of the patients it touches.
 * Nothing is cached across requests, so every gateway replica sees a change on the next request.
 */
/** An emergency access open for the viewer toward one patient. */
export interface OpenEmergencyAccess {
  id: string;
  expiresAt: Date;
}

/** Finds the viewer's open emergency accesses for a batch of patients (the audit store answers). */
export type EmergencyAccessLookup = (viewerId: string, patientIds: readonly string[], now: Date) => Promise<(OpenEmergencyAccess & { patientId: string })[]>;

export interface AccessContext {
  viewer: Viewer | undefined;
  now: Date;
  emergencyAccess: DataLoader<string, OpenEmergencyAccess | undefined>;
  patientAccess: DataLoader<string, PatientAccessFacts>;
  appointmentOwner: DataLoader<string, string | undefined>;
  invoiceOwner: DataLoader<string, string | undefined>;
  rectificationOwner: DataLoader<string, string | undefined>;
  /** Verdicts that depend only on the reader and the patient, shared by the fields of one request. */
  decisions: Map<string, Promise<Verdict>>;
}

export function createAccessContext(viewer: Viewer | undefined, client: PolicyClient, now: Date, emergency: EmergencyAccessLookup): AccessContext {
  const ownerLoader = (fetch: (ids: readonly string[]) => Promise<Record<string, string>>) =>
    new DataLoader<string, string | undefined>(async (ids) => {
      const owners = await fetch(ids);
      return ids.map((id) => owners[id]);
    });
  return {
    viewer,
    now,
    emergencyAccess: new DataLoader(async (patientIds) => {
      if (!viewer) return patientIds.map(() => undefined);
      const open = await emergency(viewer.id, patientIds, now);
      return patientIds.map((id) => open.find((access) => access.patientId === id));
    }),
    patientAccess: new DataLoader(async (patientIds) => {
      if (!viewer) throw new Error('policy: patient access asked without a viewer');
      const facts = new Map((await client.patientAccess(viewer, patientIds, now)).map((f) => [f.patientId, f]));
      return patientIds.map((id) => facts.get(id) ?? { patientId: id, exists: false, duties: [], restrictions: [] });
    }),
    appointmentOwner: ownerLoader((ids) => client.appointmentOwners(ids)),
    invoiceOwner: ownerLoader((ids) => client.invoiceOwners(ids)),
    rectificationOwner: ownerLoader((ids) => client.rectificationOwners(ids)),
    decisions: new Map(),
  };
}
