import { describe, expect, it } from 'vitest';
import type { Role } from '@clinic/schema';
import { isAuthenticated, isOneOf } from './checks.js';
import { compilePolicy, OPENS_EMERGENCY_ACCESS } from './compiled-policy.js';
import type { PolicyClient } from './policy-client.js';
import { RequestPolicy } from './request-policy.js';

const [type = '', field = ''] = OPENS_EMERGENCY_ACCESS.split('.');
const compiled = compilePolicy({ [type]: { [field]: [isAuthenticated, isOneOf(['NURSE'])] } }, {});
const ACCESS = { id: 'ea-1', patientId: 'p-1', expiresAt: new Date('2026-12-01T12:00:00Z') };

function policyOf(role: Role) {
  const lookups: string[] = [];
  const policy = new RequestPolicy(compiled, { id: `e-${role}`, role, mfa: false }, new Date('2026-12-01T11:00:00Z'), {} as PolicyClient, async (readerId) => {
    lookups.push(readerId);
    return [ACCESS];
  });
  return { policy, lookups };
}

describe('the emergency accesses of a request', () => {
  it('are looked up once for a reader the rules let break the glass', async () => {
    const { policy, lookups } = policyOf('NURSE');
    expect(policy.emergency).toBeUndefined();
    expect([...(await policy.loadEmergency()).keys()]).toEqual(['p-1']);
    await policy.loadEmergency();
    expect(lookups).toEqual(['e-NURSE']);
  });

  it('are none, with no look-up, for a reader the rules never let open one', async () => {
    const { policy, lookups } = policyOf('RECEPTIONIST');
    expect(policy.emergency?.size).toBe(0);
    expect((await policy.loadEmergency()).size).toBe(0);
    policy.forgetEmergencyAccesses();
    expect(policy.emergency?.size).toBe(0);
    expect(lookups).toEqual([]);
  });
});
