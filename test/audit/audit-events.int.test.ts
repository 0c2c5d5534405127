import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { expectDecision } from '../support/access-cases.js';
import { storedEvents } from '../support/audit-helpers.js';

interface Event {
  id: string;
  at: string;
  actorId: string;
  role: string;
  patientId: string;
  fields: string[];
  decision: string;
  reason: string | null;
  emergencyAccessId: string | null;
  operationName: string | null;
  clientName: string | null;
  requestId: string | null;
}

const AUDIT = `query Audit($patientId: ID, $actorId: ID, $first: Int) {
  auditLog(patientId: $patientId, actorId: $actorId, first: $first) {
    id at actorId role patientId fields decision reason emergencyAccessId operationName clientName requestId
  }
}`;

describe.each(testBackends())('audit events on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const auditOf = async (variables: Record<string, unknown>) => {
    const res = await system.query<{ auditLog: Event[] }>(AUDIT, variables, { as: 'privacy.fortin' });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data?.auditLog ?? [];
  };

  it('records allowed and refused fields of one read, grouped per patient and decision, with who, what and which request', async () => {
    const res = await system.query(
      'query FrontDesk { patient(id: "p-caron") { lastName phone address email } }',
      undefined,
      { as: 'reception.roy', headers: { 'apollographql-client-name': 'reception-desk' } },
    );
    expectDecision(res, ['patient', 'address'], 'RESTRICTED');
    const events = await auditOf({ patientId: 'p-caron', actorId: 'e-roy', first: 10 });
    expect(events).toHaveLength(2);
    const allow = events.find((e) => e.decision === 'ALLOW');
    const deny = events.find((e) => e.decision === 'DENY');
    expect(allow).toMatchObject({
      actorId: 'e-roy',
      role: 'RECEPTIONIST',
      patientId: 'p-caron',
      fields: ['Patient.lastName', 'Patient.phone', 'Query.patient'],
      reason: null,
      emergencyAccessId: null,
      operationName: 'FrontDesk',
      clientName: 'reception-desk',
    });
    expect(deny).toMatchObject({ fields: ['Patient.address', 'Patient.email'], reason: 'RESTRICTED', operationName: 'FrontDesk' });
    expect(allow?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(deny?.requestId).toBe(allow?.requestId);
    expect(Date.now() - new Date(allow?.at ?? 0).getTime()).toBeLessThan(60_000);
  });

  it('records a refusal of the whole query as a denial on that patient', async () => {
    await system.query('{ patient(id: "p-ouellet") { lastName } }', undefined, { as: 'hr.lavoie' });
    const events = await auditOf({ patientId: 'p-ouellet', actorId: 'e-lavoie' });
    expect(events).toMatchObject([{ decision: 'DENY', reason: 'ROLE', fields: ['Query.patient'], role: 'HR' }]);
  });

  it('records the rows withheld from a schedule as denials on their patients', async () => {
    // nurse.gagnon has no duty toward p-bergeron: an appointment of hers in the schedule is withheld.
    const startsAt = new Date(Date.now() + 120_000).toISOString();
    const booked = await system.query<{ bookAppointment: { id: string } }>(
      'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
      { input: { patientId: 'p-bergeron', practitionerId: 'e-nguyen', startsAt } },
      { as: 'reception.roy' },
    );
    expect(booked.errors).toBeUndefined();
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' }).format(new Date(startsAt));
    const res = await system.query<{ appointments: { id: string }[] }>(`{ appointments(day: "${day}") { id } }`, undefined, { as: 'nurse.gagnon' });
    expect(res.data?.appointments.map((a) => a.id)).not.toContain(booked.data?.bookAppointment.id);
    const events = await auditOf({ patientId: 'p-bergeron', actorId: 'e-gagnon' });
    expect(events).toMatchObject([{ decision: 'DENY', reason: 'NO_DUTY', fields: ['Appointment.id'] }]);
  });

  it('records a refused field beside the allowed entry point of the same request', async () => {
    const consultant = await system.query('{ patient(id: "p-caron") { allergies } }', undefined, { as: 'consult.pelletier' });
    expectDecision(consultant, ['patient', 'allergies'], 'NO_DUTY');
    const events = await auditOf({ patientId: 'p-caron', actorId: 'e-pelletier' });
    expect(events.map((e) => [e.decision, e.reason, e.fields])).toEqual(
      expect.arrayContaining([['ALLOW', null, ['Query.patient']], ['DENY', 'NO_DUTY', ['Patient.allergies']]]),
    );
    expect(events).toHaveLength(2);
  });

  it('records writes to a patient record', async () => {
    const note = await system.query('mutation Chart { addClinicalNote(patientId: "p-caron", text: "Foot wound dressed.") { id } }', undefined, { as: 'nurse.bouchard', mfa: true });
    expect(note.errors).toBeUndefined();
    const events = await auditOf({ patientId: 'p-caron', actorId: 'e-bouchard' });
    expect(events[0]).toMatchObject({ decision: 'ALLOW', fields: ['Mutation.addClinicalNote'], operationName: 'Chart' });
  });

  it('serves and records a read whose operation name or client name is very long (the stored names are cut, never the answer)', async () => {
    const operationName = `Chart${'X'.repeat(400)}`;
    const res = await system.query<{ patient: { lastName: string } }>(`query ${operationName} { patient(id: "p-lefebvre") { lastName } }`, undefined, {
      as: 'reception.roy',
      headers: { 'apollographql-client-name': `desk-${'y'.repeat(400)}` },
    });
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data?.patient.lastName).toBe('Lefebvre');
    const [event] = await auditOf({ patientId: 'p-lefebvre', actorId: 'e-roy', first: 1 });
    expect(event?.operationName).toBe(operationName.slice(0, 100));
    expect(event?.clientName).toBe(`desk-${'y'.repeat(95)}`);
  });

  it('writes nothing for a request that touches no patient', async () => {
    const before = system.gateway.auditStore.auditLog.writeTransactions;
    await system.query('{ me { id } employee(id: "e-roy") { lastName } }', undefined, { as: 'dr.tremblay' });
    expect(system.gateway.auditStore.auditLog.writeTransactions).toBe(before);
  });

  it("shows a patient who on the staff read their record, when, and which categories, but not their own reads", async () => {
    await system.query('{ patient(id: "p-dion") { lastName phone healthInsuranceNumber } }', undefined, { as: 'reception.roy' });
    await system.query('{ patient(id: "p-dion") { lastName allergies } }', undefined, { as: 'patient.dion' });
    const res = await system.query<{ patient: { accessLog: { at: string; staffName: string; role: string; categories: string[] }[] } }>(
      '{ patient(id: "p-dion") { accessLog { at staffName role categories } } }', undefined, { as: 'patient.dion' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.patient.accessLog).toEqual([
      { at: expect.any(String), staffName: 'Nathalie Roy', role: 'RECEPTIONIST', categories: ['CONTACT', 'IDENTITY', 'INSURANCE'] },
    ]);
  });

  it('keeps the audit log and the access log to the privacy officer and the patient', async () => {
    expectDecision(await system.query(AUDIT, {}, { as: 'dr.tremblay', mfa: true }), ['auditLog'], 'ROLE');
    expectDecision(await system.query('{ verifyAuditChain { ok } }', undefined, { as: 'hr.lavoie' }), ['verifyAuditChain'], 'ROLE');
    expectDecision(await system.query('{ patient(id: "p-caron") { accessLog { at } } }', undefined, { as: 'reception.roy' }), ['patient', 'accessLog'], 'ROLE');
    expectDecision(await system.query('{ patient(id: "p-caron") { accessLog { at } } }', undefined, { as: 'privacy.fortin' }), ['patient', 'accessLog'], 'allow');
    const bad = await system.query(AUDIT, { patientId: 'p caron' }, { as: 'privacy.fortin' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
  it('records a list read as one event per decision group, naming every patient of the group, each found by its own look-up', async () => {
    const res = await system.query<{ patients: { nodes: { id: string; address: string | null }[] } }>(
      'query DeskList { patients(first: 50) { nodes { id lastName address } } }',
      undefined,
      { as: 'reception.roy' },
    );
    const ids = (res.data?.patients.nodes ?? []).map((n) => n.id);
    expect(ids).toContain('p-caron');
    expect(ids.length).toBeGreaterThan(2);
    // p-caron restricts his address from receptionists: his ALLOW has other fields than everyone else's, and he has a DENY.
    const [request] = (await auditOf({ patientId: 'p-caron', actorId: 'e-roy', first: 1 })).map((e) => e.requestId);
    const store = system.gateway.auditStore;
    const events = (await storedEvents(store)).filter((e) => e.requestId === request);
    const others = ids.filter((id) => id !== 'p-caron').sort();
    expect(events.map((e) => [e.decision, e.reason, e.patientIds])).toEqual(
      expect.arrayContaining([
        ['ALLOW', null, others],
        ['ALLOW', null, ['p-caron']],
        ['DENY', 'RESTRICTED', ['p-caron']],
      ]),
    );
    expect(events).toHaveLength(3);
    const [othersRow] = await auditOf({ patientId: others[0], actorId: 'e-roy', first: 1 });
    expect(othersRow).toMatchObject({ patientId: others[0], decision: 'ALLOW', operationName: 'DeskList', requestId: request });
    expect(othersRow?.fields).toContain('Patient.address');
    const caronRows = await auditOf({ patientId: 'p-caron', actorId: 'e-roy', first: 2 });
    expect(caronRows.map((e) => [e.decision, e.fields.includes('Patient.address')]).sort()).toEqual([
      ['ALLOW', false],
      ['DENY', true],
    ]);
    // The patient's access log finds the list read through the same index.
    const log = await system.query<{ patient: { accessLog: { staffName: string; categories: string[] }[] } }>('{ patient(id: "p-dion") { accessLog { staffName categories } } }', undefined, {
      as: 'patient.dion',
    });
    expect(log.data?.patient.accessLog[0]).toEqual({ staffName: 'Nathalie Roy', categories: ['CONTACT', 'IDENTITY'] });
  });
});
