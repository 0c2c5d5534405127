import { createHash, randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import stringify from 'safe-stable-stringify';
import type { Database, SqlEntityManager } from '@clinic/service-kit';
import { GENESIS_HASH } from './chain-hash.js';
import { RegisterEntry, RegisterHead } from './entities.js';

/**
 * Append-only, tamper-evident registers kept beside the audit log (the disclosure register, the
 * incident register's edit history, access-review sign-offs, …). Each register is its own hash
 * chain: an entry's hash covers its content and the hash of the entry before it, so an edited,
 * removed or reordered entry breaks the chain from there on, exactly like the audit log's events.
 *
 * Entries are JSON objects; hashed in canonical form (keys sorted), so reading and re-writing an
 * entry never changes its hash. Callers keep personal information out of entries unless the
 * register exists to hold it (a disclosure names its patient by id).
 */
export interface ChainedEntry<T> {
  register: string;
  seq: number;
  id: string;
  at: Date;
  /** What the entry is about (a patient, an employee, an incident), for indexed look-ups. */
  subjectId: string | null;
  entry: T;
  prevHash: string;
  hash: string;
}

export interface RegisterStatus {
  register: string;
  ok: boolean;
  entries: number;
  firstBrokenEntryId: string | null;
}

export function registerEntryHash(e: Omit<ChainedEntry<unknown>, 'hash'>): string {
  const canonical = stringify([e.register, e.seq, e.id, e.at.toISOString(), e.subjectId, e.entry, e.prevHash]);
  return createHash('sha256').update(canonical ?? '').digest('hex');
}

/** One named register; `append` takes the chain head's lock, so replicas on PostgreSQL append one at a time. */
export class ChainedRegister<T extends object> {
  /** SQLite serialises writers per file; this keeps one process's appends from colliding on the head. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Database,
    readonly name: string,
    private readonly idPrefix: string,
  ) {}

  append(entry: T, options: { at: Date; subjectId?: string | null }): Promise<ChainedEntry<T>> {
    const run = this.tail.then(() => this.db.fork().transactional((em) => this.appendIn(em, entry, options)));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async appendIn(em: SqlEntityManager, entry: T, options: { at: Date; subjectId?: string | null }): Promise<ChainedEntry<T>> {
    // The head row exists before it is locked, so two replicas starting a register do not collide.
    await em.getConnection('write').execute('insert into register_head (register, last_seq, last_hash) values (?, 0, ?) on conflict (register) do nothing', [this.name, GENESIS_HASH], 'run', em.getTransactionContext());
    const locking = this.db.target.kind === 'postgresql' ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {};
    const head = await em.findOneOrFail(RegisterHead, { register: this.name }, locking);
    const content = {
      register: this.name,
      seq: head.lastSeq + 1,
      id: `${this.idPrefix}-${randomUUID()}`,
      at: options.at,
      subjectId: options.subjectId ?? null,
      entry: JSON.parse(JSON.stringify(entry)) as T,
      prevHash: head.lastHash,
    };
    const hash = registerEntryHash(content);
    em.create(RegisterEntry, { ...content, entry: content.entry as Record<string, unknown>, hash });
    head.lastSeq = content.seq;
    head.lastHash = hash;
    await em.flush();
    return { ...content, hash };
  }

  /** Entries in chain order, optionally about one subject (or several). */
  async list(options: { subjectIds?: readonly string[]; newestFirst?: boolean } = {}): Promise<ChainedEntry<T>[]> {
    const where = options.subjectIds ? { register: this.name, subjectId: { $in: [...options.subjectIds] } } : { register: this.name };
    const rows = await this.db.fork().find(RegisterEntry, where, { orderBy: { seq: options.newestFirst ? 'desc' : 'asc' } });
    return rows.map((row) => ({ ...row, subjectId: row.subjectId ?? null, entry: row.entry as T }));
  }

  /** Recomputes the chain from its first entry; reports the first entry whose content or link was altered. */
  async verify(): Promise<RegisterStatus> {
    const rows = await this.db.fork().find(RegisterEntry, { register: this.name }, { orderBy: { seq: 'asc' } });
    const head = await this.db.fork().findOne(RegisterHead, { register: this.name });
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    for (const row of rows) {
      const recomputed = registerEntryHash({ ...row, subjectId: row.subjectId ?? null });
      if (row.seq !== expectedSeq || row.prevHash !== prevHash || row.hash !== recomputed) {
        return { register: this.name, ok: false, entries: rows.length, firstBrokenEntryId: row.id };
      }
      prevHash = row.hash;
      expectedSeq += 1;
    }
    // A removed last entry leaves the head pointing past the chain.
    const headOk = head ? head.lastSeq === rows.length && head.lastHash === prevHash : rows.length === 0;
    return { register: this.name, ok: headOk, entries: rows.length, firstBrokenEntryId: headOk ? null : (rows.at(-1)?.id ?? null) };
  }
}

/** The registers of one audit store: each opened once, by name; all verified together. */
export class ChainedRegisters {
  private readonly opened = new Map<string, ChainedRegister<object>>();

  constructor(private readonly db: Database) {}

  open<T extends object>(name: string, idPrefix: string): ChainedRegister<T> {
    let register = this.opened.get(name);
    if (!register) {
      register = new ChainedRegister<object>(this.db, name, idPrefix);
      this.opened.set(name, register);
    }
    return register as ChainedRegister<T>;
  }

  /** Every register that has entries (its head row), whether or not this process opened it. */
  async verifyAll(): Promise<RegisterStatus[]> {
    const heads = await this.db.fork().find(RegisterHead, {}, { orderBy: { register: 'asc' } });
    return Promise.all(heads.map((head) => (this.opened.get(head.register) ?? new ChainedRegister(this.db, head.register, 'x')).verify()));
  }
}
