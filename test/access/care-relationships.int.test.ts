import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { expectDecision } from '../support/access-cases.js';

// Issue 15: care relationships that begin and end, on the gateway's injected clock (the subgraph
// stamps each change with the gateway's request clock, carried in the signed request-time header).

const DAY = 86_400_000;
const LIFETIME_DAYS = 365;
const OPEN_ASSIGNMENT = 'mutation($p: ID!, $e: ID!, $k: String!) { openCareAssignment(input: { patientId: $p, employeeId: $e, kind: $k }) { id kind since until lapsesAt employee { id } } }';
const RENEW_ASSIGNMENT = 'mutation($p: ID!, $id: ID!) { renewCareAssignment(patientId: $p, id: $id) { id lapsesAt } }';
const END_ASSIGNMENT = 'mutation($p: ID!, $id: ID!) { endCareAssignment(patientId: $p, id: $id) { id until lapsesAt } }';
const OPEN_REFERRAL = 'mutation($p: ID!, $c: ID!, $r: String!) { openReferral(input: { patientId: $p, consultantId: $c, reason: $r }) { id patientId reason since until consultant { id } referredBy { id } } }';
const END_REFERRAL = 'mutation($p: ID!, $id: ID!) { endReferral(patientId: $p, id: $id) { id until } }';
const ALLERGIES = 'query($p: ID!) { patient(id: $p) { allergies } }';

