import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDecision } from '../support/access-cases.js';
import { auditSql } from '../support/audit-helpers.js';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { personalValuesIn } from '../support/graphql-errors.js';

const REPORT = `query Report { retentionReport {
  asOf rules { code description action } due { rule itemKind itemId ownerId dueSince }
  totals { rule itemKind count } kept { rule itemKind count reason }
} }`;
const RECORD_FIELDS = 'id runId rule itemKind action count source destroyedAt destroyedBy destroyedByRole';
const APPLY = `mutation Apply { applyRetention { id status startedAt finishedAt ranBy records { ${RECORD_FIELDS} } } }`;
const RUNS = `{ retentionRuns { id status startedAt finishedAt ranBy records { ${RECORD_FIELDS} } } }`;

interface Item {
  rule: string;
  itemKind: string;
  itemId: string;
  ownerId: string | null;
  dueSince: string;
}
interface Report {
  asOf: string;
  rules: { code: string; action: string }[];
  due: Item[];
  totals: { rule: string; itemKind: string; count: number }[];
  kept: { rule: string; itemKind: string; count: number; reason: string }[];
}
interface DestructionRecord {
  rule: string;
  itemKind: string;
  action: string;
  count: number;
  source: string;
  destroyedBy: string;
  destroyedByRole: string;
}
interface Run {
  id: string;
  status: string;
  ranBy: string;
  records: DestructionRecord[];
}

const DAY = 86_400_000;
const officer = { as: 'privacy.fortin', mfa: true };

