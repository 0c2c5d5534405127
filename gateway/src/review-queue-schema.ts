import { GraphQLError, parse } from 'graphql';
import type { IResolvers } from '@graphql-tools/utils';
import { isWellFormedId, pageSize, type Logger } from '@clinic/service-kit';
import type { AuditStore } from './audit-store/audit-store.js';
import type { ReviewItem } from './audit-store/entities.js';
import { REVIEW_KINDS, REVIEW_OUTCOME, REVIEW_STATUS, type ReviewCursor, type ReviewKind, type ReviewOutcome, type ReviewStatus } from './audit-store/review-queue.js';
import type { GatewayContext } from './context.js';
import type { ReadWatch } from './watch/read-watch.js';

/**
 * The privacy officer's review queue (issue 15, and issue 14 for emergency accesses): what the watch
 * over allowed reads, emergency accesses and repeated refusals opened, triaged and closed as
 * APPROPRIATE or MISUSE (MISUSE opens an incident in the register, linked to the item).
 */
export const reviewQueueTypeDefs = parse(/* GraphQL */ `
  "An access worth the privacy officer's look: not an incident unless the review finds misuse."
  type ReviewItem {
    id: ID!
    "${REVIEW_KINDS.join(', ')}"
    kind: String!
    openedAt: String!
    "The employee whose access it is about."
    actorId: ID
    "The patients concerned, by id."
    patientIds: [ID!]!
    "What was seen, in words and ids (no names, addresses or values)."
    trigger: String!
    "${REVIEW_STATUS.join(' or ')}"
    status: String!
    "${REVIEW_OUTCOME.join(' or ')}"
    outcome: String
    note: String
    closedBy: ID
    closedAt: String
    emergencyAccessId: ID
    "The incident of the register the item belongs to: the repeated-refusal incident it came with, or the one a MISUSE outcome opened."
    incidentId: ID
  }

  type ReviewItemConnection {
    nodes: [ReviewItem!]!
    totalCount: Int!
    hasNextPage: Boolean!
    "Pass as \`after\` for the next page."
    endCursor: String
  }

  extend type Query {
    "The review queue, most recent first (privacy officer), by status (${REVIEW_STATUS.join(', ')}) and kind. Catches up with the audit log first."
    reviewItems(status: String, kind: String, first: Int, after: String): ReviewItemConnection!
  }

  extend type Mutation {
    "Closes an open review item with the outcome of the review (${REVIEW_OUTCOME.join(' or ')}); MISUSE opens a confidentiality incident linked to it."
    closeReviewItem(id: ID!, outcome: String!, note: String): ReviewItem!
  }
`);

const badInput = (message: string, field: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
const MAX_NOTE = 4000;

function oneOf<T extends string>(value: string | null | undefined, values: readonly T[], field: string): T | undefined {
  if (value === null || value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) throw badInput(`${field} must be one of ${values.join(', ')}`, field);
  return value as T;
}

const encodeCursor = (item: ReviewItem) => Buffer.from(`${item.openedAt.toISOString()}|${item.id}`).toString('base64url');
function decodeCursor(after: string): ReviewCursor {
  const [at, id, extra] = Buffer.from(after, 'base64url').toString('utf8').split('|');
  const openedAt = new Date(at ?? '');
  if (extra !== undefined || !id || !isWellFormedId(id) || Number.isNaN(openedAt.getTime())) throw badInput('after must be the endCursor of a previous page', 'after');
  return { openedAt, id };
}

export function reviewQueueResolvers(options: { store: AuditStore; watch: ReadWatch; logger: Logger }): IResolvers {
  const { store, watch, logger } = options;
  return {
    Query: {
      reviewItems: async (_: unknown, args: { status?: string | null; kind?: string | null; first?: number | null; after?: string | null }) => {
        const status = oneOf<ReviewStatus>(args.status, REVIEW_STATUS, 'status');
        const kind = oneOf<ReviewKind>(args.kind, REVIEW_KINDS, 'kind');
        const first = pageSize(args.first);
        const after = args.after ? decodeCursor(args.after) : undefined;
        // Catch up with the log; a failure (a subgraph down) is logged and the queue answered as it stands.
        await watch.scan().catch((err: unknown) => logger.error({ err: err instanceof Error ? err.name : 'error' }, 'watch over allowed reads: scan failed'));
        const page = await store.reviews.list({ status, kind, first, after });
        const last = page.items.at(-1);
        return { nodes: page.items, totalCount: page.totalCount, hasNextPage: page.hasNextPage, endCursor: last ? encodeCursor(last) : null };
      },
    },
    Mutation: {
      closeReviewItem: async (_: unknown, args: { id: string; outcome: string; note?: string | null }, context: GatewayContext) => {
        const viewer = context.request.viewer;
        if (!viewer) throw new GraphQLError('Authentication required', { extensions: { code: 'UNAUTHENTICATED' } });
        if (!isWellFormedId(args.id)) throw badInput('id must be an id', 'id');
        const outcome = oneOf<ReviewOutcome>(args.outcome, REVIEW_OUTCOME, 'outcome') as ReviewOutcome;
        if (typeof args.note === 'string' && args.note.length > MAX_NOTE) throw badInput(`note must be at most ${MAX_NOTE} characters`, 'note');
        const note = args.note?.trim() || null;
        const closed = await store.reviews.close({ id: args.id, outcome, note, closedBy: viewer.id }, context.request.now);
        if (!closed.ok) throw badInput(closed.reason === 'NOT_FOUND' ? `No review item with id "${args.id}"` : `Review item "${args.id}" is already closed`, 'id');
        return closed.item;
      },
    },
    ReviewItem: {
      openedAt: (i: ReviewItem) => i.openedAt.toISOString(),
      closedAt: (i: ReviewItem) => (i.closedAt ? i.closedAt.toISOString() : null),
    },
  } as IResolvers;
}
