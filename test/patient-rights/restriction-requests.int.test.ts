import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDecision } from '../support/access-cases.js';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { queryOk } from '../support/query-ok.js';

// Issue 14: a patient asks for a restriction from the portal (or on paper); the privacy officer
// decides; an accepted request makes the restriction, which says who asked and when, and applies
// only inside its from/to window. Every other kind of request does what its acceptance means, or
// says that it only records the decision. The gateway's clock is injected.

const REQUEST = 'id patientId kind channel filedBy receivedAt status decisionReason appealNotice outcome details restriction { employeeId role fields reason from to }';
const RESTRICTION = 'id employeeId role fields reason from to lifted requestedBy requestedById requestedAt requestId';
interface PatientRequest {
  id: string;
  patientId: string;
  kind: string;
  channel: string;
  filedBy: string;
  receivedAt: string;
  status: string;
  decisionReason: string | null;
  appealNotice: string | null;
  outcome: string | null;
  restriction: { employeeId: string | null; role: string | null; fields: string[]; reason: string; from: string | null; to: string | null } | null;
}
interface Restriction {
  id: string;
  role: string | null;
  employeeId: string | null;
  fields: string[];
  from: string | null;
  to: string | null;
  requestedBy: string | null;
  requestedById: string | null;
  requestedAt: string | null;
  requestId: string | null;
}
const DAY = 86_400_000;
const officer = { as: 'privacy.fortin', mfa: true };
const reception = { as: 'reception.roy' };

