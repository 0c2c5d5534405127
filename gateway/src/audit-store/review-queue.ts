import { randomUUID } from 'node:crypto';
import type { Database, SqlEntityManager } from '@clinic/service-kit';
import { ReviewItem } from './entities.js';
import { INCIDENT_KIND, newIncident, type IncidentHistory } from './incident-register.js';

/** What opens a review item: the watched patterns (issue 15), emergency accesses (issue 14) and repeated refusals (SPEC §9). */
export const REVIEW_KIND = {
  emergencyAccess: 'EMERGENCY_ACCESS',
  repeatedDenials: 'REPEATED_DENIALS',
  ownRecord: 'OWN_RECORD',
  coworkerRecord: 'COWORKER_RECORD',
  sameLastName: 'SAME_LAST_NAME',
  sameAddress: 'SAME_ADDRESS',
  sensitiveRecord: 'SENSITIVE_RECORD',
  bulkReads: 'BULK_READS',
  offHours: 'OFF_HOURS',
} as const;
export type ReviewKind = (typeof REVIEW_KIND)[keyof typeof REVIEW_KIND];
export const REVIEW_KINDS = Object.values(REVIEW_KIND) as readonly ReviewKind[];

export const REVIEW_STATUS = ['OPEN', 'CLOSED'] as const;
export type ReviewStatus = (typeof REVIEW_STATUS)[number];
export const REVIEW_OUTCOME = ['APPROPRIATE', 'MISUSE'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOME)[number];

/** One case to review: `caseKey` names it, so that opening it again opens nothing. */
export interface ReviewCase {
  kind: ReviewKind;
  caseKey: string;
  openedAt: Date;
  actorId: string | null;
  patientIds: string[];
  /** What was seen, in words and ids: never a name, an address or a field's value. */
  trigger: string;
  emergencyAccessId?: string | null;
  incidentId?: string | null;
}

/** Adds an item in a transaction the caller runs (its case key must be new: an emergency access's or an incident's id). */
export function newReviewItem(em: SqlEntityManager, item: ReviewCase): ReviewItem {
  return em.create(ReviewItem, { id: `rev-${randomUUID()}`, ...reviewRow(item) });
}

function reviewRow(item: ReviewCase) {
  return {
    kind: item.kind,
    caseKey: item.caseKey,
    openedAt: item.openedAt,
    actorId: item.actorId,
    patientIds: item.patientIds,
    trigger: item.trigger,
    status: 'OPEN',
    outcome: null,
    note: null,
    closedBy: null,
    closedAt: null,
    emergencyAccessId: item.emergencyAccessId ?? null,
    incidentId: item.incidentId ?? null,
  };
}

export interface ReviewQuery {
  status?: ReviewStatus | undefined;
  kind?: ReviewKind | undefined;
  first: number;
  /** The `endCursor` of the previous page. */
  after?: ReviewCursor | undefined;
}

/** Where a page ended: items are listed most recent first, then by id. */
export interface ReviewCursor {
  openedAt: Date;
  id: string;
}

export type CloseOutcome = { ok: true; item: ReviewItem } | { ok: false; reason: 'NOT_FOUND' | 'ALREADY_CLOSED' };

/** The queue the privacy officer triages: items open until closed with an outcome. */
export class ReviewQueue {
  /** `detected`: resolves once what this replica is still detecting is written (read your writes). */
  constructor(
    private readonly db: Database,
    private readonly history: IncidentHistory,
    private readonly detected: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /** Opens the cases not opened yet (one statement); answers how many were new. */
  async openCases(cases: readonly ReviewCase[]): Promise<number> {
    if (cases.length === 0) return 0;
    const em = this.db.fork();
    const rows = cases.map((c) => ({ id: `rev-${randomUUID()}`, ...reviewRow(c) }));
    const result = await em.createQueryBuilder(ReviewItem).insert(rows).onConflict('caseKey').ignore().execute('run');
    return typeof result.affectedRows === 'number' ? result.affectedRows : cases.length;
  }

  /** A page of items and how many match (two statements, whatever the page size). */
  async list(query: ReviewQuery): Promise<{ items: ReviewItem[]; totalCount: number; hasNextPage: boolean }> {
    await this.detected();
    const em = this.db.fork();
    const where: Record<string, unknown> = {};
    if (query.status) where.status = query.status;
    if (query.kind) where.kind = query.kind;
    const page = query.after
      ? { ...where, $or: [{ openedAt: { $lt: query.after.openedAt } }, { openedAt: query.after.openedAt, id: { $lt: query.after.id } }] }
      : where;
    const [rows, totalCount] = await Promise.all([
      em.find(ReviewItem, page, { orderBy: { openedAt: 'desc', id: 'desc' }, limit: query.first + 1 }),
      em.count(ReviewItem, where),
    ]);
    return { items: rows.slice(0, query.first), totalCount, hasNextPage: rows.length > query.first };
  }

  async byCaseKeys(caseKeys: readonly string[]): Promise<ReviewItem[]> {
    await this.detected();
    return caseKeys.length ? this.db.fork().find(ReviewItem, { caseKey: { $in: [...caseKeys] } }) : [];
  }

  /**
   * Closes an open item with the privacy officer's outcome. MISUSE makes it a confidentiality
   * incident: one is opened in the same transaction and linked to the item (an item that came with
   * its incident, a repeated refusal's, keeps that one). Closing twice is refused.
   */
  async close(input: { id: string; outcome: ReviewOutcome; note: string | null; closedBy: string }, now: Date): Promise<CloseOutcome> {
    return this.db.fork().transactional(async (em) => {
      const closed = await em.nativeUpdate(ReviewItem, { id: input.id, status: 'OPEN' }, { status: 'CLOSED', outcome: input.outcome, note: input.note, closedBy: input.closedBy, closedAt: now });
      const item = await em.findOne(ReviewItem, { id: input.id });
      if (!item) return { ok: false, reason: 'NOT_FOUND' };
      if (closed === 0) return { ok: false, reason: 'ALREADY_CLOSED' };
      if (input.outcome === 'MISUSE' && !item.incidentId) {
        const incident = newIncident(
          em,
          item.emergencyAccessId ? INCIDENT_KIND.emergencyAccess : INCIDENT_KIND.reviewFoundMisuse,
          {
            description: `Review item ${item.id} (${item.kind}) closed as misuse: ${item.trigger}`,
            occurredAt: item.openedAt,
            discoveredAt: now,
            personsConcerned: item.patientIds.length,
            actorId: item.actorId,
            emergencyAccessId: item.emergencyAccessId,
          },
          now,
        );
        await this.history.opened(em, incident, { id: input.closedBy, role: 'PRIVACY_OFFICER' }, now);
        item.incidentId = incident.id;
      }
      return { ok: true, item };
    });
  }
}
