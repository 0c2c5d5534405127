import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDecision } from '../support/access-cases.js';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { personalValuesIn } from '../support/graphql-errors.js';
import { queryOk } from '../support/query-ok.js';

// Issue 14: legal holds, destruction of an inactive record on the patient's request, and every
// request on the legal clock (Law 25 s. 32: 30 days), with the gateway's clock injected.

const REQUEST = 'id patientId kind channel filedBy receivedAt dueAt status overdue decidedAt decidedBy decisionReason appealNotice';
interface PatientRequest {
  id: string;
  patientId: string;
  kind: string;
  channel: string;
  filedBy: string;
  receivedAt: string;
  dueAt: string;
  status: string;
  overdue: boolean;
  decisionReason: string | null;
  appealNotice: string | null;
}
const DAY = 86_400_000;
const officer = { as: 'privacy.fortin', mfa: true };

describe.each(testBackends())('records on the legal clock on %s', (backend) => {
  let system: ClinicSystem;
  let now = new Date();
  beforeAll(async () => {
    system = await startClinicSystem({ backend, clock: () => now });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const ok = <T>(query: string, caller: { as: string; mfa?: boolean }, variables?: Record<string, unknown>) => queryOk<T>(system, query, caller, variables);
  const requestDestruction = (as: string) =>
    ok<{ requestRecordDestruction: PatientRequest }>(`mutation { requestRecordDestruction { ${REQUEST} } }`, { as }).then((d) => d.requestRecordDestruction);
  const decide = (patientId: string, id: string, accept: boolean, reason: string) =>
    ok<{ decidePatientRequest: PatientRequest }>(
      `mutation D($p: ID!, $id: ID!, $a: Boolean!, $r: String!) { decidePatientRequest(patientId: $p, id: $id, accept: $a, reason: $r) { ${REQUEST} } }`,
      officer,
      { p: patientId, id, a: accept, r: reason },
    ).then((d) => d.decidePatientRequest);
  const dionsRecord = () =>
    ok<{ patient: { documents: { id: string }[]; clinicalNotes: { id: string }[]; diagnoses: { code: string }[] } }>(
      '{ patient(id: "p-dion") { documents { id } clinicalNotes { id } diagnoses { code } } }',
      { as: 'patient.dion', mfa: true },
    ).then((d) => d.patient);

  it('refuses at once, with the reason and the right to a review, a destruction request on an active record', async () => {
    const request = await requestDestruction('patient.lefebvre');
    expect(request).toMatchObject({ patientId: 'p-lefebvre', kind: 'DESTRUCTION', channel: 'PORTAL', filedBy: 'p-lefebvre', status: 'REFUSED' });
    expect(request.decisionReason).toContain('The record is active');
    expect(request.appealNotice).toContain("Commission d'accès à l'information");
  });

  it('never destroys a held record: not by the rules, not on request; the hold is placed and lifted with a reason', async () => {
    expectDecision(
      await system.query('mutation { placeLegalHold(patientId: "p-dion", reason: "Litigation: file requested by counsel") { id } }', undefined, { as: 'dr.tremblay', mfa: true }),
      ['placeLegalHold'],
      'ROLE',
    );
    const placed = await ok<{ placeLegalHold: { id: string; placedBy: string; liftedAt: string | null } }>(
      'mutation { placeLegalHold(patientId: "p-dion", reason: "Litigation: file requested by counsel") { id placedBy liftedAt } }',
      officer,
    );
    expect(placed.placeLegalHold).toMatchObject({ placedBy: 'e-fortin', liftedAt: null });

    const report = await ok<{ retentionReport: { due: { ownerId: string | null }[]; kept: { reason: string; count: number }[] } }>(
      '{ retentionReport { due { ownerId } kept { reason count } } }',
      officer,
    );
    expect(report.retentionReport.due.map((i) => i.ownerId)).not.toContain('p-dion');
    expect(report.retentionReport.kept.some((k) => k.reason.includes('legal hold') && k.count > 0)).toBe(true);
    await ok('mutation { applyRetention { id } }', officer);
    expect((await dionsRecord()).documents.map((d) => d.id).sort()).toEqual(['d-dio-1', 'd-dio-2', 'd-dio-3']);

    const request = await requestDestruction('patient.dion');
    expect(request.status).toBe('REFUSED');
    expect(request.decisionReason).toContain('legal hold');
    expect((await dionsRecord()).clinicalNotes).toHaveLength(1);

    const lifted = await ok<{ liftLegalHold: { liftReason: string; liftedBy: string; liftedAt: string }[] }>(
      'mutation { liftLegalHold(patientId: "p-dion", reason: "Case settled") { liftReason liftedBy liftedAt } }',
      officer,
    );
    expect(lifted.liftLegalHold).toEqual([{ liftReason: 'Case settled', liftedBy: 'e-fortin', liftedAt: now.toISOString() }]);
  });

  it("destroys an inactive record on the patient's accepted request, except its protected reports, and keeps a destruction record", async () => {
    now = new Date(now.getTime() + DAY);
    const request = await requestDestruction('patient.dion');
    expect(request).toMatchObject({ status: 'PENDING', overdue: false, receivedAt: now.toISOString() });
    expect(new Date(request.dueAt).getTime() - new Date(request.receivedAt).getTime()).toBeGreaterThanOrEqual(30 * DAY - 3_600_000);
    expect(new Date(request.dueAt).getTime() - new Date(request.receivedAt).getTime()).toBeLessThanOrEqual(30 * DAY + 3_600_000);
    // Destroying is for good: two-factor authentication.
    expectDecision(
      await system.query(`mutation { decidePatientRequest(patientId: "p-dion", id: "${request.id}", accept: true, reason: "x") { id } }`, undefined, { as: 'privacy.fortin' }),
      ['decidePatientRequest'],
      'MFA_REQUIRED',
    );
    const decided = await decide('p-dion', request.id, true, 'Inactive for more than 5 years; the patient asked');
    expect(decided).toMatchObject({ status: 'ACCEPTED', appealNotice: null });
    const left = await dionsRecord();
    expect({ ...left, documents: left.documents.map((d) => d.id).sort() }).toEqual({ documents: ['d-dio-1', 'd-dio-2'], clinicalNotes: [], diagnoses: [] });
    // Decided once.
    const again = await system.query(`mutation { decidePatientRequest(patientId: "p-dion", id: "${request.id}", accept: false, reason: "no") { id } }`, undefined, officer);
    expect(again.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const runs = await ok<{ retentionRuns: { ranBy: string; records: { rule: string; itemKind: string; count: number }[] }[] }>(
      '{ retentionRuns(first: 1) { ranBy records { rule itemKind count } } }',
      officer,
    );
    const [run] = runs.retentionRuns;
    expect(run?.records.every((r) => r.rule === 'PATIENT_REQUEST_INACTIVE_RECORD')).toBe(true);
    expect(Object.fromEntries((run?.records ?? []).map((r) => [r.itemKind, r.count]))).toMatchObject({ DOCUMENT: 1, CLINICAL_NOTE: 1, DIAGNOSIS: 1 });
    expect(personalValuesIn(JSON.stringify(run, (key, value: unknown) => (key === 'ranBy' ? undefined : value)))).toEqual([]);
    // Audited under the patient.
    const log = await ok<{ auditLog: { patientId: string; fields: string[] }[] }>('{ auditLog(actorId: "e-fortin", first: 100) { patientId fields } }', officer);
    expect(log.auditLog.some((e) => e.patientId === 'p-dion' && e.fields.includes('Mutation.decidePatientRequest'))).toBe(true);
  });

  it('puts every request on the 30-day clock: paper requests, the due list and the overdue list', async () => {
    expectDecision(await system.query('{ patientRequests { id } }', undefined, { as: 'patient.caron' }), ['patientRequests'], 'ROLE');
    const filed = await ok<{ fileRequestOnPaper: PatientRequest }>(
      `mutation { fileRequestOnPaper(patientId: "p-caron", kind: "ACCESS", details: "Letter received at the front desk") { ${REQUEST} } }`,
      officer,
    );
    expect(filed.fileRequestOnPaper).toMatchObject({ patientId: 'p-caron', kind: 'ACCESS', channel: 'PAPER', filedBy: 'e-fortin', status: 'PENDING', overdue: false });
    const bad = await system.query('mutation { fileRequestOnPaper(patientId: "p-caron", kind: "NOPE") { id } }', undefined, officer);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const overdueNow = await ok<{ patientRequests: PatientRequest[] }>(`{ patientRequests(overdueOnly: true) { ${REQUEST} } }`, officer);
    expect(overdueNow.patientRequests).toEqual([]);
    const all = await ok<{ patientRequests: PatientRequest[] }>(`{ patientRequests { ${REQUEST} } }`, officer);
    expect(all.patientRequests.map((r) => r.id)).toContain(filed.fileRequestOnPaper.id);

    now = new Date(now.getTime() + 31 * DAY);
    const overdue = await ok<{ patientRequests: PatientRequest[] }>(`{ patientRequests(overdueOnly: true) { ${REQUEST} } }`, officer);
    expect(overdue.patientRequests.map((r) => [r.id, r.overdue])).toEqual([[filed.fileRequestOnPaper.id, true]]);
    // The patient sees their own request and its due date.
    const mine = await ok<{ myRequests: PatientRequest[] }>(`{ myRequests { ${REQUEST} } }`, { as: 'patient.caron' });
    expect(mine.myRequests).toEqual([expect.objectContaining({ id: filed.fileRequestOnPaper.id, overdue: true, channel: 'PAPER' })]);

    const refused = await decide('p-caron', filed.fileRequestOnPaper.id, false, 'The requested document is not held by the clinic');
    expect(refused).toMatchObject({ status: 'REFUSED', overdue: false, decisionReason: 'The requested document is not held by the clinic' });
    expect(refused.appealNotice).toContain("Commission d'accès à l'information");
  });
});
