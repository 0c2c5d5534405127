import { randomUUID } from 'node:crypto';
import type { Database } from '@clinic/service-kit';
import { DestructionRecord, RetentionRun } from './entities.js';

export const RETENTION_RUN_STATUS = { started: 'STARTED', completed: 'COMPLETED', failed: 'FAILED' } as const;

/** What one subgraph reports it destroyed or anonymized: counts per rule and kind of item. */
export interface DestroyedCount {
  rule: string;
  itemKind: string;
  action: string;
  count: number;
}

/**
 * Retention runs and the destruction record (SPEC §11), in the gateway's audit store. A run is
 * written before anything is destroyed and each subgraph's counts as soon as it answers, so a run
 * that stops half-way still says what was done.
 */
export class DestructionRegister {
  constructor(private readonly db: Database) {}

  async start(by: { id: string; role: string }, now: Date): Promise<RetentionRun> {
    const em = this.db.fork();
    const run = em.create(RetentionRun, { id: `rrun-${randomUUID()}`, startedAt: now, finishedAt: null, runBy: by.id, runByRole: by.role, status: RETENTION_RUN_STATUS.started });
    await em.flush();
    return run;
  }

  async record(run: RetentionRun, source: string, counts: readonly DestroyedCount[], now: Date): Promise<DestructionRecord[]> {
    const em = this.db.fork();
    const records = counts.map((c) =>
      em.create(DestructionRecord, {
        id: `dr-${randomUUID()}`,
        runId: run.id,
        rule: c.rule,
        itemKind: c.itemKind,
        action: c.action,
        itemCount: c.count,
        source,
        destroyedAt: now,
        destroyedBy: run.runBy,
        destroyedByRole: run.runByRole,
      }),
    );
    await em.flush();
    return records;
  }

  async finish(run: RetentionRun, status: (typeof RETENTION_RUN_STATUS)['completed' | 'failed'], now: Date): Promise<RetentionRun> {
    const em = this.db.fork();
    await em.nativeUpdate(RetentionRun, { id: run.id }, { status, finishedAt: now });
    return { ...run, status, finishedAt: now };
  }

  /** Retention runs, most recent first. */
  runs(first: number): Promise<RetentionRun[]> {
    return this.db.fork().find(RetentionRun, {}, { orderBy: { startedAt: 'desc', id: 'asc' }, limit: first });
  }

  recordsOf(runId: string): Promise<DestructionRecord[]> {
    return this.db.fork().find(DestructionRecord, { runId }, { orderBy: { source: 'asc', rule: 'asc', itemKind: 'asc' } });
  }
}
