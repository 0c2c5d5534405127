import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessRecorder } from './audit/access-recorder.js';
import { openAuditStore, type AuditStore } from './audit-store/audit-store.js';
import type { GatewayContext } from './context.js';
import type { PolicyClient, SubgraphRetentionRun } from './policy/policy-client.js';
import { retentionResolvers, totalsOf } from './retention-schema.js';

type Resolver = (parent: unknown, args: unknown, context: GatewayContext) => Promise<unknown>;

const at = new Date('2026-01-15T15:00:00Z');
const patientRun: SubgraphRetentionRun = {
  applied: [
    { rule: 'MEDICAL_RECORD_5_YEARS', itemKind: 'DOCUMENT', action: 'DESTROY', count: 2 },
    { rule: 'MEDICAL_RECORD_5_YEARS', itemKind: 'CLINICAL_NOTE', action: 'DESTROY', count: 1 },
  ],
  patientIds: ['p-one', 'p-two'],
};

/** A policy client whose retention calls are answered by `apply`; nothing else is used here. */
const policyWith = (apply: PolicyClient['applyRetention']) => ({ applyRetention: apply }) as unknown as PolicyClient;
const contextAt = (now: Date) =>
  ({ requestId: 'r-1', access: { viewer: { id: 'e-officer', role: 'PRIVACY_OFFICER', mfa: true }, now }, withheld: [], audit: new AccessRecorder() }) as unknown as GatewayContext;

describe('the retention run kept by the gateway', () => {
  let dir: string;
  let store: AuditStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'retention-'));
    store = await openAuditStore({ target: { kind: 'sqlite', file: join(dir, 'audit.sqlite') } });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes what each subgraph destroyed, by whom and when, and the patients concerned to the audit recorder only', async () => {
    const resolvers = retentionResolvers({ store, policy: policyWith(async (subgraph) => (subgraph === 'patient' ? patientRun : { applied: [], patientIds: [] })) });
    const context = contextAt(at);
    const run = (await (resolvers.Mutation as Record<string, Resolver>).applyRetention?.(undefined, {}, context)) as { status: string; records: Record<string, unknown>[] };
    expect(run.status).toBe('COMPLETED');
    expect(run.records.map((r) => [r.source, r.rule, r.itemKind, r.itemCount, r.destroyedBy, r.destroyedByRole, (r.destroyedAt as Date).toISOString()])).toEqual([
      ['patient', 'MEDICAL_RECORD_5_YEARS', 'CLINICAL_NOTE', 1, 'e-officer', 'PRIVACY_OFFICER', at.toISOString()],
      ['patient', 'MEDICAL_RECORD_5_YEARS', 'DOCUMENT', 2, 'e-officer', 'PRIVACY_OFFICER', at.toISOString()],
    ]);
    expect(context.audit.patients.sort()).toEqual(['p-one', 'p-two']);
    expect(JSON.stringify(run)).not.toContain('p-one');
  });

  it('marks a run FAILED when a subgraph does not answer, keeping the records of what was done before', async () => {
    const later = new Date(at.getTime() + 60_000);
    const resolvers = retentionResolvers({
      store,
      policy: policyWith(async (subgraph) => {
        if (subgraph === 'employee') throw new Error('employee subgraph unreachable');
        return patientRun;
      }),
    });
    await expect((resolvers.Mutation as Record<string, Resolver>).applyRetention?.(undefined, {}, contextAt(later))).rejects.toThrow(/stopped at the employee subgraph/);
    const [latest] = await store.destructions.runs(1);
    expect(latest).toMatchObject({ status: 'FAILED', startedAt: later, finishedAt: later });
    expect((await store.destructions.recordsOf(latest?.id ?? '')).map((r) => r.source)).toEqual(['patient', 'patient']);
  });

  it('counts the items due per rule and kind', () => {
    const item = (rule: string, itemKind: string, itemId: string) => ({ rule, itemKind, itemId, ownerId: null, dueSince: at.toISOString() });
    expect(totalsOf([item('A', 'DOCUMENT', '1'), item('B', 'ADDRESS', '2'), item('A', 'DOCUMENT', '3'), item('A', 'NOTE', '4')])).toEqual([
      { rule: 'A', itemKind: 'DOCUMENT', count: 2 },
      { rule: 'B', itemKind: 'ADDRESS', count: 1 },
      { rule: 'A', itemKind: 'NOTE', count: 1 },
    ]);
  });
});
