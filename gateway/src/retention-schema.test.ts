import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphQLResolveInfo } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestAudit, type AuditSink } from './audit/request-audit.js';
import type { AuditEntry } from './audit-store/audit-log.js';
import { requestFacts } from './request-facts.js';
import { openAuditStore, type AuditStore } from './audit-store/audit-store.js';
import type { GatewayContext } from './context.js';
import type { PolicyClient, SubgraphRetentionRun } from './policy/policy-client.js';
import { retentionResolvers, totalsOf } from './retention-schema.js';

type Resolver = (parent: unknown, args: unknown, context: GatewayContext, info: GraphQLResolveInfo) => Promise<unknown>;
const info = { operation: { name: { value: 'Apply' } } } as unknown as GraphQLResolveInfo;

const at = new Date('2026-01-15T15:00:00Z');
const patientRun: SubgraphRetentionRun = {
  applied: [
    { rule: 'MEDICAL_RECORD_5_YEARS', itemKind: 'DOCUMENT', action: 'DESTROY', count: 2 },
    { rule: 'MEDICAL_RECORD_5_YEARS', itemKind: 'CLINICAL_NOTE', action: 'DESTROY', count: 1 },
  ],
  patientIds: ['p-one', 'p-two'],
};

const due = (patientId: string) => ({ rule: 'MEDICAL_RECORD_5_YEARS', itemKind: 'DOCUMENT', itemId: `d-${patientId}`, ownerId: patientId, dueSince: at.toISOString() });

/** A policy client whose retention calls are answered by `apply` (p-one and p-two have items due). */
const policyWith = (apply: PolicyClient['applyRetention']) =>
  ({
    applyRetention: apply,
    retentionReport: async () => ({ rules: [], due: [due('p-one'), due('p-two')], kept: [] }),
  }) as unknown as PolicyClient;

/** The audit events written ahead of the destruction, per patient. */
let writtenAhead: AuditEntry[] = [];
const recordingSink: AuditSink = {
  append: async (entries) => {
    writtenAhead.push(...entries);
  },
};
const contextAt = (now: Date, sink: AuditSink = recordingSink) => {
  const request = requestFacts({ viewer: { id: 'e-officer', role: 'PRIVACY_OFFICER', mfa: true }, now, requestId: 'r-1', clientName: null });
  return { request, audit: new RequestAudit(request, sink, async () => new Map()) } as unknown as GatewayContext;
};

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

  it('logs the patients concerned before destroying, then writes what each subgraph destroyed, by whom and when', async () => {
    writtenAhead = [];
    const resolvers = retentionResolvers({ store, policy: policyWith(async (subgraph) => (subgraph === 'patient' ? patientRun : { applied: [], patientIds: [] })) });
    const context = contextAt(at);
    const run = (await (resolvers.Mutation as Record<string, Resolver>).applyRetention?.(undefined, {}, context, info)) as { status: string; records: Record<string, unknown>[] };
    expect(run.status).toBe('COMPLETED');
    expect(run.records.map((r) => [r.source, r.rule, r.itemKind, r.itemCount, r.destroyedBy, r.destroyedByRole, (r.destroyedAt as Date).toISOString()])).toEqual([
      ['patient', 'MEDICAL_RECORD_5_YEARS', 'CLINICAL_NOTE', 1, 'e-officer', 'PRIVACY_OFFICER', at.toISOString()],
      ['patient', 'MEDICAL_RECORD_5_YEARS', 'DOCUMENT', 2, 'e-officer', 'PRIVACY_OFFICER', at.toISOString()],
    ]);
    expect(writtenAhead.map((e) => [e.patientIds, e.decision, e.reason, e.fields, e.actorId, e.operationName])).toEqual([
      [['p-one'], 'ALLOW', null, ['Mutation.applyRetention'], 'e-officer', 'Apply'],
      [['p-two'], 'ALLOW', null, ['Mutation.applyRetention'], 'e-officer', 'Apply'],
    ]);
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
    await expect((resolvers.Mutation as Record<string, Resolver>).applyRetention?.(undefined, {}, contextAt(later), info)).rejects.toThrow(/stopped at the employee subgraph/);
    const [latest] = await store.destructions.runs(1);
    expect(latest).toMatchObject({ status: 'FAILED', startedAt: later, finishedAt: later });
    expect((await store.destructions.recordsOf(latest?.id ?? '')).map((r) => r.source)).toEqual(['patient', 'patient']);
  });

  it('destroys nothing when the audit log cannot be written first', async () => {
    let applied = 0;
    const resolvers = retentionResolvers({
      store,
      policy: policyWith(async () => {
        applied += 1;
        return patientRun;
      }),
    });
    const context = contextAt(new Date(at.getTime() + 120_000), {
      append: async () => {
        throw new Error('audit store down');
      },
    });
    const runsBefore = (await store.destructions.runs(100)).length;
    await expect((resolvers.Mutation as Record<string, Resolver>).applyRetention?.(undefined, {}, context, info)).rejects.toThrow(/audit store down/);
    expect(applied).toBe(0);
    expect(await store.destructions.runs(100)).toHaveLength(runsBefore);
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
