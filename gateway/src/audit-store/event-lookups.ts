/**
 * The audit log's two indexes, filled in batches after the appends rather than by each one: by
 * patient (`audit_patient_lookup`, migration 0011: an event naming a hundred patients would
 * otherwise dirty a hundred pages of an index keyed by patient in every commit; since migration
 * 0014 the view of `audit_patient_posting`, one row per patient and batch) and by field
 * (`audit_field_lookup`, migration 0013: searches by field). The append writes an event's patients
 * and fields in its own row (`patient_ids`, `fields`, both chained; `audit_event_patient` and
 * `audit_event_field` are their views, one row per patient or field); the writers copy them into
 * the lookups every `INDEX_EVERY_EVENTS` events, up to the head, and mark how far they go
 * (`patients_indexed_upto`, for both). A look-up reads a lookup up to the mark and the few events
 * after it from their rows, in one statement, so it never misses an event, indexed or not.
 */

/**
 * Events appended by one writer between two batches of the lookup; a look-up reads at most about
 * this many events unindexed. A batch's cost grows with the patients it names, not its events: 128
 * instead of 32 took a 500-patient list's writer thread from 1.7 to 0.9 ms of CPU per request, and
 * the worst look-up (after 128 such lists) reads 128 events from their rows, about 4 ms.
 */
export const INDEX_EVERY_EVENTS = 128;

/**
 * When a writer runs a batch of the lookup: after every INDEX_EVERY_EVENTS events it appended,
 * after their append, one batch at a time. A batch that fails or finds the lock taken is retried
 * at the next append; look-ups stay complete meanwhile.
 */
export class LookupBatches {
  private unindexed = 0;
  private batches: Promise<void> = Promise.resolve();
  private unfinished = 0;

  /** `runBatch` answers whether the batch committed. */
  constructor(private readonly runBatch: () => Promise<boolean>) {}

  appended(events: number): void {
    this.unindexed += events;
    if (this.unindexed < INDEX_EVERY_EVENTS) return;
    this.unindexed = 0;
    const retry = () => {
      this.unindexed = INDEX_EVERY_EVENTS;
    };
    this.unfinished += 1;
    const finished = () => {
      this.unfinished -= 1;
    };
    this.batches = this.batches
      .then(() => this.runBatch())
      .then((committed) => (committed ? undefined : retry()), retry)
      .finally(finished);
  }

  /** Whether a batch is asked for or running (it holds the write lock while it runs). */
  running(): boolean {
    return this.unfinished > 0;
  }

  /** Resolves once the batches asked for so far are done (a writer waits for it before closing). */
  settled(): Promise<void> {
    return this.batches;
  }
}

/** What a batch runs, in one transaction that holds the chain head (SQLite: `begin immediate`; PostgreSQL: `for update`). */
export const LOOKUP_SQL = {
  sqlite: {
    readProgress: 'select last_seq, patients_indexed_upto from audit_chain_head where id = 1',
    indexPatients:
      'insert into audit_patient_posting (patient_id, last_seq, event_seqs) select patient_id, max(event_seq), json_group_array(event_seq) ' +
      'from (select patient_id, event_seq from audit_event_patient where event_seq > ? and event_seq <= ? order by patient_id, event_seq) where true group by patient_id on conflict do nothing',
    indexFields: 'insert into audit_field_lookup (field, event_seq) select field, event_seq from audit_event_field where event_seq > ? and event_seq <= ? on conflict do nothing',
    markIndexed: 'update audit_chain_head set patients_indexed_upto = ? where id = 1',
  },
  postgres: {
    readProgress: 'select last_seq, patients_indexed_upto from audit_chain_head where id = 1 for update',
    indexPatients:
      'insert into audit_patient_posting (patient_id, last_seq, event_seqs) select patient_id, max(event_seq), json_agg(event_seq order by event_seq) ' +
      'from audit_event_patient where event_seq > $1 and event_seq <= $2 group by patient_id on conflict do nothing',
    indexFields: 'insert into audit_field_lookup (field, event_seq) select field, event_seq from audit_event_field where event_seq > $1 and event_seq <= $2 on conflict do nothing',
    markIndexed: 'update audit_chain_head set patients_indexed_upto = $1 where id = 1',
  },
} as const;

const AFTER_THE_MARK = '(select h.patients_indexed_upto from audit_chain_head h where h.id = 1)';

/**
 * The (event_seq, patient_id) rows naming any of `count` patients, as a subquery (`?`
 * placeholders): bind the patient ids twice, with `bindTwice`.
 */
export function eventsNamingPatients(count: number): string {
  const ids = Array.from({ length: count }, () => '?').join(', ');
  const match = count === 1 ? '= ?' : `in (${ids})`;
  return (
    `(select l.event_seq, l.patient_id from audit_patient_lookup l where l.patient_id ${match} ` +
    `union all select t.event_seq, t.patient_id from audit_event_patient t ` +
    `where t.event_seq > ${AFTER_THE_MARK} and t.patient_id ${match})`
  );
}

export const bindTwice = (values: readonly string[]): string[] => [...values, ...values];

/** The events naming one field, as a subquery of `event_seq` rows, each once (bind the field twice, with `bindTwice`). */
export const EVENTS_NAMING_FIELD =
  `(select l.event_seq from audit_field_lookup l where l.field = ? ` +
  `union select t.event_seq from audit_event_field t where t.event_seq > ${AFTER_THE_MARK} and t.field = ?)`;

/**
 * The events a lookup misdirects: its rows up to the mark that the events' own rows (`view`) do
 * not have, the events' rows it lacks, and any row beyond the mark.
 */
function misdirected(lookup: string, view: string, key: string): string[] {
  const upTo = (table: string) => `select ${key}, event_seq from ${table} where event_seq <= ${AFTER_THE_MARK}`;
  return [
    `select event_seq from (${upTo(lookup)} except ${upTo(view)}) ${lookup}_extra`,
    `select event_seq from (${upTo(view)} except ${upTo(lookup)}) ${lookup}_missing`,
    `select event_seq from ${lookup} where event_seq > ${AFTER_THE_MARK}`,
  ];
}

/**
 * The chain head (`last_seq`, `last_hash`) with the first event, by
 * position in the chain, whose lookup rows differ from its own (patients or fields) up to the
 * mark, or that a lookup names beyond it (`lookup_broken`, null when both lookups are intact): a
 * changed lookup would misdirect a patient's access log or a search by field, so it breaks the
 * event. One statement, so one snapshot: a replica's batch that moves the mark while the check
 * runs cannot make intact rows read as beyond it.
 */
export const CHAIN_HEAD_WITH_LOOKUP_CHECK =
  'select h.last_seq, h.last_hash, (select min(event_seq) from (' +
  [...misdirected('audit_patient_lookup', 'audit_event_patient', 'patient_id'), ...misdirected('audit_field_lookup', 'audit_event_field', 'field')].join(' union all ') +
  ') m) as lookup_broken from audit_chain_head h where h.id = 1';