describe.each(testBackends())('restriction requests and what decisions do, on %s', (backend) => {
  let system: ClinicSystem;
  let now = new Date();
  beforeAll(async () => {
    system = await startClinicSystem({ backend, clock: () => now });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const ok = <T>(query: string, caller: { as: string; mfa?: boolean }, variables?: Record<string, unknown>) => queryOk<T>(system, query, caller, variables);
  const badInput = async (query: string, caller: { as: string; mfa?: boolean }, variables?: Record<string, unknown>) => {
    const res = await system.query(query, variables, caller);
    expect(res.errors?.map((e) => e.extensions?.code), JSON.stringify(res.errors)).toEqual(['BAD_USER_INPUT']);
    return res.errors?.[0]?.extensions?.field;
  };
  const ask = 'mutation Ask($input: RestrictionRequestInput!) { requestAccessRestriction(input: $input) { ' + REQUEST + ' } }';
  const decide = (patientId: string, id: string, accept: boolean, reason: string) =>
    ok<{ decidePatientRequest: PatientRequest }>(
      `mutation D($p: ID!, $id: ID!, $a: Boolean!, $r: String!) { decidePatientRequest(patientId: $p, id: $id, accept: $a, reason: $r) { ${REQUEST} } }`,
      officer,
      { p: patientId, id, a: accept, r: reason },
    ).then((d) => d.decidePatientRequest);
  const restrictionsOf = (patientId: string) =>
    ok<{ patient: { accessRestrictions: Restriction[] } }>(`{ patient(id: "${patientId}") { accessRestrictions { ${RESTRICTION} } } }`, officer).then((d) => d.patient.accessRestrictions);
  const receptionReads = (patientId: string, field: string) => system.query(`{ patient(id: "${patientId}") { ${field} } }`, undefined, reception);

  it('lets only the patient ask, for their own record, and refuses malformed restrictions as bad input', async () => {
    const input = { role: 'RECEPTIONIST', fields: ['Patient.phone'], reason: 'My neighbour works at the front desk' };
    for (const caller of [reception, officer, { as: 'dr.tremblay', mfa: true }]) {
      expectDecision(await system.query(ask, { input }, caller), ['requestAccessRestriction'], 'ROLE');
    }
    expect(await badInput(ask, { as: 'patient.ouellet' }, { input: { ...input, employeeId: 'e-roy' } })).toBe('employeeId');
    expect(await badInput(ask, { as: 'patient.ouellet' }, { input: { ...input, role: 'PATIENT' } })).toBe('role');
    expect(await badInput(ask, { as: 'patient.ouellet' }, { input: { ...input, fields: ['Patient.nope'] } })).toBe('fields');
    expect(await badInput(ask, { as: 'patient.ouellet' }, { input: { ...input, fields: [] } })).toBe('fields');
    expect(await badInput(ask, { as: 'patient.ouellet' }, { input: { ...input, reason: '   ' } })).toBe('reason');
    expect(await badInput(ask, { as: 'patient.ouellet' }, { input: { ...input, from: 'next tuesday' } })).toBe('from');
    expect(await badInput(ask, { as: 'patient.ouellet' }, { input: { ...input, from: '2031-02-30' } })).toBe('from');
    expect(await badInput(ask, { as: 'patient.ouellet' }, { input: { ...input, role: null, employeeId: 'e-nobody' } })).toBe('employeeId');
    expect(await badInput(ask, { as: 'patient.ouellet' }, { input: { ...input, from: '2031-03-10T10:00:00Z', to: '2031-03-01T10:00:00Z' } })).toBe('to');
    expect(await badInput(ask, { as: 'patient.ouellet' }, { input: { ...input, to: new Date(now.getTime() - DAY).toISOString() } })).toBe('to');
    // Nothing was filed by the refused attempts.
    expect((await ok<{ myRequests: PatientRequest[] }>('{ myRequests { id } }', { as: 'patient.ouellet' })).myRequests).toEqual([]);
  });

  it("files the patient's request on the legal clock; accepted, it makes a restriction that applies only inside its from/to window", async () => {
    const from = new Date(now.getTime() + DAY);
    const to = new Date(now.getTime() + 10 * DAY);
    const input = { role: 'RECEPTIONIST', fields: ['Patient.phone', 'Patient.phone'], reason: 'My neighbour works at the front desk', from: from.toISOString(), to: to.toISOString() };
    const filed = (await ok<{ requestAccessRestriction: PatientRequest }>(ask, { as: 'patient.ouellet' }, { input })).requestAccessRestriction;
    expect(filed).toMatchObject({
      patientId: 'p-ouellet', kind: 'RESTRICTION', channel: 'PORTAL', filedBy: 'p-ouellet', status: 'PENDING', outcome: null, receivedAt: now.toISOString(),
      restriction: { employeeId: null, role: 'RECEPTIONIST', fields: ['Patient.phone'], reason: input.reason, from: from.toISOString(), to: to.toISOString() },
    });
    // The same restriction twice is one request; the officer sees it in the register.
    expect(await badInput(ask, { as: 'patient.ouellet' }, { input })).toBe('kind');
    const register = await ok<{ patientRequests: PatientRequest[] }>(`{ patientRequests { ${REQUEST} } }`, officer);
    expect(register.patientRequests.find((r) => r.id === filed.id)?.restriction?.role).toBe('RECEPTIONIST');
    // Logged under the patient before it ran.
    const log = await ok<{ auditLog: { patientId: string; fields: string[] }[] }>('{ auditLog(actorId: "p-ouellet", first: 50) { patientId fields } }', officer);
    expect(log.auditLog.some((e) => e.patientId === 'p-ouellet' && e.fields.includes('Mutation.requestAccessRestriction'))).toBe(true);

    // Filing alone restricts nothing.
    expectDecision(await receptionReads('p-ouellet', 'phone'), ['patient', 'phone'], 'allow');
    const receivedAt = filed.receivedAt;
    now = new Date(now.getTime() + 60_000);
    const accepted = await decide('p-ouellet', filed.id, true, 'A reasonable request');
    expect(accepted).toMatchObject({ status: 'ACCEPTED', appealNotice: null });
    const [made] = await restrictionsOf('p-ouellet');
    expect(accepted.outcome).toContain(made?.id);
    expect(made).toMatchObject({
      role: 'RECEPTIONIST', fields: ['Patient.phone'], from: from.toISOString(), to: to.toISOString(), lifted: false,
      requestedBy: 'PATIENT', requestedById: 'p-ouellet', requestedAt: receivedAt, requestId: filed.id,
    });
    // Who asked and when is the patient's privacy information: refused to a reader of neither.
    expectDecision(await system.query('{ patient(id: "p-ouellet") { accessRestrictions { requestedBy requestedAt requestId } } }', undefined, reception), ['patient', 'accessRestrictions'], 'ROLE');
    expectDecision(await system.query('{ patientRequests { restriction { fields role } outcome details } }', undefined, { as: 'patient.ouellet' }), ['patientRequests'], 'ROLE');
    // The patient sees it on their record too.
    const own = await ok<{ patient: { accessRestrictions: Restriction[] } }>(`{ patient(id: "p-ouellet") { accessRestrictions { ${RESTRICTION} } } }`, { as: 'patient.ouellet' });
    expect(own.patient.accessRestrictions.map((r) => r.id)).toEqual([made?.id]);

    // Before `from`: it does not apply yet.
    expectDecision(await receptionReads('p-ouellet', 'phone'), ['patient', 'phone'], 'allow');
    now = new Date(from.getTime() + 3_600_000);
    expectDecision(await receptionReads('p-ouellet', 'phone'), ['patient', 'phone'], 'RESTRICTED');
    // Other fields and other roles are not named by it.
    expectDecision(await receptionReads('p-ouellet', 'address'), ['patient', 'address'], 'allow');
    // After `to`: it no longer applies.
    now = new Date(to.getTime() + 60_000);
    expectDecision(await receptionReads('p-ouellet', 'phone'), ['patient', 'phone'], 'allow');
  });

  it('files a restriction received on paper with its details; refused, it makes nothing and says the patient may appeal', async () => {
    const paper = `mutation P($p: ID!, $k: String!, $r: RestrictionRequestInput, $d: String) { fileRequestOnPaper(patientId: $p, kind: $k, restriction: $r, details: $d) { ${REQUEST} } }`;
    const restriction = { employeeId: 'e-roy', fields: ['Patient.address'], reason: 'Letter of 2 December: not the receptionist who is a relative' };
    expect(await badInput(paper, officer, { p: 'p-bergeron', k: 'RESTRICTION' })).toBe('restriction');
    expect(await badInput(paper, officer, { p: 'p-bergeron', k: 'ACCESS', r: restriction })).toBe('restriction');
    expect(await badInput(paper, officer, { p: 'p-bergeron', k: 'RESTRICTION', r: { ...restriction, employeeId: 'e roy!' } })).toBe('employeeId');
    expectDecision(await system.query(paper, { p: 'p-bergeron', k: 'RESTRICTION', r: restriction }, { as: 'patient.bergeron' }), ['fileRequestOnPaper'], 'ROLE');

    const filed = (await ok<{ fileRequestOnPaper: PatientRequest }>(paper, officer, { p: 'p-bergeron', k: 'RESTRICTION', r: restriction, d: 'Letter received 2 December' })).fileRequestOnPaper;
    expect(filed).toMatchObject({ kind: 'RESTRICTION', channel: 'PAPER', filedBy: 'e-fortin', status: 'PENDING', restriction: { employeeId: 'e-roy', role: null, fields: ['Patient.address'] } });
    const second = (await ok<{ fileRequestOnPaper: PatientRequest }>(paper, officer, { p: 'p-bergeron', k: 'RESTRICTION', r: { ...restriction, fields: ['Patient.email'] } })).fileRequestOnPaper;

    expectDecision(await receptionReads('p-bergeron', 'address'), ['patient', 'address'], 'allow');
    const accepted = await decide('p-bergeron', filed.id, true, 'The patient signed the letter');
    expect(accepted.status).toBe('ACCEPTED');
    const restrictions = await restrictionsOf('p-bergeron');
    expect(restrictions).toEqual([
      expect.objectContaining({ employeeId: 'e-roy', fields: ['Patient.address'], to: null, requestedBy: 'PATIENT', requestedById: 'p-bergeron', requestedAt: filed.receivedAt, requestId: filed.id }),
    ]);
    // No from: it applies from the decision.
    expectDecision(await receptionReads('p-bergeron', 'address'), ['patient', 'address'], 'RESTRICTED');

    const refused = await decide('p-bergeron', second.id, false, 'The e-mail is needed to send results');
    expect(refused).toMatchObject({ status: 'REFUSED', outcome: expect.stringContaining('nothing') });
    expect(refused.appealNotice).toContain("Commission d'accès à l'information");
    expect(await restrictionsOf('p-bergeron')).toHaveLength(1);
  });

  it("records who made a privacy officer's own restriction, and honours its from/to", async () => {
    const create = `mutation C($input: AccessRestrictionInput!) { createAccessRestriction(input: $input) { ${RESTRICTION} } }`;
    const to = new Date(now.getTime() + 2 * DAY);
    const made = (await ok<{ createAccessRestriction: Restriction }>(create, officer, { input: { patientId: 'p-dion', role: 'RECEPTIONIST', fields: ['Patient.phone'], reason: 'Asked at the desk', to: to.toISOString() } }))
      .createAccessRestriction;
    expect(made).toMatchObject({ requestedBy: 'PRIVACY_OFFICER', requestedById: 'e-fortin', requestedAt: now.toISOString(), requestId: null, from: now.toISOString(), to: to.toISOString() });
    expectDecision(await receptionReads('p-dion', 'phone'), ['patient', 'phone'], 'RESTRICTED');
    now = new Date(to.getTime() + 1);
    expectDecision(await receptionReads('p-dion', 'phone'), ['patient', 'phone'], 'allow');
    expect(await badInput(create, officer, { input: { patientId: 'p-dion', role: 'RECEPTIONIST', fields: ['Patient.phone'], reason: 'x', from: '2031-01-02', to: '2031-01-01' } })).toBe('to');
  });

  it('does what an accepted request means: consent withdrawal turns consent off; access and portability say they only record the decision', async () => {
    await ok('mutation { setCommunicationConsent(appointmentReminders: true, newsletter: true) { newsletter } }', { as: 'patient.caron' });
    const file = (kind: string) =>
      ok<{ fileRequestOnPaper: PatientRequest }>(`mutation { fileRequestOnPaper(patientId: "p-caron", kind: "${kind}", details: "Letter") { ${REQUEST} } }`, officer).then((d) => d.fileRequestOnPaper);
    const withdrawal = await file('CONSENT_WITHDRAWAL');
    const decided = await decide('p-caron', withdrawal.id, true, 'Withdrawn in writing');
    expect(decided.outcome).toMatch(/reminders and the newsletter were turned off/);
    const consent = await ok<{ me: { patient: { communicationConsent: { appointmentReminders: boolean; newsletter: boolean } } } }>(
      '{ me { patient { communicationConsent { appointmentReminders newsletter } } } }',
      { as: 'patient.caron' },
    );
    expect(consent.me.patient.communicationConsent).toEqual({ appointmentReminders: false, newsletter: false });

    for (const kind of ['ACCESS', 'PORTABILITY']) {
      const accepted = await decide('p-caron', (await file(kind)).id, true, 'Copy sent by mail');
      expect(accepted, kind).toMatchObject({ status: 'ACCEPTED', appealNotice: null, outcome: expect.stringMatching(/^Decision recorded only/) });
    }
  });

  it('files a rectification received on paper, recorded with channel PAPER, decided like any other', async () => {
    const file = 'mutation R($p: ID!, $f: String!, $v: String!, $r: String!) { fileRectificationOnPaper(patientId: $p, field: $f, proposedValue: $v, reason: $r) { ' + REQUEST + ' } }';
    expectDecision(await system.query(file, { p: 'p-lefebvre', f: 'phone', v: '514-555-0199', r: 'Moved' }, { as: 'patient.lefebvre' }), ['fileRectificationOnPaper'], 'ROLE');
    expect(await badInput(file, officer, { p: 'p-lefebvre', f: 'Patient.diagnoses', v: 'x', r: 'Wrong' })).toBe('field');
    expect(await badInput(file, officer, { p: 'p-lefebvre', f: 'phone', v: '514-555-0199', r: ' ' })).toBe('reason');
    const filed = (await ok<{ fileRectificationOnPaper: PatientRequest }>(file, officer, { p: 'p-lefebvre', f: 'phone', v: '514-555-0199', r: 'Letter: new number' })).fileRectificationOnPaper;
    expect(filed).toMatchObject({ patientId: 'p-lefebvre', kind: 'RECTIFICATION', channel: 'PAPER', filedBy: 'e-fortin', status: 'PENDING', receivedAt: now.toISOString() });

    await ok(`mutation { decideRectification(id: "${filed.id}", accept: true, reason: "Confirmed by phone") { status } }`, officer);
    const phone = await ok<{ patient: { phone: string } }>('{ patient(id: "p-lefebvre") { phone } }', { as: 'patient.lefebvre' });
    expect(phone.patient.phone).toBe('514-555-0199');
    const mine = await ok<{ myRequests: PatientRequest[] }>(`{ myRequests { ${REQUEST} } }`, { as: 'patient.lefebvre' });
    expect(mine.myRequests.find((r) => r.id === filed.id)).toMatchObject({ channel: 'PAPER', status: 'ACCEPTED', outcome: expect.stringContaining('corrected') });
  });
});
