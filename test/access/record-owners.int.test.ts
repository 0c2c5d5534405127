import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubgraphName } from '@clinic/schema';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type Caller, type ClinicSystem } from '../support/clinic-system.js';
import { BILLING_AGENT, RECEPTIONIST, patientThemself } from '../support/callers.js';

/**
 * Appointments and invoices are ruled as parts of their patient's record. The patient they belong
 * to comes with the record from its own subgraph (under a gateway-only key), so deciding on them
 * costs no look-up of owners: only the reader's duties and restrictions are asked.
 */
describe.each(testBackends())("an appointment's or invoice's patient comes with the record, on %s", (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function policyRequestsOf<T>(query: string, caller: Caller) {
    const before = system.policyRequests();
    const res = await system.query<T>(query, undefined, caller);
    const after = system.policyRequests();
    const delta = Object.fromEntries(Object.keys(after).map((s) => [s, after[s as SubgraphName] - before[s as SubgraphName]]));
    return { res, delta };
  }

  it("decides on today's appointments with no policy look-up at the patient subgraph: duties, restrictions and owners come with the records", async () => {
    const { res, delta } = await policyRequestsOf<{ appointments: { id: string; status: string; patient: { id: string; lastName: string } }[] }>(
      '{ appointments { id status patient { id lastName } } }',
      RECEPTIONIST,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.appointments.length).toBeGreaterThan(0);
    expect(res.data?.appointments.every((a) => a.patient.id.startsWith('p-') && a.patient.lastName.length > 0)).toBe(true);
    // The facts travel with the appointments (their owner) and patients; only the caller's employment is asked, at the employee subgraph.
    expect(delta).toEqual({ patient: 0, employee: 1, billing: 0 });
  });

  it('decides on an invoice without asking the billing subgraph whose it is', async () => {
    const { res, delta } = await policyRequestsOf<{ invoice: { id: string; amount: number; patient: { id: string } } }>(
      '{ invoice(id: "i-2") { id amount patient { id } } }',
      BILLING_AGENT,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.invoice).toEqual({ id: 'i-2', amount: 45, patient: { id: 'p-caron' } });
    // The invoice's patient comes from billing without facts: one batched patient-access look-up.
    expect(delta).toEqual({ patient: 1, employee: 1, billing: 0 });
  });

  it('decides on the owner it came with: a patient reads their own invoice and is refused another patient\'s', async () => {
    const own = await system.query<{ invoice: { id: string; amount: number } | null }>('{ invoice(id: "i-2") { id amount } }', undefined, patientThemself('p-caron'));
    expect(own.errors).toBeUndefined();
    expect(own.data?.invoice).toEqual({ id: 'i-2', amount: 45 });
    const other = await system.query<{ invoice: { id: string; amount: number } | null }>('{ invoice(id: "i-2") { id amount } }', undefined, patientThemself('p-lefebvre'));
    // Another patient's invoice answers like one that does not exist (issue: no existence oracle).
    expect(other.data?.invoice).toBeNull();
    expect(other.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['NOT_FOUND', ['invoice']]]);
  });
});
