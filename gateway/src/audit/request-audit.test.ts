import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../audit-store/audit-log.js';
import { requestFacts } from '../request-facts.js';
import type { OpenEmergencyAccess } from '../policy/checks.js';
import { allow, deny } from '../policy/verdict.js';
import { RequestAudit } from './request-audit.js';

function recorder(emergency: ReadonlyMap<string, OpenEmergencyAccess> = new Map()) {
  const written: AuditEntry[] = [];
  const request = requestFacts({ viewer: { id: 'e-roy', role: 'RECEPTIONIST', mfa: false }, now: new Date('2026-12-01T12:00:00Z'), requestId: 'r-1', clientName: 'desk' });
  const audit = new RequestAudit(request, { append: async (entries) => void written.push(...entries) }, async () => emergency);
  return { audit, written };
}

describe("a request's audit recorder", () => {
  it('writes one event per decision group, whatever the order each patient recorded its fields in', async () => {
    const { audit, written } = recorder();
    const allowed = allow('every check passed');
    for (const id of ['p-1', 'p-2', 'p-3']) for (const field of ['Patient.lastName', 'Patient.phone']) audit.record(id, field, allowed);
    for (const field of ['Patient.phone', 'Patient.lastName']) audit.record('p-4', field, allowed);
    // A refusal overrides an allowance of the same field: p-5 ends with its name allowed and its phone refused.
    audit.record('p-5', 'Patient.phone', allowed);
    audit.record('p-5', 'Patient.lastName', allowed);
    audit.record('p-5', 'Patient.phone', deny('RESTRICTED', 'restricted'));
    audit.record('p-6', 'Patient.lastName', allowed);
    await audit.flush('List');
    expect(written.map((e) => [e.decision, e.reason, e.fields, e.patientIds])).toEqual([
      ['ALLOW', null, ['Patient.lastName', 'Patient.phone'], ['p-1', 'p-2', 'p-3', 'p-4']],
      ['ALLOW', null, ['Patient.lastName'], ['p-5', 'p-6']],
      ['DENY', 'RESTRICTED', ['Patient.phone'], ['p-5']],
    ]);
  });

  it('keeps apart patients read under an emergency access, and a field allowed again after its refusal', async () => {
    const access = { id: 'ea-1', patientId: 'p-2', expiresAt: new Date('2026-12-01T16:00:00Z') };
    const { audit, written } = recorder(new Map([['p-2', access]]));
    const allowed = allow('every check passed');
    for (const id of ['p-1', 'p-2', 'p-3']) for (const field of ['Patient.lastName', 'Patient.phone']) audit.record(id, field, allowed);
    audit.record('p-3', 'Patient.phone', deny('RESTRICTED', 'restricted'));
    audit.record('p-3', 'Patient.phone', allowed);
    await audit.flush('List');
    expect(written.map((e) => [e.decision, e.reason, e.fields, e.emergencyAccessId, e.patientIds])).toEqual([
      ['ALLOW', null, ['Patient.lastName', 'Patient.phone'], null, ['p-1', 'p-3']],
      ['ALLOW', null, ['Patient.lastName', 'Patient.phone'], 'ea-1', ['p-2']],
      ['DENY', 'RESTRICTED', ['Patient.phone'], null, ['p-3']],
    ]);
  });
});
