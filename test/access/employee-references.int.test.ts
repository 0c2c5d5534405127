import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { expectDecision } from '../support/access-cases.js';

const BOOK = 'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id practitioner { lastName } } }';
const RESTRICT = 'mutation($input: AccessRestrictionInput!) { createAccessRestriction(input: $input) { id } }';

describe.each(testBackends())('input naming an employee on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const booking = (practitionerId: string, startsAt: string) => ({ input: { patientId: 'p-dion', practitionerId, startsAt } });

  it('books only with a physician, nurse or consultant who works at the clinic', async () => {
    for (const [practitionerId, slot] of [['e-nobody', '10'], ['e-leblanc', '11'], ['e-roy', '12']] as const) {
      const res = await system.query(BOOK, booking(practitionerId, `2031-05-06T${slot}:00:00-04:00`), { as: 'reception.roy' });
      expect(res.errors?.[0], JSON.stringify(res)).toMatchObject({
        message: 'practitionerId must name a physician, nurse or consultant currently working at the clinic',
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    const day = await system.query<{ patient: { appointments: { id: string }[] } }>('{ patient(id: "p-dion") { appointments { id } } }', undefined, { as: 'reception.roy' });
    expect(day.data?.patient.appointments).toEqual([]);
    const ok = await system.query(BOOK, booking('e-pelletier', '2031-05-06T13:00:00-04:00'), { as: 'reception.roy' });
    expect(ok.data).toMatchObject({ bookAppointment: { practitioner: { lastName: 'Pelletier' } } });
  });

  it('checks permissions before input, so a refused caller learns nothing about employee ids', async () => {
    expectDecision(await system.query(BOOK, booking('e-nobody', '2031-05-07T10:00:00-04:00'), { as: 'nurse.gagnon' }), ['bookAppointment'], 'ROLE');
  });

  it('refuses a restriction naming an employee who does not exist', async () => {
    const res = await system.query(RESTRICT, { input: { patientId: 'p-dion', employeeId: 'e-ghost', fields: ['Patient.phone'], reason: 'Asked.' } }, { as: 'privacy.fortin' });
    expect(res.errors?.[0]).toMatchObject({ message: 'No employee with id "e-ghost"', extensions: { code: 'BAD_USER_INPUT' } });
    const kept = await system.query<{ patient: { accessRestrictions: unknown[] } }>('{ patient(id: "p-dion") { accessRestrictions { id } } }', undefined, { as: 'privacy.fortin' });
    expect(kept.data?.patient.accessRestrictions).toEqual([]);
  });
});
