import type { Database } from '@clinic/service-kit';
import { INCIDENT_KIND, newIncident, REPEATED_DENIALS, type IncidentHistory } from './incident-register.js';
import { newReviewItem, REVIEW_KIND } from './review-queue.js';

/** A reader refused NO_DUTY by a committed append, and when. */
export interface NoDutyRefusal {
  actorId: string;
  at: Date;
}

/**
 * Opens one REPEATED_DENIALS incident for a reader refused NO_DUTY on 5 patient records within 10
 * minutes, unless one was opened for them within that window (SPEC §9), and with it a review item
 * linked to the incident (issue 15: the privacy officer triages it with the rest). It runs after the append
 * commits, off the request's path and outside the chain-head lock: the count sees every refusal
 * committed so far (the last refused append always counts all of them), and the incident is
 * claimed by one conditional upsert of the reader's watch row, which concurrent detectors (this
 * replica's or another's) cannot both win: the loser waits for the winner's commit, then finds the
 * window taken.
 */
export class RepeatedDenialDetector {
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly history: IncidentHistory,
    private readonly failed: (err: unknown) => void,
  ) {}

  /** Checks the readers of a committed append, later; returns at once. */
  check(refusals: readonly NoDutyRefusal[]): void {
    if (refusals.length === 0) return;
    const latest = new Map<string, Date>();
    for (const { actorId, at } of refusals) {
      const seen = latest.get(actorId);
      if (!seen || seen < at) latest.set(actorId, at);
    }
    this.running = this.running
      .then(() => new Promise((resolve) => setImmediate(resolve)))
      .then(async () => {
        for (const [actorId, at] of latest) await this.checkReader(actorId, at);
      })
      .catch(this.failed);
  }

  /** Resolves once the checks scheduled so far are done. */
  settled(): Promise<void> {
    return this.running;
  }

  private async checkReader(actorId: string, at: Date): Promise<void> {
    const em = this.db.fork();
    const platform = em.getPlatform();
    const since = platform.processDateProperty(new Date(at.getTime() - REPEATED_DENIALS.windowMs));
    const refused = await em.getConnection('write').execute<{ patient_id: string }[]>(
      "select p.patient_id from audit_event e join audit_event_patient p on p.event_seq = e.seq where e.actor_id = ? and e.decision = 'DENY' and e.reason = 'NO_DUTY' and e.at > ?",
      [actorId, since],
    );
    const denials = refused.length;
    if (denials < REPEATED_DENIALS.count) return;
    await em.transactional(async (trx) => {
      const claimed = await trx
        .getConnection('write')
        .execute<{ actor_id: string }[]>(
          'insert into repeated_denial_watch (actor_id, incident_opened_at) values (?, ?) on conflict (actor_id) do update set incident_opened_at = excluded.incident_opened_at ' +
            'where repeated_denial_watch.incident_opened_at <= ? returning actor_id',
          [actorId, platform.processDateProperty(at), since],
          'all',
          trx.getTransactionContext(),
        );
      if (claimed.length === 0) return;
      const description = `${denials} refusals (no duty) of reader ${actorId} within ${REPEATED_DENIALS.windowMs / 60_000} minutes`;
      const incident = newIncident(trx, INCIDENT_KIND.repeatedDenials, { description, occurredAt: at, discoveredAt: at, actorId }, at);
      await this.history.opened(trx, incident, null, at);
      newReviewItem(trx, {
        kind: REVIEW_KIND.repeatedDenials,
        caseKey: `${REVIEW_KIND.repeatedDenials}:${incident.id}`,
        openedAt: at,
        actorId,
        patientIds: [...new Set(refused.map((r) => r.patient_id))].sort(),
        trigger: `${description} (incident ${incident.id})`,
        incidentId: incident.id,
      });
    });
  }
}
