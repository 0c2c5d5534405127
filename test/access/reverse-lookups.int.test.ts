import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audienceByOrigin, signedFetch } from '@clinic/service-kit';
import { CLINIC_POLICY, demoUsers, explainDecision, RECORD_KEY, RequestPolicy } from '@clinic/gateway';
import { createHttpPolicyClient } from '../../gateway/src/policy/policy-client.js';
import { testBackends } from '../support/backends.js';
import { SIGNING_SECRET, startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';

// Issue 15: the reverse questions agree with policy:explain (explainDecision on each reader's own
// facts, looked up reader by reader as a request would) for every demo user and patient.

const PATIENT_FIELDS = CLINIC_POLICY.coordinates.filter((c) => c.startsWith('Patient.'));
const WHO = 'query($p: ID!, $f: String!) { whoCanRead(patientId: $p, field: $f) { readerId role needsMfa why } }';
const READABLE = 'query($e: ID!) { readableBy(employeeId: $e) { patientId fields fieldsNeedingMfa why { field steps } } }';
const JUSTIFICATION = 'Patient collapsed at the pharmacy, allergies needed now.';

describe.each(testBackends())('the reverse look-ups on %s', (backend) => {
  let system: ClinicSystem;
  const now = new Date();
  /** `${readerId} ${patientId} ${field}` → allowed with MFA, and whether it needs it, by explainDecision. */
  const expected = new Map<string, { allowed: boolean; needsMfa: boolean }>();
  const patients = demoUsers().filter((u) => u.role === 'PATIENT').map((u) => u.id);

  beforeAll(async () => {
    system = await startClinicSystem({ backend, clock: () => now });
    // An emergency access, so that one duty comes from the audit store.
    const opened = await system.query('mutation($p: ID!, $j: String!) { openEmergencyAccess(patientId: $p, justification: $j) { id } }', { p: 'p-dion', j: JUSTIFICATION }, { as: 'nurse.bouchard' });
    expect(opened.errors).toBeUndefined();
    const client = createHttpPolicyClient(system.gatewaySubgraphUrls(), 10_000, signedFetch(SIGNING_SECRET, { audience: audienceByOrigin(system.gatewaySubgraphUrls()) }));
    for (const user of demoUsers()) {
      if (user.role !== 'PATIENT') {
        const status = await client.employeeStatus(user.id, now);
        if (!status.active) continue; // their tokens are refused: they read nothing
      }
      for (const mfa of [true, false]) {
        const policy = new RequestPolicy(CLINIC_POLICY, { id: user.id, role: user.role, mfa }, now, client, (id, at) => system.gateway.auditStore.emergencyAccess.openFor(id, at));
        for (const patientId of patients) {
          for (const field of PATIENT_FIELDS) {
            const { decision } = await explainDecision(policy, field, { [RECORD_KEY]: patientId }, {});
            const key = `${user.id} ${patientId} ${field}`;
            const seen = expected.get(key);
            if (mfa) expected.set(key, { allowed: decision.allow, needsMfa: false });
            else if (seen?.allowed && !decision.allow) expected.set(key, { allowed: true, needsMfa: true });
          }
        }
      }
    }
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
  });

  it('whoCanRead names exactly the readers explainDecision allows, for every demo patient and field, with a fixed number of look-ups', async () => {
    for (const patientId of patients) {
      for (const field of PATIENT_FIELDS) {
        const before = system.policyRequests();
        const res = await system.query<{ whoCanRead: { readerId: string; needsMfa: boolean; why: string[] }[] }>(WHO, { p: patientId, f: field }, { as: 'privacy.fortin' });
        expect(res.errors, `${patientId} ${field}`).toBeUndefined();
        const after = system.policyRequests();
        // The roster, every reader's facts in one call, and whether the patient exists: never one per employee.
        expect(after.patient + after.employee - before.patient - before.employee).toBeLessThanOrEqual(4);
        const got = (res.data?.whoCanRead ?? []).map((r) => `${r.readerId}${r.needsMfa ? ' mfa' : ''}`).sort();
        const want = [...expected.entries()]
          .filter(([key, d]) => d.allowed && key.endsWith(` ${patientId} ${field}`))
          .map(([key, d]) => `${key.split(' ')[0]}${d.needsMfa ? ' mfa' : ''}`)
          .sort();
        expect(got, `${patientId} ${field}`).toEqual(want);
        for (const r of res.data?.whoCanRead ?? []) expect(r.why.length).toBeGreaterThan(0);
      }
    }
  }, 120_000);

  it('readableBy lists exactly the patients and fields explainDecision allows, for every demo employee', async () => {
    for (const user of demoUsers().filter((u) => u.role !== 'PATIENT')) {
      const res = await system.query<{ readableBy: { patientId: string; fields: string[]; fieldsNeedingMfa: string[] }[] }>(READABLE, { e: user.id }, { as: 'privacy.fortin' });
      expect(res.errors, user.username).toBeUndefined();
      const got = (res.data?.readableBy ?? []).flatMap((p) => p.fields.map((f) => `${user.id} ${p.patientId} ${f}${p.fieldsNeedingMfa.includes(f) ? ' mfa' : ''}`)).sort();
      const want = [...expected.entries()]
        .filter(([key, d]) => d.allowed && key.startsWith(`${user.id} `))
        .map(([key, d]) => `${key}${d.needsMfa ? ' mfa' : ''}`)
        .sort();
      expect(got, user.username).toEqual(want);
    }
    // The demo cases behind it: the emergency access and the referral are named as the reason.
    const bouchard = await system.query<{ readableBy: { patientId: string; why: { field: string; steps: string[] }[] }[] }>(READABLE, { e: 'e-bouchard' }, { as: 'privacy.fortin' });
    const dion = bouchard.data?.readableBy.find((p) => p.patientId === 'p-dion');
    expect(dion?.why.find((w) => w.field === 'Patient.allergies')?.steps.join('\n')).toMatch(/emergency access/);
  });

  it('is the privacy officer\'s only, and refuses bad input', async () => {
    const nurse = await system.query(WHO, { p: 'p-caron', f: 'Patient.allergies' }, { as: 'nurse.gagnon' });
    expect(nurse.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE' });
    const badField = await system.query(WHO, { p: 'p-caron', f: 'Patient.nothing' }, { as: 'privacy.fortin' });
    expect(badField.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badPatient = await system.query(WHO, { p: 'p-nobody', f: 'Patient.allergies' }, { as: 'privacy.fortin' });
    expect(badPatient.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
