import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { jwtVerify } from 'jose';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CLINIC_POLICY, DEV_AUDIENCE, DEV_ISSUER, loadOrCreateDevKeys } from '@clinic/gateway';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'clinic-tools-'));
const tsx = (script: string, args: string[]) =>
  run(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, timeout: 60_000 });

// Each case starts a Node process (a few seconds on a busy machine).
vi.setConfig({ testTimeout: 90_000 });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm run policy:explain', () => {
  it('prints the chain of rules that refuses a restricted field', async () => {
    const { stdout } = await tsx('scripts/policy-explain.ts', ['nurse.gagnon', 'p-lefebvre', 'Patient.diagnoses']);
    expect(stdout).toContain('mayRead(CLINICAL of the patient): allow: duty toward the patient: open care assignment (ASSIGNED_NURSE)');
    expect(stdout).toContain('DENY (RESTRICTED): restriction r-1 names the reader for Patient.diagnoses');
    expect(stdout.trim().split('\n').at(-1)).toBe('decision: DENY (RESTRICTED)');
    // The version of the rules that decides, as every audit event and the access matrix record it.
    expect(stdout).toContain(`rules version: ${CLINIC_POLICY.version}`);
  });

  it('allows with MFA what it refuses without, and refuses a former employee outright', async () => {
    expect((await tsx('scripts/policy-explain.ts', ['dr.tremblay', 'p-lefebvre', 'Patient.clinicalNotes', '--mfa'])).stdout).toMatch(/decision: ALLOW\n?$/);
    expect((await tsx('scripts/policy-explain.ts', ['dr.tremblay', 'p-lefebvre', 'Patient.clinicalNotes'])).stdout).toMatch(/decision: DENY \(MFA_REQUIRED\)\n?$/);
    expect((await tsx('scripts/policy-explain.ts', ['nurse.leblanc', 'p-bergeron', 'Patient.allergies'])).stdout).toMatch(/decision: DENY \(UNAUTHENTICATED\)\n?$/);
  });

  it("explains a former employee's record as the gateway decides it: HR's only, with two-factor authentication (seed 002)", async () => {
    const former = await tsx('scripts/policy-explain.ts', ['manager.girard', 'e-leblanc', 'Employee.hireDate']);
    expect(former.stdout).toContain("formerEmployeesReadOnlyBy(HR, with MFA): DENY (ROLE): a former employee's record is read only by HR");
    expect(former.stdout).toMatch(/decision: DENY \(ROLE\)\n?$/);
    expect((await tsx('scripts/policy-explain.ts', ['manager.girard', 'e-roy', 'Employee.hireDate'])).stdout).toMatch(/decision: ALLOW\n?$/);
    expect((await tsx('scripts/policy-explain.ts', ['hr.lavoie', 'e-leblanc', 'Employee.homeAddress'])).stdout).toMatch(/decision: DENY \(MFA_REQUIRED\)\n?$/);
    expect((await tsx('scripts/policy-explain.ts', ['hr.lavoie', 'e-leblanc', 'Employee.homeAddress', '--mfa'])).stdout).toMatch(/decision: ALLOW\n?$/);
  });

  it('refuses an unknown field with its usage', async () => {
    await expect(tsx('scripts/policy-explain.ts', ['dr.tremblay', 'p-caron', 'Patient.shoeSize'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('no rule for Patient.shoeSize') });
  });
});

describe('npm run token', () => {
  it('prints a token the gateway trusts, with sub, role and amr', async () => {
    const { stdout } = await tsx('scripts/token.ts', ['dr.tremblay', '--mfa']);
    const { publicKey } = await loadOrCreateDevKeys(dataDir);
    const { payload } = await jwtVerify(stdout.trim(), publicKey, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
    expect(payload).toMatchObject({ sub: 'e-tremblay', role: 'PHYSICIAN', amr: ['pwd', 'mfa'] });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
  });

  it('refuses an unknown user', async () => {
    await expect(tsx('scripts/token.ts', ['nobody'])).rejects.toMatchObject({ code: 2 });
  });
});
