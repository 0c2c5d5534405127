import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { expectDecision } from '../support/access-cases.js';

const OPEN = 'mutation($p: ID!, $j: String!) { openEmergencyAccess(patientId: $p, justification: $j) { id patientId grantedTo justification expiresAt } }';
const JUSTIFICATION = 'Unconscious patient in the waiting room, allergies needed now.';
const INCIDENTS = `{ incidents { id kind description occurredAt discoveredAt categories personsConcerned seriousRisk caiNotifiedAt personsNotifiedAt measures status } }`;

interface IncidentRow {
  id: string;
  kind: string;
  description: string | null;
  categories: string[];
  personsConcerned: number | null;
  seriousRisk: boolean | null;
  caiNotifiedAt: string | null;
  measures: string | null;
  status: string;
}

describe.each(testBackends())('emergency access and the incident register on %s', (backend) => {
  let system: ClinicSystem;
  let now = new Date();
  const advance = (minutes: number) => {
    now = new Date(now.getTime() + minutes * 60_000);
  };
  beforeAll(async () => {
    system = await startClinicSystem({ backend, clock: () => now });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const incidents = async () => {
    const res = await system.query<{ incidents: IncidentRow[] }>(INCIDENTS, undefined, { as: 'privacy.fortin' });
    expect(res.errors).toBeUndefined();
    return res.data?.incidents ?? [];
  };

  it('grants duty for 60 minutes, is audited with its id, opens a review item (not an incident: issue 14), and expires on time', async () => {
    // nurse.bouchard has no duty toward p-lefebvre.
    expectDecision(await system.query('{ patient(id: "p-lefebvre") { allergies } }', undefined, { as: 'nurse.bouchard' }), ['patient', 'allergies'], 'NO_DUTY');
    const opened = await system.query<{ openEmergencyAccess: { id: string; grantedTo: string; expiresAt: string } }>(OPEN, { p: 'p-lefebvre', j: JUSTIFICATION }, { as: 'nurse.bouchard' });
    expect(opened.errors).toBeUndefined();
    const access = opened.data?.openEmergencyAccess;
    expect(access).toMatchObject({ grantedTo: 'e-bouchard', justification: JUSTIFICATION });
    expect(new Date(access?.expiresAt ?? 0).getTime()).toBe(now.getTime() + 60 * 60_000);

    const read = await system.query('{ patient(id: "p-lefebvre") { allergies phone } }', undefined, { as: 'nurse.bouchard' });
    expect(read.data).toEqual({ patient: { allergies: ['Penicillin'], phone: '514-555-2001' } });
    const audit = await system.query<{ auditLog: { emergencyAccessId: string | null; decision: string }[] }>(
      '{ auditLog(patientId: "p-lefebvre", actorId: "e-bouchard", first: 1) { emergencyAccessId decision } }', undefined, { as: 'privacy.fortin' });
    expect(audit.data?.auditLog).toEqual([{ emergencyAccessId: access?.id, decision: 'ALLOW' }]);

    // Issue 14 (newer than SPEC §7): the access lands in the privacy officer's review queue; it becomes an incident only if the review finds misuse.
    const register = await incidents();
    expect(register.filter((i) => i.kind === 'EMERGENCY_ACCESS')).toEqual([]);
    const queue = await system.query<{ reviewItems: { nodes: { kind: string; emergencyAccessId: string | null; actorId: string | null; patientIds: string[] }[] } }>(
      '{ reviewItems(kind: "EMERGENCY_ACCESS") { nodes { kind emergencyAccessId actorId patientIds } } }', undefined, { as: 'privacy.fortin' });
    expect(queue.data?.reviewItems.nodes.filter((i) => i.emergencyAccessId === access?.id)).toEqual([{ kind: 'EMERGENCY_ACCESS', emergencyAccessId: access?.id, actorId: 'e-bouchard', patientIds: ['p-lefebvre'] }]);

    advance(59);
    expectDecision(await system.query('{ patient(id: "p-lefebvre") { allergies } }', undefined, { as: 'nurse.bouchard' }), ['patient', 'allergies'], 'allow');
    advance(2);
    expectDecision(await system.query('{ patient(id: "p-lefebvre") { allergies } }', undefined, { as: 'nurse.bouchard' }), ['patient', 'allergies'], 'NO_DUTY');
  });

  it('lifts restrictions on clinical and contact information, never on notes', async () => {
    // r-1 keeps nurse.gagnon from p-lefebvre's diagnoses, medications and clinical notes.
    expectDecision(await system.query('{ patient(id: "p-lefebvre") { diagnoses { code } } }', undefined, { as: 'nurse.gagnon' }), ['patient', 'diagnoses'], 'RESTRICTED');
    const opened = await system.query(OPEN, { p: 'p-lefebvre', j: JUSTIFICATION }, { as: 'nurse.gagnon', mfa: true });
    expect(opened.errors).toBeUndefined();
    const res = await system.query('{ patient(id: "p-lefebvre") { diagnoses { code } medications { name } clinicalNotes { id } } }', undefined, { as: 'nurse.gagnon', mfa: true });
    expect(res.data).toMatchObject({ patient: { diagnoses: [{ code: 'F32.1' }], medications: [{ name: 'Sertraline' }], clinicalNotes: null } });
    expectDecision(res, ['patient', 'clinicalNotes'], 'RESTRICTED');
  });

  it('is for physicians and nurses only, with a justification of at least 20 characters, for a real patient', async () => {
    for (const who of ['reception.roy', 'consult.pelletier', 'privacy.fortin', 'patient.caron']) {
      expectDecision(await system.query(OPEN, { p: 'p-dion', j: JUSTIFICATION }, { as: who }), ['openEmergencyAccess'], 'ROLE');
    }
    const short = await system.query(OPEN, { p: 'p-dion', j: 'urgent!' }, { as: 'dr.nguyen' });
    expect(short.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(short.errors?.[0]?.message).toMatch(/at least 20 characters/);
    const blank = await system.query(OPEN, { p: 'p-dion', j: ' '.repeat(30) }, { as: 'dr.nguyen' });
    expect(blank.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const ghost = await system.query(OPEN, { p: 'p-nobody', j: JUSTIFICATION }, { as: 'dr.nguyen' });
    expect(ghost.errors?.[0]).toMatchObject({ message: 'No patient with id "p-nobody"', extensions: { code: 'BAD_USER_INPUT' } });
    // None of these opened anything: dr.nguyen still has no duty toward p-dion.
    expectDecision(await system.query('{ patient(id: "p-dion") { allergies } }', undefined, { as: 'dr.nguyen' }), ['patient', 'allergies'], 'NO_DUTY');
  });

  it('opens exactly one incident for 5 refusals of one reader outside their duty within 10 minutes', async () => {
    advance(30);
    const before = (await incidents()).filter((i) => i.kind === 'REPEATED_DENIALS').length;
    // dr.nguyen has no duty toward p-ouellet, p-dion or p-lefebvre.
    const snoop = (id: string) => system.query(`{ patient(id: "${id}") { phone } }`, undefined, { as: 'dr.nguyen' });
    for (const id of ['p-ouellet', 'p-dion', 'p-lefebvre', 'p-ouellet']) await snoop(id);
    expect((await incidents()).filter((i) => i.kind === 'REPEATED_DENIALS')).toHaveLength(before);
    await snoop('p-dion');
    const after = (await incidents()).filter((i) => i.kind === 'REPEATED_DENIALS');
    expect(after).toHaveLength(before + 1);
    expect(after[0]?.description).toMatch(/e-nguyen/);
    for (const id of ['p-ouellet', 'p-dion']) await snoop(id);
    expect((await incidents()).filter((i) => i.kind === 'REPEATED_DENIALS')).toHaveLength(before + 1);
    // Denials of another kind (ROLE) do not count.
    for (let i = 0; i < 6; i += 1) await system.query('{ patient(id: "p-caron") { balance } }', undefined, { as: 'nurse.gagnon' });
    expect((await incidents()).filter((i) => i.kind === 'REPEATED_DENIALS')).toHaveLength(before + 1);
  });

  it('keeps the register the law asks for: reported, updated, read by the privacy officer only', async () => {
    const reported = await system.query<{ reportIncident: IncidentRow }>(
      `mutation($input: IncidentInput!) { reportIncident(input: $input) { id kind description categories personsConcerned seriousRisk measures status } }`,
      { input: { description: 'A printed schedule was left in the waiting room.', occurredAt: '2026-11-20T09:00:00-05:00', categories: ['IDENTITY', 'SCHEDULE'], personsConcerned: 12, seriousRisk: false, measures: 'Schedules are no longer printed.' } },
      { as: 'privacy.fortin' },
    );
    expect(reported.errors).toBeUndefined();
    expect(reported.data?.reportIncident).toMatchObject({ kind: 'MANUAL', categories: ['IDENTITY', 'SCHEDULE'], personsConcerned: 12, seriousRisk: false, status: 'OPEN' });
    const id = reported.data?.reportIncident.id;

    const updated = await system.query<{ updateIncident: IncidentRow }>(
      'mutation($id: ID!, $input: IncidentUpdateInput!) { updateIncident(id: $id, input: $input) { id caiNotifiedAt personsNotifiedAt status measures } }',
      { id, input: { caiNotifiedAt: '2026-11-22T10:00:00-05:00', personsNotifiedAt: '2026-11-23', status: 'NOTIFIED' } },
      { as: 'privacy.fortin' },
    );
    expect(updated.data?.updateIncident).toMatchObject({ caiNotifiedAt: '2026-11-22T15:00:00.000Z', personsNotifiedAt: '2026-11-23T00:00:00.000Z', status: 'NOTIFIED', measures: 'Schedules are no longer printed.' });
    expect((await incidents()).find((i) => i.id === id)).toMatchObject({ status: 'NOTIFIED', personsConcerned: 12 });

    for (const [input, field] of [[{ status: 'SOLVED' }, 'status'], [{ caiNotifiedAt: 'yesterday' }, 'caiNotifiedAt'], [{ personsConcerned: -1 }, 'personsConcerned'], [{ categories: ['bad category'] }, 'categories']] as const) {
      const res = await system.query('mutation($id: ID!, $input: IncidentUpdateInput!) { updateIncident(id: $id, input: $input) { id } }', { id, input }, { as: 'privacy.fortin' });
      expect(res.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const unknown = await system.query('mutation { updateIncident(id: "inc-nope", input: { status: "CLOSED" }) { id } }', undefined, { as: 'privacy.fortin' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const who of ['dr.tremblay', 'hr.lavoie', 'manager.girard', 'patient.caron']) {
      expectDecision(await system.query('{ incidents { id } }', undefined, { as: who, mfa: true }), ['incidents'], 'ROLE');
      expectDecision(await system.query('mutation { reportIncident(input: { description: "x" }) { id } }', undefined, { as: who, mfa: true }), ['reportIncident'], 'ROLE');
    }
  });
});
