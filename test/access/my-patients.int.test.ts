import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { expectDecision } from '../support/access-cases.js';

const WARD_BOARD = '{ myPatients { id lastName allergies medications { name } vitals { kind value } } }';
type Board = { myPatients: { id: string; lastName: string; allergies: string[] | null }[] };
const idsOf = (board: Board | null | undefined) => (board?.myPatients ?? []).map((p) => p.id).sort();
const reasonsOf = (errors: { extensions?: Record<string, unknown> }[] | undefined) => (errors ?? []).map((e) => e.extensions?.reason);

describe.each(testBackends())('Query.myPatients, the ward board, on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it("lists a nurse's assigned patients (open assignments only), with their clinical data and no refusal", async () => {
    const board = await system.query<Board>(WARD_BOARD, undefined, { as: 'nurse.gagnon' });
    // e-gagnon: p-lefebvre and p-caron assigned; p-ouellet's assignment ended 30 days ago.
    expect(idsOf(board.data)).toEqual(['p-caron', 'p-lefebvre']);
    // No duty refusal; a restriction of the demo clinic hides one patient's medications from nurses (RESTRICTED).
    expect(reasonsOf(board.errors).filter((r) => r !== 'RESTRICTED')).toEqual([]);
    expect(board.data?.myPatients.every((p) => Array.isArray(p.allergies))).toBe(true);
  });

  it("lists a physician's patients of record and today's appointments, a consultant's referrals", async () => {
    // e-nguyen: physician of record of p-bergeron, appointment a-1 with p-caron today.
    expect(idsOf((await system.query<Board>(WARD_BOARD, undefined, { as: 'dr.nguyen' })).data)).toEqual(['p-bergeron', 'p-caron']);
    // e-pelletier: active referral of p-ouellet (his appointment with her is in 14 days).
    const consultant = await system.query<Board>(WARD_BOARD, undefined, { as: 'consult.pelletier' });
    expect(idsOf(consultant.data)).toEqual(['p-ouellet']);
    expect(consultant.errors).toBeUndefined();
  });

  it('adds the patient of an open emergency access, and no more', async () => {
    expect(idsOf((await system.query<Board>(WARD_BOARD, undefined, { as: 'nurse.bouchard' })).data)).toEqual(['p-caron']);
    const opened = await system.query('mutation { openEmergencyAccess(patientId: "p-dion", justification: "Unconscious on arrival, allergies unknown") { id } }', undefined, { as: 'nurse.bouchard' });
    expect(opened.errors).toBeUndefined();
    const board = await system.query<Board>(WARD_BOARD, undefined, { as: 'nurse.bouchard' });
    expect(idsOf(board.data)).toEqual(['p-caron', 'p-dion']);
    expect(reasonsOf(board.errors)).not.toContain('NO_DUTY');
  });

  it('is refused to roles without duties (ROLE), and answers fields outside the role with ROLE, never NO_DUTY', async () => {
    expectDecision(await system.query(WARD_BOARD, undefined, { as: 'reception.roy' }), ['myPatients'], 'ROLE');
    expectDecision(await system.query(WARD_BOARD, undefined, { as: 'patient.caron' }), ['myPatients'], 'ROLE');
    const withBalance = await system.query<Board>('{ myPatients { id balance } }', undefined, { as: 'nurse.gagnon' });
    expect(idsOf(withBalance.data)).toEqual(['p-caron', 'p-lefebvre']);
    expect(new Set(reasonsOf(withBalance.errors))).toEqual(new Set(['ROLE']));
  });

  it('loaded again and again, writes no NO_DUTY denial and opens no incident', async () => {
    const incidentsBefore = (await system.query<{ incidents: { kind: string }[] }>('{ incidents { kind } }', undefined, { as: 'privacy.fortin' })).data?.incidents.length;
    for (let i = 0; i < 6; i += 1) {
      const board = await system.query<Board>(WARD_BOARD, undefined, { as: 'nurse.gagnon' });
      expect(reasonsOf(board.errors)).not.toContain('NO_DUTY');
    }
    const log = await system.query<{ auditLog: { decision: string; reason: string | null }[] }>('{ auditLog(actorId: "e-gagnon", first: 100) { decision reason } }', undefined, { as: 'privacy.fortin' });
    expect(log.data?.auditLog.length).toBeGreaterThan(0);
    expect(log.data?.auditLog.filter((e) => e.reason === 'NO_DUTY')).toEqual([]);
    const incidentsAfter = (await system.query<{ incidents: { kind: string }[] }>('{ incidents { kind } }', undefined, { as: 'privacy.fortin' })).data?.incidents.length;
    expect(incidentsAfter).toBe(incidentsBefore);
  });

  it('asks the patient subgraph once for the whole board, whatever the number of patients', async () => {
    const before = system.subgraphRequests().patient;
    await system.query(WARD_BOARD, undefined, { as: 'dr.tremblay' });
    expect(system.subgraphRequests().patient - before).toBe(1);
  });
});
