import pg from 'pg';
import type { PendingAppend } from './audit-entry.js';
import { chainEvents } from './chain-events.js';
import { auditStoreClosed, type AuditEventWriter, type EventToStore } from './event-writer.js';
import { CURRENT_EVENT_FORMAT } from './chain-hash.js';
import { LookupBatches, LOOKUP_SQL } from './event-lookups.js';

/**
 * Every event of an append (with its patients and fields, in its own row) in one statement,
 * whatever their number: the columns travel as arrays (unnest), so the statement is prepared once
 * per connection and reused.
 */
const APPEND = `with events as (
  insert into audit_event (seq, id, at, actor_id, role, patient_ids, fields, decision, reason, emergency_access_id, operation_name, client_name, request_id, client_request_id, rules_version, filters, format, prev_hash, hash)
  select seq, id, at, actor_id, role, patient_ids::json, fields::json, decision, reason, emergency_access_id, operation_name, client_name, request_id, client_request_id, rules_version, filters, ${CURRENT_EVENT_FORMAT}, prev_hash, hash
  from unnest($1::integer[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[])
    as e(seq, id, at, actor_id, role, patient_ids, fields, decision, reason, emergency_access_id, operation_name, client_name, request_id, client_request_id, rules_version, filters, prev_hash, hash)
)
update audit_chain_head set last_seq = $19, last_hash = $20 where id = 1`;

/**
 * PostgreSQL appends on a connection of the audit store's own: three round trips per transaction
 * (begin and lock the head, one prepared statement for everything, commit), whatever the size.
 */
export class PostgresEventWriter implements AuditEventWriter {
  // Group commit sends one append at a time: one connection is all the writer needs.
  private readonly pool: pg.Pool;
  private closed = false;
  /** The lookups' batches, run on this writer's connection after the appends. */
  private readonly lookupBatches = new LookupBatches(async () => {
    await this.indexLookups();
    return true;
  });

  constructor(url: string, private readonly countStatements: (n: number) => void) {
    this.pool = new pg.Pool({ connectionString: url, max: 1 });
    // An idle connection that breaks is replaced at the next append; the error must not crash the process.
    this.pool.on('error', () => undefined);
  }

  async append(batch: readonly PendingAppend[]): Promise<void> {
    if (this.closed) throw auditStoreClosed();
    await this.inTransaction(async (client) => {
      // The row lock on the head serializes the appends of every replica until commit.
      const [, locked] = (await client.query('begin; select last_seq, last_hash from audit_chain_head where id = 1 for update')) as unknown as pg.QueryResult<{
        last_seq: number;
        last_hash: string;
      }>[];
      const head = locked?.rows[0];
      if (!head) throw new Error('audit log: the chain head is missing');
      const events = chainEvents({ seq: Number(head.last_seq), hash: head.last_hash }, batch);
      const last = events.at(-1);
      if (last) {
        const column = <T>(value: (e: EventToStore) => T) => events.map(value);
        await client.query({
          name: 'audit-append',
          text: APPEND,
          values: [
            column((e) => e.seq), column((e) => e.id), column((e) => e.at), column((e) => e.actorId), column((e) => e.role),
            column((e) => JSON.stringify(e.patientIds)), column((e) => JSON.stringify(e.fields)), column((e) => e.decision), column((e) => e.reason), column((e) => e.emergencyAccessId),
            column((e) => e.operationName), column((e) => e.clientName), column((e) => e.requestId), column((e) => e.clientRequestId),
            column((e) => e.rulesVersion), column((e) => e.filters), column((e) => e.prevHash), column((e) => e.hash),
            last.seq, last.hash,
          ],
        });
      }
      await client.query('commit');
      this.countStatements(last ? 4 : 3);
      this.lookupBatches.appended(events.length);
    });
  }

  /** One batch of the lookups: every event appended so far, in one transaction holding the head (event-lookups.ts). */
  async indexLookups(): Promise<void> {
    if (this.closed) throw auditStoreClosed();
    const sql = LOOKUP_SQL.postgres;
    await this.inTransaction(async (client) => {
      await client.query('begin');
      const progress = (await client.query<{ last_seq: number | string; patients_indexed_upto: number | string }>(sql.readProgress)).rows[0];
      const upto = Number(progress?.patients_indexed_upto ?? 0);
      const last = Number(progress?.last_seq ?? 0);
      if (last > upto) {
        await client.query({ name: 'audit-index-patients', text: sql.indexPatients, values: [upto, last] });
        await client.query({ name: 'audit-index-fields', text: sql.indexFields, values: [upto, last] });
        await client.query({ name: 'audit-mark-indexed', text: sql.markIndexed, values: [last] });
      }
      await client.query('commit');
    });
  }

  /**
   * Runs `work` (which begins and commits its transaction) on the writer's connection; on a failure
   * rolls back, and a connection whose rollback failed is discarded instead of going back to the pool.
   */
  private async inTransaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await work(client);
    } catch (err) {
      await client.query('rollback').catch((rollbackFailed: Error) => {
        broken = rollbackFailed;
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.lookupBatches.settled();
    this.closed = true;
    await this.pool.end();
  }
}
