import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditStore, type AuditStore } from '@clinic/gateway';
import { expectDecision } from '../support/access-cases.js';
import { auditSql, runAuditVerify } from '../support/audit-helpers.js';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { queryOk } from '../support/query-ok.js';

// Issue 14: the disclosure register (communications without consent) and the incident register's
// content, edit history and export, kept in the audit store as hash chains verified with the log,
// on the gateway's injected clock.

const DISCLOSURE = 'id patientId recipientName recipientOrganisation legalBasis categories purpose releasedBy releasedByRole releasedByName disclosedAt recordedAt emergencyAccessId';
const RECORD = `mutation($input: DisclosureInput!) { recordDisclosure(input: $input) { ${DISCLOSURE} } }`;
const REGISTERS = '{ verifyAuditChain { ok registers { register ok entries firstBrokenEntryId } } }';
const OPEN_EMERGENCY = 'mutation($p: ID!) { openEmergencyAccess(patientId: $p, justification: "Patient collapsed at the front desk, history needed now.") { id } }';
const officer = { as: 'privacy.fortin' };

interface DisclosureRow {
  id: string;
  patientId: string;
  recipientName: string;
  recipientOrganisation: string | null;
  legalBasis: string;
  categories: string[];
  purpose: string;
  releasedBy: string;
  releasedByRole: string;
  releasedByName: string | null;
  disclosedAt: string;
  recordedAt: string;
  emergencyAccessId: string | null;
}
interface RegisterStatus {
  register: string;
  ok: boolean;
  entries: number;
  firstBrokenEntryId: string | null;
}
interface HistoryRow {
  at: string;
  action: string;
  by: string | null;
  byRole: string | null;
  changes: { field: string; value: string | null }[];
}

const emergency = (patientId: string, extra: Record<string, unknown> = {}) => ({
  patientId,
  recipientName: 'Paramedic on call',
  recipientOrganisation: 'Urgences-santé',
  legalBasis: 'EMERGENCY',
  categories: ['CLINICAL', 'IDENTITY', 'CLINICAL'],
  purpose: 'Suicide attempt reported by the family: allergies and medications given to the ambulance crew.',
  ...extra,
});