describe.each(testBackends())('care relationships that begin and end on %s', (backend) => {
  let system: ClinicSystem;
  let now = new Date();
  const advanceDays = (days: number) => {
    now = new Date(now.getTime() + days * DAY);
  };
  beforeAll(async () => {
    system = await startClinicSystem({ backend, clock: () => now });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const allergiesOf = (patientId: string, as: string) => system.query(ALLERGIES, { p: patientId }, { as });
  const auditedMutations = async (patientId: string) => {
    const res = await system.query<{ auditLog: { operationName: string | null; fields: string[]; decision: string; actorId: string }[] }>(
      'query($p: ID!) { auditLog(patientId: $p, first: 100) { operationName fields decision actorId } }',
      { p: patientId },
      { as: 'privacy.fortin' },
    );
    expect(res.errors).toBeUndefined();
    return (res.data?.auditLog ?? []).flatMap((e) => e.fields.filter((f) => f.startsWith('Mutation.')).map((f) => `${f} ${e.decision} ${e.actorId}`));
  };

  it('renewing restarts the lifetime; ending it removes the duty on the next request', async () => {
    const opened = await system.query<{ openCareAssignment: { id: string } }>(OPEN_ASSIGNMENT, { p: 'p-caron', e: 'e-leblanc', k: 'ASSIGNED_NURSE' }, { as: 'dr.tremblay' });
    expect(opened.errors).toBeUndefined();
    const id = opened.data?.openCareAssignment.id ?? '';
    const renewed = await system.query<{ renewCareAssignment: { lapsesAt: string } }>(RENEW_ASSIGNMENT, { p: 'p-caron', id }, { as: 'dr.tremblay' });
    expect(renewed.errors).toBeUndefined();
    const ended = await system.query<{ endCareAssignment: { until: string | null; lapsesAt: string | null } }>(END_ASSIGNMENT, { p: 'p-caron', id }, { as: 'privacy.fortin' });
    expect(ended.errors).toBeUndefined();
    expect(ended.data?.endCareAssignment.until ?? null).not.toBeNull();
    expect(ended.data?.endCareAssignment.lapsesAt).toBeNull();
    const again = await system.query(END_ASSIGNMENT, { p: 'p-caron', id }, { as: 'privacy.fortin' });
    expect(again.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await auditedMutations('p-caron')).toEqual(
      expect.arrayContaining(['Mutation.openCareAssignment ALLOW e-tremblay', 'Mutation.renewCareAssignment ALLOW e-tremblay', 'Mutation.endCareAssignment ALLOW e-fortin']),
    );
  });

  it('refuses who the rules file refuses, and logs the refusal under the patient', async () => {
    // A physician without duty cannot give themself one.
    const selfAssigned = await system.query(OPEN_ASSIGNMENT, { p: 'p-bergeron', e: 'e-tremblay', k: 'PHYSICIAN_OF_RECORD' }, { as: 'dr.tremblay' });
    expectDecision(selfAssigned, ['openCareAssignment'], 'NO_DUTY');
    // A nurse does not assign; the privacy officer ends relationships but does not open them.
    expectDecision(await system.query(OPEN_ASSIGNMENT, { p: 'p-caron', e: 'e-bouchard', k: 'ASSIGNED_NURSE' }, { as: 'nurse.gagnon' }), ['openCareAssignment'], 'ROLE');
    expectDecision(await system.query(OPEN_ASSIGNMENT, { p: 'p-caron', e: 'e-bouchard', k: 'ASSIGNED_NURSE' }, { as: 'privacy.fortin' }), ['openCareAssignment'], 'ROLE');
    expectDecision(await system.query(OPEN_REFERRAL, { p: 'p-caron', c: 'e-pelletier', r: 'Dermatology' }, { as: 'reception.roy' }), ['openReferral'], 'ROLE');
    expect(await auditedMutations('p-bergeron')).toContain('Mutation.openCareAssignment DENY e-tremblay');
  });

  it('opening a referral gives the consultant access on the next request; ending it removes it', async () => {
    expectDecision(await allergiesOf('p-caron', 'consult.pelletier'), ['patient', 'allergies'], 'NO_DUTY');
    const opened = await system.query<{ openReferral: { id: string; patientId: string; until: string; consultant: { id: string }; referredBy: { id: string } } }>(
      OPEN_REFERRAL,
      { p: 'p-caron', c: 'e-pelletier', r: 'Dermatology opinion' },
      { as: 'dr.tremblay' },
    );
    expect(opened.errors).toBeUndefined();
    expect(opened.data?.openReferral).toMatchObject({ patientId: 'p-caron', consultant: { id: 'e-pelletier' }, referredBy: { id: 'e-tremblay' } });
    expectDecision(await allergiesOf('p-caron', 'consult.pelletier'), ['patient', 'allergies'], 'allow');

    const ended = await system.query(END_REFERRAL, { p: 'p-caron', id: opened.data?.openReferral.id ?? '' }, { as: 'dr.tremblay' });
    expect(ended.errors).toBeUndefined();
    expectDecision(await allergiesOf('p-caron', 'consult.pelletier'), ['patient', 'allergies'], 'NO_DUTY');
    expect(await auditedMutations('p-caron')).toEqual(expect.arrayContaining(['Mutation.openReferral ALLOW e-tremblay', 'Mutation.endReferral ALLOW e-tremblay']));
  });

  it('refuses an id of another patient as bad input', async () => {
    const res = await system.query(END_REFERRAL, { p: 'p-lefebvre', id: '1' }, { as: 'privacy.fortin' });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  // Last: it moves the clock a year on, past every demo physician's last renewal.
  it('an assignment opened by reception gives the nurse duty on the next request, and lapses a lifetime later unless renewed', async () => {
    expectDecision(await allergiesOf('p-lefebvre', 'nurse.bouchard'), ['patient', 'allergies'], 'NO_DUTY');
    const opened = await system.query<{ openCareAssignment: { id: string; kind: string; since: string; until: string | null; lapsesAt: string; employee: { id: string } } }>(
      OPEN_ASSIGNMENT,
      { p: 'p-lefebvre', e: 'e-bouchard', k: 'ASSIGNED_NURSE' },
      { as: 'reception.roy' },
    );
    expect(opened.errors).toBeUndefined();
    const assignment = opened.data?.openCareAssignment;
    if (!assignment) throw new Error('no assignment');
    expect(assignment).toMatchObject({ kind: 'ASSIGNED_NURSE', until: null, employee: { id: 'e-bouchard' } });
    expect(new Date(assignment.lapsesAt).getTime() - new Date(assignment.since).getTime()).toBe(LIFETIME_DAYS * DAY);
    expect(await auditedMutations('p-lefebvre')).toContain('Mutation.openCareAssignment ALLOW e-roy');

    expectDecision(await allergiesOf('p-lefebvre', 'nurse.bouchard'), ['patient', 'allergies'], 'allow');
    advanceDays(LIFETIME_DAYS - 1);
    expectDecision(await allergiesOf('p-lefebvre', 'nurse.bouchard'), ['patient', 'allergies'], 'allow');
    advanceDays(2);
    // Nobody renewed it: the duty ended on this request, with no job run in between.
    expectDecision(await allergiesOf('p-lefebvre', 'nurse.bouchard'), ['patient', 'allergies'], 'NO_DUTY');
    // A lapsed assignment cannot be renewed; a new one is opened instead.
    const renewLapsed = await system.query(RENEW_ASSIGNMENT, { p: 'p-lefebvre', id: assignment.id }, { as: 'reception.roy' });
    expect(renewLapsed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
