import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { expectDecision } from '../support/access-cases.js';

describe.each(testBackends())('duties, writes and nested paths on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it("gives a physician duty for today's appointment, and only for today's", async () => {
    // a-1: dr.nguyen sees p-caron today; a-3: p-bergeron in a week (but nguyen is her physician of record).
    expectDecision(await system.query('{ patient(id: "p-caron") { allergies } }', undefined, { as: 'dr.nguyen' }), ['patient', 'allergies'], 'allow');
    // a-4: the consultant's appointment with p-ouellet is in 14 days: no appointment duty, the referral decides.
    expectDecision(await system.query('{ patient(id: "p-ouellet") { phone } }', undefined, { as: 'consult.pelletier' }), ['patient', 'phone'], 'ROLE');
    // a-2: dr.tremblay sees p-lefebvre tomorrow; his duty there is his care assignment, so take nurse.bouchard, who has none.
    expectDecision(await system.query('{ patient(id: "p-lefebvre") { allergies } }', undefined, { as: 'nurse.bouchard' }), ['patient', 'allergies'], 'NO_DUTY');
  });

  it('applies the same rule to a field whichever path reaches it', async () => {
    // Through the day's schedule: nurse.gagnon has duty toward p-caron (assignment).
    const schedule = await system.query<{ appointments: { patient: { phone: string; healthInsuranceNumber: string | null } }[] }>(
      '{ appointments { id patient { phone healthInsuranceNumber } } }', undefined, { as: 'nurse.gagnon' });
    expect(schedule.data?.appointments[0]?.patient.phone).toBe('514-555-2002');
    expectDecision(schedule, ['appointments', 0, 'patient', 'healthInsuranceNumber'], 'ROLE');

    // Through an invoice: the billing agent reads the patient's insurance number but not their phone.
    const invoice = await system.query('{ invoice(id: "i-2") { amount patient { healthInsuranceNumber phone } } }', undefined, { as: 'billing.cote' });
    expect(invoice.data).toMatchObject({ invoice: { amount: 45, patient: { healthInsuranceNumber: 'CARJ62072118', phone: null } } });
    expectDecision(invoice, ['invoice', 'patient', 'phone'], 'ROLE');

    // Through a note's author: a patient reads an employee's directory entry, not their contact.
    const notes = await system.query('{ patient(id: "p-caron") { clinicalNotes { author { lastName workEmail } } } }', undefined, { as: 'patient.caron', mfa: true });
    expect(notes.data).toMatchObject({ patient: { clinicalNotes: [{ author: { lastName: 'Bouchard', workEmail: null } }] } });
    expectDecision(notes, ['patient', 'clinicalNotes', 0, 'author', 'workEmail'], 'ROLE');

    // A restriction holds on every path: r-2 hides p-caron's address from receptionists in the schedule too.
    const front = await system.query('{ appointments { patient { lastName address } } }', undefined, { as: 'reception.roy' });
    expect(front.data).toMatchObject({ appointments: [{ patient: { lastName: 'Caron', address: null } }] });
    expectDecision(front, ['appointments', 0, 'patient', 'address'], 'RESTRICTED');

    // An invoice read through an other patient's path is still that invoice's patient's: a patient cannot read another's invoice.
    const foreign = await system.query('{ invoice(id: "i-1") { amount } }', undefined, { as: 'patient.caron' });
    expect(foreign.data).toEqual({ invoice: null });
    expect(foreign.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    const own = await system.query('{ invoice(id: "i-2") { amount diagnosisCode } }', undefined, { as: 'patient.caron' });
    expect(own.data).toEqual({ invoice: { amount: 45, diagnosisCode: 'E11.9' } });
  });

  it("keeps only the schedule rows a reader may see, and says how many were withheld", async () => {
    // nurse.gagnon has no duty toward p-bergeron: book her an appointment and check the nurse does not see it.
    const later = new Date(Date.now() + 60_000);
    const booked = await system.query<{ bookAppointment: { id: string } }>(
      'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
      { input: { patientId: 'p-bergeron', practitionerId: 'e-nguyen', startsAt: later.toISOString(), reason: 'Inhaler refill' } },
      { as: 'reception.roy' },
    );
    expect(booked.errors).toBeUndefined();
    const day = await system.query<{ appointments: { id: string }[] }>(`{ appointments(day: "${clinicDay(later)}") { id patient { lastName } } }`, undefined, { as: 'nurse.gagnon' });
    expect(day.data?.appointments.map((a) => a.id)).not.toContain(booked.data?.bookAppointment.id);
    const withheld = day.errors?.find((e) => JSON.stringify(e.path) === '["appointments"]');
    expect(withheld?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NO_DUTY' });
    expect(withheld?.message).toMatch(/^\d+ row\(s\) withheld/);
    const reception = await system.query<{ appointments: { id: string }[] }>(`{ appointments(day: "${clinicDay(later)}") { id } }`, undefined, { as: 'reception.roy' });
    expect(reception.data?.appointments.map((a) => a.id)).toContain(booked.data?.bookAppointment.id);
    expect(reception.errors).toBeUndefined();
  });

  it('lets physicians and nurses with duty write notes (with MFA) and vitals, and no one else', async () => {
    const note = 'mutation($p: ID!) { addClinicalNote(patientId: $p, text: "Reviewed glucose log.") { id text author { id } } }';
    const ok = await system.query<{ addClinicalNote: { id: string; author: { id: string } } }>(note, { p: 'p-caron' }, { as: 'nurse.bouchard', mfa: true });
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.addClinicalNote.author.id).toBe('e-bouchard');
    expectDecision(await system.query(note, { p: 'p-caron' }, { as: 'nurse.bouchard' }), ['addClinicalNote'], 'MFA_REQUIRED');
    expectDecision(await system.query(note, { p: 'p-bergeron' }, { as: 'nurse.bouchard', mfa: true }), ['addClinicalNote'], 'NO_DUTY');
    expectDecision(await system.query(note, { p: 'p-lefebvre' }, { as: 'nurse.gagnon', mfa: true }), ['addClinicalNote'], 'RESTRICTED');
    expectDecision(await system.query(note, { p: 'p-caron' }, { as: 'reception.roy', mfa: true }), ['addClinicalNote'], 'ROLE');

    const vital = 'mutation($p: ID!) { recordVital(patientId: $p, kind: "BLOOD_PRESSURE", value: "121/79") { kind value recordedAt } }';
    const recorded = await system.query(vital, { p: 'p-lefebvre' }, { as: 'nurse.gagnon' });
    expect(recorded.data).toMatchObject({ recordVital: { kind: 'BLOOD_PRESSURE', value: '121/79' } });
    expectDecision(await system.query(vital, { p: 'p-ouellet' }, { as: 'nurse.gagnon' }), ['recordVital'], 'NO_DUTY');
    expectDecision(await system.query(vital, { p: 'p-caron' }, { as: 'billing.cote' }), ['recordVital'], 'ROLE');

    const chart = await system.query<{ patient: { vitals: { value: string }[]; clinicalNotes: { id: string }[] } }>(
      '{ patient(id: "p-caron") { clinicalNotes { id } } }', undefined, { as: 'patient.caron', mfa: true });
    expect(chart.data?.patient.clinicalNotes.map((n) => n.id)).toContain(ok.data?.addClinicalNote.id);
    const bad = await system.query('mutation { recordVital(patientId: "p-caron", kind: "bp", value: "1") { kind } }', undefined, { as: 'nurse.bouchard' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lets only the reception desk book and cancel appointments', async () => {
    const book = 'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }';
    const input = { patientId: 'p-dion', practitionerId: 'e-tremblay', startsAt: '2031-03-04T10:00:00-05:00' };
    for (const who of ['dr.tremblay', 'nurse.gagnon', 'patient.dion', 'billing.cote']) {
      expectDecision(await system.query(book, { input }, { as: who }), ['bookAppointment'], 'ROLE');
    }
    const booked = await system.query<{ bookAppointment: { id: string } }>(book, { input }, { as: 'reception.roy' });
    expect(booked.errors).toBeUndefined();
    const cancel = 'mutation($id: ID!) { cancelAppointment(id: $id) { status } }';
    expectDecision(await system.query(cancel, { id: booked.data?.bookAppointment.id }, { as: 'dr.tremblay' }), ['cancelAppointment'], 'ROLE');
    expect((await system.query(cancel, { id: booked.data?.bookAppointment.id }, { as: 'reception.roy' })).data).toEqual({ cancelAppointment: { status: 'CANCELLED' } });
  });
});

function clinicDay(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto', year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
