import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';

describe.each(testBackends())('writes are logged before they run, on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const through = async (url: string, username: string, query: string, variables: Record<string, unknown>, mfa = false) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await system.token(username, { mfa })}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] } };
  };
  const count = async (field: 'appointments' | 'clinicalNotes') => {
    const res = await system.query<{ patient: Record<string, unknown[]> }>(`{ patient(id: "p-dion") { ${field} { id } } }`, undefined, { as: 'patient.dion', mfa: true });
    return res.data?.patient[field]?.length ?? -1;
  };

  it('refuses a write whose audit event cannot be written, and makes no change', async () => {
    const replica = await system.startReplica();
    await replica.auditStore.close();
    const appointmentsBefore = await count('appointments');
    const booking = await through(replica.url, 'reception.roy', 'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }', {
      input: { patientId: 'p-dion', practitionerId: 'e-nguyen', startsAt: '2031-09-09T10:00:00-04:00' },
    });
    expect(booking.body.data?.bookAppointment ?? null).toBeNull();
    expect(booking.body.errors?.map((e) => e.extensions?.code)).toContain('AUDIT_UNAVAILABLE');
    expect(await count('appointments')).toBe(appointmentsBefore);

    // The same write through the healthy gateway is logged first, then made.
    const ok = await through(system.gateway.url, 'reception.roy', 'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }', {
      input: { patientId: 'p-dion', practitionerId: 'e-nguyen', startsAt: '2031-09-09T10:00:00-04:00' },
    });
    expect(ok.body.errors).toBeUndefined();
    expect(await count('appointments')).toBe(appointmentsBefore + 1);
    const events = await system.query<{ auditLog: { fields: string[]; decision: string }[] }>(
      '{ auditLog(patientId: "p-dion", actorId: "e-roy", first: 5) { fields decision } }', undefined, { as: 'privacy.fortin' });
    expect(events.data?.auditLog.map((e) => e.fields)).toContainEqual(['Mutation.bookAppointment']);
  });
});
