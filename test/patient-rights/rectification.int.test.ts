import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDecision } from '../support/access-cases.js';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { expectOneError, personalValuesIn } from '../support/graphql-errors.js';

const REQUEST = `mutation Request($field: String!, $value: String!, $reason: String!) {
  requestRectification(field: $field, proposedValue: $value, reason: $reason) { id patientId field proposedValue reason status requestedAt decidedAt decisionReason }
}`;
const DECIDE = `mutation Decide($id: ID!, $accept: Boolean!, $reason: String!) {
  decideRectification(id: $id, accept: $accept, reason: $reason) { id patientId field status decidedAt decisionReason }
}`;
const MY_REQUESTS = '{ patient(id: "p-caron") { lastName phone rectificationRequests { id field proposedValue status decisionReason } } }';

interface Request {
  id: string;
  patientId: string;
  field: string;
  proposedValue: string;
  status: string;
  decidedAt: string | null;
  decisionReason: string | null;
}

describe.each(testBackends())('rectification of a patient record on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const caron = { as: 'patient.caron' };
  const officer = { as: 'privacy.fortin' };
  const request = async (field: string, value: string, caller = caron) => {
    const res = await system.query<{ requestRectification: Request }>(REQUEST, { field, value, reason: 'My name changed when I married in 2024.' }, caller);
    return { res, request: res.data?.requestRectification };
  };

  it('lets a patient ask for a correction of their own record and see its status', async () => {
    const { res, request: filed } = await request('Patient.lastName', '  Caron-Roy ');
    expect(res.errors).toBeUndefined();
    expect(filed).toMatchObject({ patientId: 'p-caron', field: 'Patient.lastName', proposedValue: 'Caron-Roy', status: 'PENDING', decidedAt: null });
    const mine = await system.query<{ patient: { lastName: string; rectificationRequests: Request[] } }>(MY_REQUESTS, undefined, caron);
    expect(mine.data?.patient).toMatchObject({ lastName: 'Caron', rectificationRequests: [{ id: filed?.id, status: 'PENDING' }] });
  });

  it('lets the privacy officer accept it: the record changes, search follows, and deciding twice is refused', async () => {
    const pending = await system.query<{ rectificationRequests: Request[] }>('{ rectificationRequests(status: "PENDING") { id patientId field proposedValue } }', undefined, officer);
    expect(pending.errors).toBeUndefined();
    const filed = pending.data?.rectificationRequests.find((r) => r.patientId === 'p-caron' && r.field === 'Patient.lastName');
    expect(filed).toMatchObject({ proposedValue: 'Caron-Roy' });

    const decided = await system.query<{ decideRectification: Request }>(DECIDE, { id: filed?.id, accept: true, reason: 'Marriage certificate seen at the front desk.' }, officer);
    expect(decided.errors).toBeUndefined();
    expect(decided.data?.decideRectification).toMatchObject({ status: 'ACCEPTED', decisionReason: 'Marriage certificate seen at the front desk.' });
    expect(decided.data?.decideRectification.decidedAt).not.toBeNull();

    const mine = await system.query<{ patient: { lastName: string; rectificationRequests: Request[] } }>(MY_REQUESTS, undefined, caron);
    expect(mine.data?.patient).toMatchObject({ lastName: 'Caron-Roy', rectificationRequests: [{ status: 'ACCEPTED', decisionReason: 'Marriage certificate seen at the front desk.' }] });
    // The search name is kept by the unit of work: the new name is found, accents and case aside.
    const found = await system.query<{ patients: { nodes: { id: string }[] } }>('{ patients(search: "caron-ROY") { nodes { id } } }', undefined, { as: 'reception.roy' });
    expect(found.data?.patients.nodes).toEqual([{ id: 'p-caron' }]);

    for (const accept of [true, false]) {
      const again = await system.query(DECIDE, { id: filed?.id, accept, reason: 'Second look.' }, officer);
      expectOneError(again, 'BAD_USER_INPUT', /already decided/);
    }
  });

  it('lets the privacy officer refuse one with a reason, leaving the record as it was', async () => {
    const { request: filed } = await request('phone', '438-555-0199');
    const refused = await system.query<{ decideRectification: Request }>(DECIDE, { id: filed?.id, accept: false, reason: 'The number on file was confirmed by phone.' }, officer);
    expect(refused.data?.decideRectification).toMatchObject({ status: 'REFUSED', field: 'Patient.phone' });
    const mine = await system.query<{ patient: { phone: string; rectificationRequests: Request[] } }>(MY_REQUESTS, undefined, caron);
    expect(mine.data?.patient.phone).toBe('514-555-2002');
    expect(mine.data?.patient.rectificationRequests.find((r) => r.id === filed?.id)).toMatchObject({ status: 'REFUSED', decisionReason: 'The number on file was confirmed by phone.' });
  });

  it('refuses a rectification of an unknown or non-demographic field', async () => {
    for (const field of ['Patient.nickname', 'Patient.diagnoses', 'Patient.clinicalNotes', 'Employee.salary', 'balance']) {
      const { res } = await request(field, 'anything');
      const error = expectOneError(res, 'BAD_USER_INPUT', /field must be one of Patient\.firstName/);
      expect(error.extensions?.field).toBe('field');
    }
  });

  it('refuses malformed proposed values without quoting them, and a second pending request for the same field', async () => {
    const cases: [string, string, RegExp][] = [
      ['Patient.dateOfBirth', '1962-02-30', /calendar date/],
      ['Patient.dateOfBirth', '2999-01-01', /future/],
      ['Patient.email', 'jean.caron-at-example.org', /e-mail/],
      ['Patient.healthInsuranceNumber', 'CARJ62', /4 letters followed by 8 digits/],
      ['Patient.firstName', 'x'.repeat(101), /1 to 100 characters/],
    ];
    for (const [field, value, message] of cases) {
      const { res } = await request(field, value);
      const error = expectOneError(res, 'BAD_USER_INPUT', message);
      expect(error.message).not.toContain(value);
      expect(personalValuesIn(error.message)).toEqual([]);
    }
    expect((await request('Patient.address', '1201 av. McGill College, Montréal QC H3B 4G7')).res.errors).toBeUndefined();
    expectOneError((await request('Patient.address', '1202 av. McGill College, Montréal QC H3B 4G7')).res, 'BAD_USER_INPUT', /already waiting/);
  });

  it('is filed by patients only, for themselves only, and decided by the privacy officer only', async () => {
    for (const who of ['reception.roy', 'dr.tremblay', 'privacy.fortin']) {
      expectDecision((await request('Patient.phone', '514-555-0000', { as: who })).res, ['requestRectification'], 'ROLE');
    }
    // No argument names the patient: a header claiming another identity changes nothing.
    const spoofed = await system.query<{ requestRectification: Request }>(
      REQUEST,
      { field: 'Patient.phone', value: '514-555-0101', reason: 'New number.' },
      { as: 'patient.lefebvre', headers: { 'x-viewer-id': 'p-caron', 'x-user': 'p-caron' } },
    );
    expect(spoofed.data?.requestRectification.patientId).toBe('p-lefebvre');

    const filed = spoofed.data?.requestRectification.id;
    for (const who of ['patient.lefebvre', 'dr.tremblay', 'hr.lavoie', 'reception.roy']) {
      expectDecision(await system.query(DECIDE, { id: filed, accept: true, reason: 'Looks right.' }, { as: who, mfa: true }), ['decideRectification'], 'ROLE');
    }
    expectDecision(await system.query('{ rectificationRequests { id } }', undefined, caron), ['rectificationRequests'], 'ROLE');
    // A patient never reads another patient's requests; the privacy officer reads everyone's.
    expectDecision(await system.query('{ patient(id: "p-lefebvre") { rectificationRequests { id } } }', undefined, caron), ['patient'], 'ROLE');
    const officerView = await system.query<{ patient: { rectificationRequests: Request[] } }>('{ patient(id: "p-lefebvre") { rectificationRequests { id proposedValue } } }', undefined, officer);
    expect(officerView.data?.patient.rectificationRequests).toEqual([{ id: filed, proposedValue: '514-555-0101' }]);
    const unknown = await system.query(DECIDE, { id: 'rr-does-not-exist', accept: true, reason: 'Looks right.' }, officer);
    expectOneError(unknown, 'BAD_USER_INPUT', /No rectification request/);
  });

  it('records both steps in the audit log under the patient', async () => {
    const log = await system.query<{ auditLog: { actorId: string; role: string; fields: string[]; decision: string }[] }>(
      '{ auditLog(patientId: "p-caron", first: 100) { actorId role fields decision } }',
      undefined,
      officer,
    );
    const events = log.data?.auditLog ?? [];
    expect(events).toContainEqual(expect.objectContaining({ actorId: 'p-caron', role: 'PATIENT', decision: 'ALLOW', fields: expect.arrayContaining(['Mutation.requestRectification']) }));
    expect(events).toContainEqual(expect.objectContaining({ actorId: 'e-fortin', role: 'PRIVACY_OFFICER', decision: 'ALLOW', fields: expect.arrayContaining(['Mutation.decideRectification']) }));
    // The patient sees the privacy officer's decision in their access log.
    const accessLog = await system.query<{ patient: { accessLog: { staffName: string; categories: string[] }[] } }>('{ patient(id: "p-caron") { accessLog { staffName categories } } }', undefined, caron);
    expect(accessLog.data?.patient.accessLog).toContainEqual(expect.objectContaining({ staffName: 'Sophie Fortin', categories: expect.arrayContaining(['PRIVACY']) }));
  });
});
