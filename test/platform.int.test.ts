import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from './support/backends.js';
import { startClinicSystem, type ClinicSystem } from './support/clinic-system.js';

describe.each(testBackends())('platform on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('joins a patient with practitioner names from the employee subgraph and invoices from billing', async () => {
    const res = await system.query<{ patient: { lastName: string; appointments: { practitioner: { lastName: string } }[]; invoices: { id: string }[]; balance: number } }>(
      `{ patient(id: "p-caron") { lastName appointments { practitioner { lastName } } invoices { id } balance } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.patient.lastName).toBe('Caron');
    expect(res.data?.patient.appointments.map((a) => a.practitioner.lastName)).toEqual(['Nguyen']);
    expect(res.data?.patient.invoices.map((i) => i.id).sort()).toEqual(['i-2', 'i-3']);
    expect(res.data?.patient.balance).toBe(45);
  });
});
