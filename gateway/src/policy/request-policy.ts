import DataLoader from 'dataloader';
import { clinicDayOf, type Role } from '@clinic/schema';
import type { Viewer } from '../identity/viewer.js';
import type { OpenEmergencyAccess, TargetScope } from './checks.js';
import type { CompiledPolicy, FieldPlan } from './compiled-policy.js';
import type { PatientAccessFacts, PolicyClient } from './policy-client.js';
import { carriedAccessFacts } from './carried-facts.js';

/** Finds the viewer's open emergency accesses (the audit store answers; one query per request). */
export type EmergencyAccessLookup = (viewerId: string, now: Date) => Promise<OpenEmergencyAccess[]>;

const NO_EMERGENCY_ACCESSES: ReadonlyMap<string, OpenEmergencyAccess> = new Map();
const NO_FACTS = (patientId: string): PatientAccessFacts => ({ patientId, exists: false, duties: [], restrictions: [] });

/**
 * The policy side of one request: the compiled plans of the verified reader and the facts the
 * rules read, loaded once per response (carried by the records themselves, or one batched look-up
 * per list) and then read synchronously. Nothing is kept across requests, so every gateway
 * replica sees a change (a restriction, a duty) on the next request.
 */
export class RequestPolicy implements TargetScope {
  /** The reader's plan of every guarded coordinate (compiled-policy.ts), by coordinate index. */
  readonly plans: readonly FieldPlan[];
  readonly viewerId: string | undefined;
  readonly viewerRole: Role | undefined;
  /** The clinic day of the request: employment that ended on or before it has ended. */
  readonly today: string;
  private readonly known = new Map<string, PatientAccessFacts>();
  private readonly factsLoader: DataLoader<string, PatientAccessFacts>;
  private readonly owners: Record<'appointment' | 'invoice' | 'rectification' | 'restriction', DataLoader<string, string | undefined>>;
  private emergencyLoaded: ReadonlyMap<string, OpenEmergencyAccess> | undefined;
  private emergencyLoading: Promise<ReadonlyMap<string, OpenEmergencyAccess>> | undefined;

  constructor(
    readonly compiled: CompiledPolicy,
    viewer: Viewer | undefined,
    private readonly now: Date,
    client: PolicyClient,
    private readonly emergencyLookup: EmergencyAccessLookup,
    /** Facts of this reader at `now` the request already holds (a patient's own, from the identity check). */
    preloaded: readonly PatientAccessFacts[] = [],
  ) {
    for (const facts of preloaded) this.known.set(facts.patientId, facts);
    this.viewerId = viewer?.id;
    this.viewerRole = viewer?.role;
    this.today = clinicDayOf(now);
    this.plans = compiled.plansFor(viewer?.role, viewer?.mfa ?? false);
    // A reader the rules never let break the glass holds no emergency access: nothing to look up.
    if (!compiled.mayHoldEmergencyAccess(viewer?.role, viewer?.mfa ?? false)) this.emergencyLoaded = NO_EMERGENCY_ACCESSES;
    this.factsLoader = new DataLoader(async (patientIds) => {
      if (!viewer) return patientIds.map(NO_FACTS);
      const facts = new Map((await client.patientAccess(viewer, patientIds, now)).map((f) => [f.patientId, f]));
      return patientIds.map((id) => {
        const found = facts.get(id) ?? NO_FACTS(id);
        this.known.set(id, found);
        return found;
      });
    });
    const ownerLoader = (fetch: (ids: readonly string[]) => Promise<Record<string, string>>) =>
      new DataLoader<string, string | undefined>(async (ids) => {
        const owners = await fetch(ids);
        return ids.map((id) => owners[id]);
      });
    this.owners = {
      appointment: ownerLoader((ids) => client.appointmentOwners(ids)),
      invoice: ownerLoader((ids) => client.invoiceOwners(ids)),
      rectification: ownerLoader((ids) => client.rectificationOwners(ids)),
      restriction: ownerLoader((ids) => client.restrictionOwners(ids)),
    };
  }

  /** The facts of a patient at once, when they are known or travel with the record being resolved. */
  factsNow(patientId: string, parent: Record<string, unknown> | undefined): PatientAccessFacts | undefined {
    const known = this.known.get(patientId);
    if (known) return known;
    const carried = carriedAccessFacts(parent);
    if (carried?.patientId !== patientId) return undefined;
    this.known.set(patientId, carried);
    return carried;
  }

  /** The facts of a patient, batched with every other patient asked for in the same tick. */
  loadFacts(patientId: string): Promise<PatientAccessFacts> {
    const known = this.known.get(patientId);
    return known ? Promise.resolve(known) : this.factsLoader.load(patientId);
  }

  async patientExists(patientId: string): Promise<boolean> {
    return (await this.loadFacts(patientId)).exists;
  }

  appointmentOwner = (id: string) => this.owners.appointment.load(id);
  invoiceOwner = (id: string) => this.owners.invoice.load(id);
  rectificationOwner = (id: string) => this.owners.rectification.load(id);
  restrictionOwner = (id: string) => this.owners.restriction.load(id);

  /** The reader's open emergency accesses, once asked for (undefined before). */
  get emergency(): ReadonlyMap<string, OpenEmergencyAccess> | undefined {
    return this.emergencyLoaded;
  }

  /** Loads the reader's open emergency accesses: one query per request, whatever the number of patients. */
  loadEmergency(): Promise<ReadonlyMap<string, OpenEmergencyAccess>> {
    if (this.emergencyLoaded) return Promise.resolve(this.emergencyLoaded);
    this.emergencyLoading ??= (async () => {
      const open = this.viewerId ? await this.emergencyLookup(this.viewerId, this.now) : [];
      // Latest expiry first: a patient's first access is the one that lasts longest.
      const byPatient = new Map<string, OpenEmergencyAccess>();
      for (const access of open) if (!byPatient.has(access.patientId)) byPatient.set(access.patientId, access);
      this.emergencyLoaded = byPatient;
      return byPatient;
    })();
    return this.emergencyLoading;
  }

  /** A new emergency access opened in this request: later reads of the request see it. */
  forgetEmergencyAccesses(): void {
    if (this.emergencyLoaded === NO_EMERGENCY_ACCESSES) return;
    this.emergencyLoaded = undefined;
    this.emergencyLoading = undefined;
  }
}