describe.each(testBackends())('retention and destruction on %s', (backend) => {
  let system: ClinicSystem;
  // The gateway's request clock: the retention rules read it, so the suite can move time.
  let now = new Date();
  beforeAll(async () => {
    system = await startClinicSystem({ backend, clock: () => now });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const report = async () => {
    const res = await system.query<{ retentionReport: Report }>(REPORT, undefined, officer);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data?.retentionReport as Report;
  };
  const apply = async () => {
    const res = await system.query<{ applyRetention: Run }>(APPLY, undefined, officer);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data?.applyRetention as Run;
  };
  // Diagnoses, vitals, medications and allergies have database-generated ids: named by kind and owner.
  const GENERATED_IDS = new Set(['DIAGNOSIS', 'VITAL', 'MEDICATION', 'ALLERGY']);
  const dueIds = (r: Report) => r.due.map((i) => `${i.rule} ${i.itemKind} ${GENERATED_IDS.has(i.itemKind) ? '*' : i.itemId} ${i.ownerId ?? '-'}`).sort();
  const countsOf = (run: Run) => Object.fromEntries(run.records.map((r) => [`${r.rule} ${r.itemKind}`, r.count]));

  it('is the privacy officer’s: others get ROLE, and destroying needs two-factor authentication', async () => {
    for (const who of ['dr.tremblay', 'nurse.gagnon', 'hr.lavoie', 'manager.girard', 'patient.dion']) {
      expectDecision(await system.query(APPLY, undefined, { as: who, mfa: true }), ['applyRetention'], 'ROLE');
      expectDecision(await system.query(REPORT, undefined, { as: who, mfa: true }), ['retentionReport'], 'ROLE');
      expectDecision(await system.query(RUNS, undefined, { as: who, mfa: true }), ['retentionRuns'], 'ROLE');
    }
    expectDecision(await system.query(APPLY, undefined, { as: 'privacy.fortin' }), ['applyRetention'], 'MFA_REQUIRED');
    // Nothing was destroyed by the refused calls.
    expect((await report()).due).toHaveLength(5);
  });

  it('reports what is due on each side of every rule, and the rule that makes it due, without changing anything', async () => {
    const r = await report();
    expect(r.asOf).toBe(now.toISOString());
    expect(r.rules.map((rule) => [rule.code, rule.action])).toEqual([
      ['MEDICAL_RECORD_5_YEARS', 'DESTROY'],
      ['MAILING_LIST_36_MONTHS', 'DESTROY'],
      ['EMPLOYEE_10_YEARS_AFTER_EMPLOYMENT', 'ANONYMIZE'],
    ]);
    // Due: the parts older than 5 years of p-dion's inactive record (last entry 2200 days ago: the
    // routine visit, the note, the diagnosis), the address subscribed 1200 days ago, the nurse who left 11 years ago.
    // Not due: p-dion's endoscopy and pathology reports (protected), p-lefebvre's 2019 check-up (her
    // record is active: seed 002 "There is no obligation to purge an active file"), p-ouellet's recent
    // letter, the address subscribed 200 days ago, the nurse who left 400 days ago.
    expect(dueIds(r)).toEqual(
      [
        'EMPLOYEE_10_YEARS_AFTER_EMPLOYMENT EMPLOYEE_PERSONAL_DATA e-dufour e-dufour',
        'MAILING_LIST_36_MONTHS MAILING_LIST_ADDRESS ml-2 -',
        'MEDICAL_RECORD_5_YEARS CLINICAL_NOTE n-dio-1 p-dion',
        'MEDICAL_RECORD_5_YEARS DOCUMENT d-dio-3 p-dion',
        'MEDICAL_RECORD_5_YEARS DIAGNOSIS * p-dion',
      ].sort(),
    );
    for (const item of r.due) expect(new Date(item.dueSince).getTime(), item.itemId).toBeLessThanOrEqual(now.getTime());
    expect(r.totals).toEqual(
      expect.arrayContaining([
        { rule: 'MEDICAL_RECORD_5_YEARS', itemKind: 'DOCUMENT', count: 1 },
        { rule: 'MEDICAL_RECORD_5_YEARS', itemKind: 'CLINICAL_NOTE', count: 1 },
        { rule: 'MEDICAL_RECORD_5_YEARS', itemKind: 'DIAGNOSIS', count: 1 },
      ]),
    );
    expect(r.kept).toHaveLength(2);
    expect(r.kept).toEqual(
      expect.arrayContaining([
        { rule: 'MEDICAL_RECORD_5_YEARS', itemKind: 'DOCUMENT', count: 2, reason: expect.stringContaining('ENDOSCOPY_REPORT') },
        { rule: 'MEDICAL_RECORD_5_YEARS', itemKind: 'DOCUMENT', count: 1, reason: expect.stringContaining('the record is active') },
      ]),
    );
    // The report names items by id (the demo ids spell last names), never by their content.
    expect(personalValuesIn(JSON.stringify(r, (key, value: unknown) => (key === 'itemId' || key === 'ownerId' ? undefined : value)))).toEqual([]);
    // A dry run changes nothing.
    expect(dueIds(await report())).toEqual(dueIds(r));
  });

  it('destroys the old parts of an inactive record, keeping protected reports; an active record keeps its old documents by default', async () => {
    const run = await apply();
    expect(run).toMatchObject({ status: 'COMPLETED', ranBy: 'e-fortin' });
    expect(countsOf(run)).toEqual({
      'MEDICAL_RECORD_5_YEARS DOCUMENT': 1,
      'MEDICAL_RECORD_5_YEARS CLINICAL_NOTE': 1,
      'MEDICAL_RECORD_5_YEARS DIAGNOSIS': 1,
      'MEDICAL_RECORD_5_YEARS VITAL': 0,
      'MEDICAL_RECORD_5_YEARS MEDICATION': 0,
      'MEDICAL_RECORD_5_YEARS ALLERGY': 0,
      'MEDICAL_RECORD_5_YEARS APPOINTMENT': 0,
      'MAILING_LIST_36_MONTHS MAILING_LIST_ADDRESS': 1,
      'EMPLOYEE_10_YEARS_AFTER_EMPLOYMENT EMPLOYEE_PERSONAL_DATA': 1,
    });
    const dion = await system.query<{ patient: { documents: { id: string; kind: string }[]; clinicalNotes: { id: string }[] } }>(
      '{ patient(id: "p-dion") { documents { id kind } clinicalNotes { id } } }',
      undefined,
      { as: 'patient.dion', mfa: true },
    );
    expect(dion.data?.patient.documents.map((d) => d.id).sort()).toEqual(['d-dio-1', 'd-dio-2']);
    expect(dion.data?.patient.clinicalNotes).toEqual([]);
    const lefebvre = await system.query<{ patient: { documents: { id: string }[]; clinicalNotes: { id: string }[] } }>(
      '{ patient(id: "p-lefebvre") { documents { id } clinicalNotes { id } } }',
      undefined,
      { as: 'patient.lefebvre', mfa: true },
    );
    expect(lefebvre.data?.patient).toEqual({ documents: [{ id: 'd-lef-1' }], clinicalNotes: [{ id: 'n-lef-1' }] });
    const ouellet = await system.query<{ patient: { documents: { id: string }[] } }>('{ patient(id: "p-ouellet") { documents { id } } }', undefined, { as: 'patient.ouellet' });
    expect(ouellet.data?.patient.documents).toEqual([{ id: 'd-oue-1' }]);
  });

  it("anonymizes the personal data of the employee who left 10 years ago, not of the one who left last year", async () => {
    const fields = 'firstName lastName jobTitle role hireDate terminationDate homeAddress personalPhone dateOfBirth socialInsuranceNumber salary bankAccount workEmail workPhone';
    const read = async (id: string) =>
      (await system.query<{ employee: Record<string, unknown> }>(`{ employee(id: "${id}") { ${fields} } }`, undefined, { as: 'hr.lavoie', mfa: true })).data?.employee;
    expect(await read('e-dufour')).toMatchObject({
      firstName: 'Ginette',
      lastName: 'Dufour',
      role: 'NURSE',
      terminationDate: expect.any(String),
      homeAddress: null,
      personalPhone: null,
      dateOfBirth: null,
      socialInsuranceNumber: null,
      salary: null,
      bankAccount: null,
      workEmail: null,
      workPhone: null,
    });
    const leblanc = await read('e-leblanc');
    expect(leblanc).toMatchObject({ homeAddress: '19 rue Racine, Chicoutimi QC G7H 1R1', socialInsuranceNumber: '046 888 889', salary: 79000, workEmail: 'd.leblanc@clinique-demo.example' });
  });

  it('removes the mailing-list address older than 36 months, not the recent one', async () => {
    const rows = await system.subgraphs.patient.db.fork().getConnection().execute<{ id: string; email: string }[]>('select id, email from mailing_list_subscription order by id');
    expect(rows.map((r) => [r.id, r.email])).toEqual([['ml-1', 'jean.caron@example.org']]);
  });

  it('keeps a destruction record with what, how many, when, by whom and which rule, and no personal information', async () => {
    const runs = await system.query<{ retentionRuns: Run[] }>(RUNS, undefined, officer);
    expect(runs.errors).toBeUndefined();
    const [run] = runs.data?.retentionRuns ?? [];
    expect(run?.records).toHaveLength(9);
    for (const record of run?.records ?? []) {
      expect(record).toMatchObject({ destroyedBy: 'e-fortin', destroyedByRole: 'PRIVACY_OFFICER', action: expect.stringMatching(/^(DESTROY|ANONYMIZE)$/) });
    }
    expect(run?.records.map((r) => r.source).sort()).toEqual(['employee', ...Array<string>(8).fill('patient')]);
    // Who ran it is the privacy officer's staff id (professional information the law asks for, and
    // the demo ids spell last names); everything else must quote no personal value of the demo clinic.
    const withoutWho = JSON.stringify(runs.data, (key, value: unknown) => (key === 'destroyedBy' || key === 'ranBy' ? undefined : value));
    expect(personalValuesIn(withoutWho)).toEqual([]);
    // The same holds for the stored rows, read as someone with database access would.
    const stored = [
      ...(await auditSql(system.gateway.auditStore, 'select * from destruction_record')),
      ...(await auditSql(system.gateway.auditStore, 'select * from retention_run')),
    ];
    expect(stored.length).toBe(10);
    const storedWithoutWho = JSON.stringify(stored, (key, value: unknown) => (key === 'destroyed_by' || key === 'run_by' ? undefined : value));
    expect(personalValuesIn(storedWithoutWho)).toEqual([]);
    for (const destroyed of ['d-dio-3', 'n-dio-1', 'd-lef-1', 'ml-2', 'e-dufour', 'p-dion', 'p-lefebvre', 'old.subscriber']) expect(storedWithoutWho).not.toContain(destroyed);
  });

  it('records the destruction in the audit log of each patient whose record changed', async () => {
    const log = await system.query<{ auditLog: { patientId: string; fields: string[] }[] }>('{ auditLog(actorId: "e-fortin", first: 50) { patientId fields } }', undefined, officer);
    const applied = (log.data?.auditLog ?? []).filter((e) => e.fields.includes('Mutation.applyRetention')).map((e) => e.patientId);
    expect(applied.sort()).toEqual(['p-dion']);
  });

  it('finds nothing more to do right after, and records an empty run', async () => {
    expect((await report()).due).toEqual([]);
    const run = await apply();
    expect(run.records.every((r) => r.count === 0)).toBe(true);
  });

  it('applies the rules on the request clock: the recent address after 36 months, the other nurse after 10 years', async () => {
    now = new Date(now.getTime() + 1000 * DAY);
    const later = await report();
    expect(dueIds(later)).toEqual(['MAILING_LIST_36_MONTHS MAILING_LIST_ADDRESS ml-1 p-caron']);
    const run = await apply();
    expect(countsOf(run)['MAILING_LIST_36_MONTHS MAILING_LIST_ADDRESS']).toBe(1);
    // The patient's newsletter consent lapsed with the address: they are asked again.
    const consent = await system.query('{ patient(id: "p-caron") { communicationConsent { newsletter } } }', undefined, { as: 'patient.caron' });
    expect(consent.data).toEqual({ patient: { communicationConsent: { newsletter: false } } });

    now = new Date(now.getTime() + 2300 * DAY);
    const muchLater = await report();
    expect(dueIds(muchLater)).toContain('EMPLOYEE_10_YEARS_AFTER_EMPLOYMENT EMPLOYEE_PERSONAL_DATA e-leblanc e-leblanc');
    // 3300 days on, every record has gone 5 years without an entry: their old parts are due, protected reports aside.
    expect(muchLater.due.filter((i) => i.itemKind === 'DOCUMENT').map((i) => i.itemId).sort()).toEqual(['d-lef-1', 'd-oue-1']);
    expect(muchLater.kept).toEqual([expect.objectContaining({ count: 2 })]);
  });
});