describe.each(testBackends())('the disclosure and incident registers on %s', (backend) => {
  let system: ClinicSystem;
  let store: AuditStore;
  let now = new Date('2026-11-20T15:00:00Z');
  beforeAll(async () => {
    system = await startClinicSystem({ backend, clock: () => now });
    // A second handle on the gateway's audit store, as an intruder with database access would have.
    store = await openAuditStore({ target: system.auditTarget });
  });
  afterAll(async () => {
    await store?.close();
    await system?.stop();
  });

  const ok = <T>(query: string, caller: { as: string; mfa?: boolean }, variables?: Record<string, unknown>) => queryOk<T>(system, query, caller, variables);
  const registers = async () => (await ok<{ verifyAuditChain: { registers: RegisterStatus[] } }>(REGISTERS, officer)).verifyAuditChain.registers;
  const badInput = async (variables: Record<string, unknown>, caller: { as: string }, field: string) => {
    const res = await system.query(RECORD, variables, caller);
    expect(res.status, JSON.stringify(res)).toBeLessThan(500);
    expect(res.errors?.[0]?.extensions, JSON.stringify(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(res.data?.recordDisclosure ?? null).toBeNull();
  };

  it('a disclosure appears to the patient and in the register, released by the verified viewer, logged under the patient', async () => {
    // nurse.gagnon is p-caron's assigned nurse.
    const recorded = (await ok<{ recordDisclosure: DisclosureRow }>(RECORD, { as: 'nurse.gagnon' }, { input: emergency('p-caron') })).recordDisclosure;
    expect(recorded).toMatchObject({
      patientId: 'p-caron', legalBasis: 'EMERGENCY', categories: ['CLINICAL', 'IDENTITY'], releasedBy: 'e-gagnon', releasedByRole: 'NURSE',
      releasedByName: 'Isabelle Gagnon', disclosedAt: now.toISOString(), recordedAt: now.toISOString(), emergencyAccessId: null,
    });

    const own = await ok<{ patient: { disclosures: DisclosureRow[] } }>(`{ patient(id: "p-caron") { disclosures { ${DISCLOSURE} } } }`, { as: 'patient.caron' });
    expect(own.patient.disclosures).toEqual([recorded]);
    const register = await ok<{ disclosures: DisclosureRow[] }>(`{ disclosures(patientId: "p-caron") { ${DISCLOSURE} } }`, officer);
    expect(register.disclosures).toEqual([recorded]);
    const onTheRecord = await ok<{ patient: { disclosures: { id: string }[] } }>('{ patient(id: "p-caron") { disclosures { id } } }', officer);
    expect(onTheRecord.patient.disclosures).toEqual([{ id: recorded.id }]);

    // The write was logged under the patient before it ran, with who wrote it.
    const audit = await ok<{ auditLog: { actorId: string; fields: string[]; decision: string }[] }>(
      '{ auditLog(patientId: "p-caron", actorId: "e-gagnon", first: 5) { actorId fields decision } }', officer);
    expect(audit.auditLog).toContainEqual({ actorId: 'e-gagnon', fields: ['Mutation.recordDisclosure'], decision: 'ALLOW' });

    // Nobody else reads it: another patient, reception, a nurse (PRIVACY is not theirs), and nobody without a token.
    // Another patient does not even reach the record; their own has no disclosure.
    expectDecision(await system.query('{ patient(id: "p-caron") { disclosures { id } } }', undefined, { as: 'patient.dion' }), ['patient'], 'ROLE');
    expect((await ok<{ patient: { disclosures: unknown[] } }>('{ patient(id: "p-dion") { disclosures { id } } }', { as: 'patient.dion' })).patient.disclosures).toEqual([]);
    for (const who of ['reception.roy', 'nurse.gagnon', 'dr.tremblay']) {
      expectDecision(await system.query('{ patient(id: "p-caron") { disclosures { id } } }', undefined, { as: who }), ['patient', 'disclosures'], 'ROLE');
      expectDecision(await system.query('{ disclosures { id } }', undefined, { as: who }), ['disclosures'], 'ROLE');
    }
    const anonymous = await system.query('{ disclosures { id } }');
    expect(anonymous.status).toBe(401);
    expect(anonymous.data ?? null).toBeNull();
  });

  it('refuses a nurse without duty and every other basis to physicians and nurses; the privacy officer records on every basis', async () => {
    // nurse.bouchard has no duty toward p-lefebvre; dr.tremblay is its physician of record.
    expectDecision(await system.query(RECORD, { input: emergency('p-lefebvre') }, { as: 'nurse.bouchard' }), ['recordDisclosure'], 'NO_DUTY');
    const denied = await ok<{ auditLog: { fields: string[]; decision: string; reason: string }[] }>(
      '{ auditLog(patientId: "p-lefebvre", actorId: "e-bouchard", first: 1) { fields decision reason } }', officer);
    expect(denied.auditLog).toEqual([{ fields: ['Mutation.recordDisclosure'], decision: 'DENY', reason: 'NO_DUTY' }]);
    expectDecision(await system.query(RECORD, { input: emergency('p-lefebvre', { legalBasis: 'COURT_ORDER' }) }, { as: 'dr.tremblay' }), ['recordDisclosure'], 'ROLE');
    for (const who of ['reception.roy', 'consult.pelletier', 'hr.lavoie', 'patient.lefebvre']) {
      expectDecision(await system.query(RECORD, { input: emergency('p-lefebvre') }, { as: who }), ['recordDisclosure'], 'ROLE');
    }
    const refused = await ok<{ disclosures: DisclosureRow[] }>('{ disclosures(patientId: "p-lefebvre") { id } }', officer);
    expect(refused.disclosures).toEqual([]);

    // The privacy officer answers a court order, for a disclosure made three days ago.
    const earlier = new Date(now.getTime() - 3 * 86_400_000);
    const court = await ok<{ recordDisclosure: DisclosureRow }>(RECORD, officer, {
      input: { patientId: 'p-lefebvre', recipientName: 'Clerk of the Superior Court', recipientOrganisation: 'Cour supérieure du Québec', legalBasis: 'COURT_ORDER', categories: ['CLINICAL'], purpose: 'Subpoena duces tecum 500-17-000000-261', disclosedAt: earlier.toISOString() },
    });
    expect(court.recordDisclosure).toMatchObject({ releasedBy: 'e-fortin', releasedByRole: 'PRIVACY_OFFICER', disclosedAt: earlier.toISOString(), recordedAt: now.toISOString() });
    const window = await ok<{ disclosures: { id: string }[] }>(
      `{ disclosures(from: "${new Date(earlier.getTime() - 60_000).toISOString()}", to: "${new Date(earlier.getTime() + 60_000).toISOString()}") { id } }`, officer);
    expect(window.disclosures).toEqual([{ id: court.recordDisclosure.id }]);

    // Duty through an emergency access: the disclosure names the access it came from, which must be the viewer's, toward that patient.
    const access = (await ok<{ openEmergencyAccess: { id: string } }>(OPEN_EMERGENCY, { as: 'nurse.bouchard' }, { p: 'p-lefebvre' })).openEmergencyAccess;
    await badInput({ input: emergency('p-lefebvre', { emergencyAccessId: access.id }) }, { as: 'dr.tremblay' }, 'emergencyAccessId');
    await badInput({ input: emergency('p-caron', { emergencyAccessId: access.id }) }, { as: 'nurse.bouchard' }, 'emergencyAccessId');
    await badInput({ input: emergency('p-lefebvre', { emergencyAccessId: 'ea-nothing' }) }, { as: 'nurse.bouchard' }, 'emergencyAccessId');
    const fromAccess = await ok<{ recordDisclosure: DisclosureRow }>(RECORD, { as: 'nurse.bouchard' }, { input: emergency('p-lefebvre', { emergencyAccessId: access.id }) });
    expect(fromAccess.recordDisclosure).toMatchObject({ releasedBy: 'e-bouchard', emergencyAccessId: access.id });
  });

  it('answers bad input with a 4xx that names the argument', async () => {
    await badInput({ input: emergency('p-caron', { categories: ['GOSSIP'] }) }, officer, 'categories');
    await badInput({ input: emergency('p-caron', { categories: [] }) }, officer, 'categories');
    await badInput({ input: emergency('p-caron', { recipientName: '   ' }) }, officer, 'recipientName');
    await badInput({ input: emergency('p-caron', { purpose: 'x'.repeat(2001) }) }, officer, 'purpose');
    await badInput({ input: emergency('p-caron', { disclosedAt: new Date(now.getTime() + 3_600_000).toISOString() }) }, officer, 'disclosedAt');
    await badInput({ input: emergency('p-caron', { disclosedAt: 'yesterday' }) }, officer, 'disclosedAt');
    await badInput({ input: emergency('p-nobody') }, officer, 'patientId');
    const unknownBasis = await system.query(RECORD, { input: emergency('p-caron', { legalBasis: 'CURIOSITY' }) }, officer);
    expect(unknownBasis.status).toBe(400);
    const badWindow = await system.query('{ disclosures(from: "2026-13-01") { id } }', undefined, officer);
    expect(badWindow.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it('reports an edited disclosure through verifyAuditChain and audit:verify, and the mended register as intact', async () => {
    const before = await registers();
    expect(before.find((r) => r.register === 'disclosures')).toMatchObject({ ok: true, entries: 3, firstBrokenEntryId: null });
    const [row] = await auditSql<{ id: string; entry: unknown }>(store, "select id, entry from register_entry where register = 'disclosures' order by seq limit 1");
    const original = typeof row?.entry === 'string' ? row.entry : JSON.stringify(row?.entry);
    const forged = JSON.stringify({ ...(JSON.parse(original) as Record<string, unknown>), recipientName: 'Someone else' });
    await auditSql(store, 'update register_entry set entry = ? where id = ?', [forged, row?.id]);

    expect((await registers()).find((r) => r.register === 'disclosures')).toMatchObject({ ok: false, firstBrokenEntryId: row?.id });
    const verify = await runAuditVerify(system.auditTarget);
    expect(verify.code, verify.stdout + verify.stderr).toBe(1);
    expect(verify.stdout).toContain(`register disclosures BROKEN at entry ${row?.id}`);

    await auditSql(store, 'update register_entry set entry = ? where id = ?', [original, row?.id]);
    expect((await registers()).every((r) => r.ok)).toBe(true);
    const intact = await runAuditVerify(system.auditTarget);
    expect(intact.code, intact.stdout + intact.stderr).toBe(0);
    expect(intact.stdout).toContain('the register disclosures of 3 entries is intact');
    // Two runs of the command, each its own Node process: slow on a busy machine.
  }, 120_000);

  const HISTORY = '{ incidents { id kind description history { at action by byRole changes { field value } } } }';
  const incidentHistory = async (id: string) => {
    const res = await ok<{ incidents: { id: string; history: HistoryRow[] }[] }>(HISTORY, officer);
    return res.incidents.find((i) => i.id === id)?.history ?? [];
  };

  it("holds the Commission's list and lists each change of an entry in its history: who, when, which fields, their new values", async () => {
    const REPORT = `mutation($input: IncidentInput!) { reportIncident(input: $input) { id circumstances occurredFrom occurredTo occurredApproximately personsConcerned personsConcernedApproximate seriousRisk seriousRiskReasons publicNoticeAt publicNoticeReason } }`;
    const reported = await ok<{ reportIncident: Record<string, unknown> & { id: string } }>(REPORT, officer, {
      input: {
        description: 'Laboratory results of about forty patients sent to a wrong fax number',
        circumstances: 'A fax number was mistyped in the laboratory requisition template.',
        occurredFrom: '2026-11-02', occurredTo: '2026-11-13', occurredApproximately: 'the first two weeks of November',
        personsConcerned: 40, personsConcernedApproximate: true, categories: ['CLINICAL'],
      },
    });
    expect(reported.reportIncident).toMatchObject({
      circumstances: 'A fax number was mistyped in the laboratory requisition template.', occurredFrom: '2026-11-02T00:00:00.000Z', occurredTo: '2026-11-13T00:00:00.000Z',
      occurredApproximately: 'the first two weeks of November', personsConcerned: 40, personsConcernedApproximate: true, seriousRisk: null,
    });
    const id = reported.reportIncident.id;
    const reportedAt = now.toISOString();

    now = new Date(now.getTime() + 86_400_000);
    const UPDATE = 'mutation($id: ID!, $input: IncidentUpdateInput!) { updateIncident(id: $id, input: $input) { id seriousRisk seriousRiskReasons publicNoticeAt publicNoticeReason status } }';
    const updated = await ok<{ updateIncident: Record<string, unknown> }>(UPDATE, { as: 'privacy.fortin' }, {
      id,
      input: {
        seriousRisk: true, seriousRiskReasons: 'Diagnoses of mental health; the recipient is unknown; misuse is likely.', publicNoticeAt: '2026-11-21T10:00:00-05:00',
        publicNoticeReason: 'Ten persons could not be reached', personsConcerned: 40, status: 'NOTIFIED',
      },
    });
    expect(updated.updateIncident).toMatchObject({ seriousRisk: true, publicNoticeAt: '2026-11-21T15:00:00.000Z', publicNoticeReason: 'Ten persons could not be reached', status: 'NOTIFIED' });
    // Setting what is already there changes nothing, and adds nothing to the history.
    await ok(UPDATE, officer, { id, input: { status: 'NOTIFIED' } });

    const history = await incidentHistory(id);
    expect(history).toEqual([
      {
        at: reportedAt, action: 'REPORTED', by: 'e-fortin', byRole: 'PRIVACY_OFFICER',
        changes: [
          { field: 'description', value: 'Laboratory results of about forty patients sent to a wrong fax number' },
          { field: 'circumstances', value: 'A fax number was mistyped in the laboratory requisition template.' },
          { field: 'occurredFrom', value: '2026-11-02T00:00:00.000Z' },
          { field: 'occurredTo', value: '2026-11-13T00:00:00.000Z' },
          { field: 'occurredApproximately', value: 'the first two weeks of November' },
          { field: 'discoveredAt', value: reportedAt },
          { field: 'categories', value: '["CLINICAL"]' },
          { field: 'personsConcerned', value: '40' },
          { field: 'personsConcernedApproximate', value: 'true' },
          { field: 'status', value: 'OPEN' },
        ],
      },
      {
        at: now.toISOString(), action: 'UPDATED', by: 'e-fortin', byRole: 'PRIVACY_OFFICER',
        changes: [
          { field: 'seriousRisk', value: 'true' },
          { field: 'seriousRiskReasons', value: 'Diagnoses of mental health; the recipient is unknown; misuse is likely.' },
          { field: 'publicNoticeAt', value: '2026-11-21T15:00:00.000Z' },
          { field: 'publicNoticeReason', value: 'Ten persons could not be reached' },
          { field: 'status', value: 'NOTIFIED' },
        ],
      },
    ]);
    const period = await system.query(REPORT, { input: { description: 'x', occurredFrom: '2026-11-13', occurredTo: '2026-11-02' } }, officer);
    expect(period.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'occurredFrom' });
    // Also when only one end changes: the entry and its history stay as they were.
    const reversed = await system.query(UPDATE, { id, input: { occurredTo: '2026-10-01' } }, officer);
    expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'occurredFrom' });
    expect(await incidentHistory(id)).toHaveLength(2);
    expect((await registers()).find((r) => r.register === 'incident-history')).toMatchObject({ ok: true, entries: 2 });
  });

  it('keeps one intact history chain when changes arrive at once', async () => {
    const { reportIncident } = await ok<{ reportIncident: { id: string } }>('mutation { reportIncident(input: { description: "Laptop stolen from a car" }) { id } }', officer);
    const UPDATE = 'mutation($id: ID!, $input: IncidentUpdateInput!) { updateIncident(id: $id, input: $input) { id } }';
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, n) => system.query(UPDATE, { id: reportIncident.id, input: { measures: `Measure ${n}` } }, officer)),
    );
    expect(answers.flatMap((a) => a.errors ?? [])).toEqual([]);
    const history = await incidentHistory(reportIncident.id);
    expect(history.map((h) => h.action)).toEqual(['REPORTED', 'UPDATED', 'UPDATED', 'UPDATED', 'UPDATED', 'UPDATED', 'UPDATED']);
    expect(history.slice(1).map((h) => h.changes[0]?.value).sort()).toEqual(Array.from({ length: 6 }, (_, n) => `Measure ${n}`));
    expect((await registers()).find((r) => r.register === 'incident-history')?.ok).toBe(true);
  });

  it('records an incident the gateway opens itself in its history, by nobody', async () => {
    // dr.nguyen has a duty toward p-bergeron only: five refused reads within ten minutes open an incident.
    for (let i = 0; i < 5; i += 1) {
      const refused = await system.query('{ patient(id: "p-dion") { allergies } }', undefined, { as: 'dr.nguyen' });
      expect(refused.errors?.map((e) => e.extensions?.reason)).toEqual(['NO_DUTY']);
    }
    const res = await ok<{ incidents: { id: string; kind: string; history: HistoryRow[] }[] }>(HISTORY, officer);
    const opened = res.incidents.find((i) => i.kind === 'REPEATED_DENIALS');
    expect(opened?.history).toEqual([expect.objectContaining({ action: 'OPENED_AUTOMATICALLY', by: null, byRole: null, changes: expect.arrayContaining([{ field: 'status', value: 'OPEN' }]) })]);
  });

  it('exports the register as CSV (quoted, formulas disarmed) and JSON, for the privacy officer only, and records each export', async () => {
    await ok('mutation { reportIncident(input: { description: "=HYPERLINK(\\"http://evil.example\\",\\"open\\")", measures: "Locked, then \\"reset\\", the account" }) { id } }', officer);
    const before = (await registers()).find((r) => r.register === 'incident-history')?.entries ?? 0;
    const EXPORT = 'query($f: RegisterExportFormat!) { incidentRegisterExport(format: $f) { format contentType filename entries content } }';
    const csv = (await ok<{ incidentRegisterExport: { contentType: string; filename: string; entries: number; content: string } }>(EXPORT, officer, { f: 'CSV' })).incidentRegisterExport;
    expect(csv).toMatchObject({ contentType: 'text/csv; charset=utf-8', filename: 'incident-register-2026-11-21.csv' });
    const lines = csv.content.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('id,kind,description,circumstances,occurredAt,occurredFrom,occurredTo,occurredApproximately,discoveredAt,categories,personsConcerned,personsConcernedApproximate,seriousRisk,seriousRiskReasons,caiNotifiedAt,personsNotifiedAt,publicNoticeAt,publicNoticeReason,measures,status,createdAt');
    expect(lines).toHaveLength(csv.entries + 1);
    expect(csv.content).toContain(`"'=HYPERLINK(""http://evil.example"",""open"")"`);
    expect(csv.content).toContain('"Locked, then ""reset"", the account"');
    expect(csv.content).not.toMatch(/(^|,)=HYPERLINK/m);

    const json = (await ok<{ incidentRegisterExport: { contentType: string; entries: number; content: string } }>(EXPORT, officer, { f: 'JSON' })).incidentRegisterExport;
    expect(json.contentType).toBe('application/json');
    const document = JSON.parse(json.content) as { entries: { id: string; description: string; categories: string[]; history: { action: string }[] }[] };
    expect(document.entries).toHaveLength(json.entries);
    expect(document.entries.find((e) => e.description.startsWith('=HYPERLINK'))?.history.map((h) => h.action)).toEqual(['REPORTED']);

    // Each export is in the register's history (who, when, which format), before the document was handed over.
    const exports = await auditSql<{ entry: unknown }>(store, "select entry from register_entry where register = 'incident-history' and subject_id is null order by seq");
    expect(exports.map((r) => JSON.parse(typeof r.entry === 'string' ? r.entry : JSON.stringify(r.entry)) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ action: 'EXPORTED', by: 'e-fortin', format: 'CSV', entries: csv.entries }),
      expect.objectContaining({ action: 'EXPORTED', by: 'e-fortin', format: 'JSON', entries: json.entries }),
    ]);
    expect((await registers()).find((r) => r.register === 'incident-history')).toMatchObject({ ok: true, entries: before + 2 });

    for (const who of ['nurse.gagnon', 'dr.tremblay', 'patient.caron', 'hr.lavoie']) {
      expectDecision(await system.query(EXPORT, { f: 'CSV' }, { as: who }), ['incidentRegisterExport'], 'ROLE');
    }
    const wrong = await system.query(EXPORT, { f: 'XLSX' }, officer);
    expect(wrong.status).toBe(400);
  });
});
