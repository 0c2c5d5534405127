import { describe, expect, it } from 'vitest';
import { auditEntries, type RequestFacts } from './audit-entries.js';
import type { AccessGroup } from './access-recorder.js';

const facts: RequestFacts = { viewer: { id: 'e-roy', role: 'RECEPTIONIST', mfa: false }, operationName: 'List', clientName: 'desk', requestId: 'req-1' };
const allow = (patientId: string, fields: string[]): AccessGroup => ({ patientId, decision: 'ALLOW', reason: null, fields });
const deny = (patientId: string, reason: AccessGroup['reason'], fields: string[]): AccessGroup => ({ patientId, decision: 'DENY', reason, fields });

describe('audit entries of a request', () => {
  it('are one per decision group: patients with the same decision, reason, fields and emergency access share one entry', () => {
    const groups = [
      allow('p-1', ['Patient.lastName', 'Patient.phone']),
      allow('p-2', ['Patient.lastName']),
      deny('p-2', 'RESTRICTED', ['Patient.phone']),
      allow('p-3', ['Patient.lastName', 'Patient.phone']),
      deny('p-4', 'NO_DUTY', ['Patient.phone']),
      deny('p-5', 'RESTRICTED', ['Patient.phone']),
      allow('p-6', ['Patient.lastName', 'Patient.phone']),
    ];
    const entries = auditEntries(groups, facts, (id) => (id === 'p-6' ? 'ea-1' : null));
    expect(entries.map((e) => [e.decision, e.reason, e.fields, e.emergencyAccessId, e.patientIds])).toEqual([
      ['ALLOW', null, ['Patient.lastName', 'Patient.phone'], null, ['p-1', 'p-3']],
      ['ALLOW', null, ['Patient.lastName'], null, ['p-2']],
      ['DENY', 'RESTRICTED', ['Patient.phone'], null, ['p-2', 'p-5']],
      ['DENY', 'NO_DUTY', ['Patient.phone'], null, ['p-4']],
      ['ALLOW', null, ['Patient.lastName', 'Patient.phone'], 'ea-1', ['p-6']],
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({ actorId: 'e-roy', role: 'RECEPTIONIST', operationName: 'List', clientName: 'desk', requestId: 'req-1', clientRequestId: null });
    }
  });

  it('keep fields apart that only a joined string would confuse', () => {
    const entries = auditEntries([allow('p-1', ['A.b', 'C.d']), allow('p-2', ['A.b,C.d'])], facts, () => null);
    expect(entries.map((e) => e.patientIds)).toEqual([['p-1'], ['p-2']]);
  });

  it('cut the names the caller chooses to what the columns hold, never the ids', () => {
    const [entry] = auditEntries([allow('p-1', ['Patient.id'])], { ...facts, operationName: 'O'.repeat(300), clientName: 'c'.repeat(300), clientRequestId: 'r'.repeat(300) }, () => null);
    expect(entry?.operationName).toHaveLength(100);
    expect(entry?.clientName).toHaveLength(100);
    expect(entry?.clientRequestId).toHaveLength(100);
  });

  it('are none for a request that decided nothing', () => {
    expect(auditEntries([], facts, () => null)).toEqual([]);
  });
});
