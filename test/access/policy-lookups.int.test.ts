import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessRestriction, Appointment, CareAssignment, Patient } from '../../services/patient/src/entities.js';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';

const LOAD = 50;
const loadId = (i: number) => `p-policy-${String(i).padStart(3, '0')}`;

/** Every kind of per-row decision: duty (CONTACT, CLINICAL), restrictions, appointments' and invoices' owners. */
const QUERY = `query Chart($first: Int!) {
  patients(search: "Policyload", first: $first) {
    nodes {
      id lastName phone allergies
      appointments { id startsAt patient { lastName phone } }
      careTeam { kind employee { lastName } }
    }
  }
}`;

describe.each(testBackends())('policy look-ups per request on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
    const em = system.subgraphs.patient.db.fork();
    const now = new Date();
    for (let i = 0; i < LOAD; i += 1) {
      em.create(Patient, { id: loadId(i), firstName: `Load${i}`, lastName: 'Policyload', appointmentReminders: false, newsletter: false });
    }
    await em.flush();
    for (let i = 0; i < LOAD; i += 1) {
      em.create(CareAssignment, { patientId: loadId(i), employeeId: 'e-tremblay', kind: 'PHYSICIAN_OF_RECORD', since: new Date(now.getTime() - 86_400_000), until: null });
      em.create(Appointment, { id: `a-policy-${i}`, patientId: loadId(i), practitionerId: 'e-tremblay', startsAt: new Date(now.getTime() + (i + 1) * 86_400_000), reason: null, status: 'BOOKED' });
      if (i % 2 === 0) {
        em.create(AccessRestriction, { id: `r-policy-${i}`, patientId: loadId(i), employeeId: 'e-tremblay', role: null, fields: ['Patient.phone'], reason: null, startsAt: new Date(now.getTime() - 1000), endsAt: null, lifted: false });
      }
    }
    await em.flush();
  });
  afterAll(async () => {
    await system?.stop();
  });

  const lookupsFor = async (first: number) => {
    const before = system.gateway.policyLookups();
    const res = await system.query<{ patients: { nodes: { phone: string | null; allergies: string[] }[] } }>(QUERY, { first }, { as: 'dr.tremblay' });
    return { lookups: system.gateway.policyLookups() - before, res };
  };

  it('makes the same number of policy look-ups for 5 and for 50 patients', async () => {
    const small = await lookupsFor(5);
    const large = await lookupsFor(LOAD);
    expect(small.res.data?.patients.nodes).toHaveLength(5);
    expect(large.res.data?.patients.nodes).toHaveLength(LOAD);
    // The decisions really were taken row by row: every other patient restricts dr.tremblay from their phone.
    const refused = large.res.errors?.filter((e) => e.extensions?.reason === 'RESTRICTED' && e.path?.at(-1) === 'phone') ?? [];
    expect(refused.length).toBe(LOAD / 2 * 2); // the patient's own phone and the same phone through their appointment
    expect(large.res.data?.patients.nodes.every((n) => Array.isArray(n.allergies))).toBe(true);
    expect(small.lookups).toBeGreaterThan(0);
    expect(large.lookups).toBe(small.lookups);
  });
});
