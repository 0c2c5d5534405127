import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDecision } from '../support/access-cases.js';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { expectOneError } from '../support/graphql-errors.js';

const SET = `mutation Consent($reminders: Boolean, $newsletter: Boolean) {
  setCommunicationConsent(appointmentReminders: $reminders, newsletter: $newsletter) { appointmentReminders newsletter }
}`;

describe.each(testBackends())('communication consent on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** The mailing list as stored by the patient subgraph (addresses of one patient). */
  const mailingListOf = async (patientId: string) =>
    (await system.subgraphs.patient.db.fork().getConnection().execute<{ email: string }[]>('select email from mailing_list_subscription where patient_id = ?', [patientId])).map((r) => r.email);
  const consentOf = async (username: string) =>
    (await system.query<{ me: { patient: { communicationConsent: { appointmentReminders: boolean; newsletter: boolean } } } }>('{ me { patient { communicationConsent { appointmentReminders newsletter } } } }', undefined, { as: username })).data?.me.patient
      .communicationConsent;

  it('lets a patient turn the newsletter off, which takes their address off the mailing list', async () => {
    expect(await consentOf('patient.caron')).toEqual({ appointmentReminders: true, newsletter: true });
    expect(await mailingListOf('p-caron')).toEqual(['jean.caron@example.org']);
    const res = await system.query(SET, { newsletter: false }, { as: 'patient.caron' });
    expect(res).toMatchObject({ data: { setCommunicationConsent: { appointmentReminders: true, newsletter: false } } });
    expect(await consentOf('patient.caron')).toEqual({ appointmentReminders: true, newsletter: false });
    expect(await mailingListOf('p-caron')).toEqual([]);
  });

  it('lets a patient turn the newsletter on, which subscribes their address, and reminders off, leaving what is not given', async () => {
    expect(await mailingListOf('p-lefebvre')).toEqual([]);
    const on = await system.query(SET, { newsletter: true }, { as: 'patient.lefebvre' });
    expect(on.data).toEqual({ setCommunicationConsent: { appointmentReminders: true, newsletter: true } });
    expect(await mailingListOf('p-lefebvre')).toEqual(['marie.lefebvre@example.org']);
    // Turning it on twice does not subscribe twice.
    await system.query(SET, { newsletter: true }, { as: 'patient.lefebvre' });
    expect(await mailingListOf('p-lefebvre')).toHaveLength(1);
    const off = await system.query(SET, { reminders: false }, { as: 'patient.lefebvre' });
    expect(off.data).toEqual({ setCommunicationConsent: { appointmentReminders: false, newsletter: true } });
  });

  it('asks for at least one choice', async () => {
    expectOneError(await system.query(SET, {}, { as: 'patient.ouellet' }), 'BAD_USER_INPUT', /appointmentReminders, newsletter or both/);
    expectOneError(await system.query(SET, { reminders: null, newsletter: null }, { as: 'patient.ouellet' }), 'BAD_USER_INPUT', /appointmentReminders, newsletter or both/);
  });

  it('is set by the patient for themself only: staff, the privacy officer included, cannot', async () => {
    for (const who of ['reception.roy', 'privacy.fortin', 'dr.tremblay', 'hr.lavoie']) {
      expectDecision(await system.query(SET, { newsletter: true }, { as: who }), ['setCommunicationConsent'], 'ROLE');
    }
    // The privacy officer reads it (PRIVACY), and sees the patient's own choice.
    const seen = await system.query('{ patient(id: "p-caron") { communicationConsent { newsletter } } }', undefined, { as: 'privacy.fortin' });
    expect(seen.data).toEqual({ patient: { communicationConsent: { newsletter: false } } });
    // A header naming another patient does not change whose consent is set.
    await system.query(SET, { reminders: false }, { as: 'patient.bergeron', headers: { 'x-viewer-id': 'p-dion' } });
    expect(await consentOf('patient.bergeron')).toEqual({ appointmentReminders: false, newsletter: false });
    expect(await consentOf('patient.dion')).toEqual({ appointmentReminders: false, newsletter: false });
    const dion = await system.query(SET, { reminders: true }, { as: 'patient.dion' });
    expect(dion.data).toEqual({ setCommunicationConsent: { appointmentReminders: true, newsletter: false } });
  });

  it('is recorded in the audit log under the patient', async () => {
    const log = await system.query<{ auditLog: { fields: string[]; decision: string }[] }>('{ auditLog(patientId: "p-caron", actorId: "p-caron", first: 20) { fields decision } }', undefined, {
      as: 'privacy.fortin',
    });
    expect(log.data?.auditLog).toContainEqual({ fields: ['Mutation.setCommunicationConsent'], decision: 'ALLOW' });
  });
});
