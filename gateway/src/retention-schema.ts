import { GraphQLError, parse, type GraphQLResolveInfo } from 'graphql';
import type { IResolvers } from '@graphql-tools/utils';
import { pageSize } from '@clinic/service-kit';
import type { AuditStore } from './audit-store/audit-store.js';
import { RETENTION_RUN_STATUS } from './audit-store/destruction-record.js';
import type { DestructionRecord, RetentionRun } from './audit-store/entities.js';
import type { GatewayContext } from './context.js';
import { RETENTION_SUBGRAPHS, type PolicyClient, type SubgraphRetentionReport } from './policy/policy-client.js';
import { allow } from './policy/verdict.js';

const READ_FOR_THE_REPORT = allow('the privacy officer reads the retention report');
const DESTROYED_BY_THE_RULES = allow('the retention rules destroyed or anonymized part of the record');

/**
 * Retention and destruction (SPEC §11), answered by the gateway: each subgraph applies the rules of
 * the data it owns (`retention-report`, `apply-retention` internal endpoints) on the request's clock,
 * and the gateway keeps the destruction record in its audit store.
 */
export const retentionTypeDefs = parse(/* GraphQL */ `
  "A retention rule, as the subgraph that owns the items applies it."
  type RetentionRule {
    code: String!
    description: String!
    "DESTROY or ANONYMIZE"
    action: String!
  }

  "One item a rule makes due, named by its id and its owner's id only."
  type RetentionItem {
    rule: String!
    "DOCUMENT, CLINICAL_NOTE, DIAGNOSIS, VITAL, MEDICATION, ALLERGY, APPOINTMENT, MAILING_LIST_ADDRESS, CONTACT_DETAILS or EMPLOYEE_PERSONAL_DATA"
    itemKind: String!
    itemId: ID!
    "The patient or employee the item belongs to; null for an address that is no patient's."
    ownerId: ID
    "When the rule made the item due."
    dueSince: String!
  }

  type RetentionCount {
    rule: String!
    itemKind: String!
    count: Int!
    "For items kept: why."
    reason: String
  }

  "The dry run: what applyRetention would destroy or anonymize now, and under which rule."
  type RetentionReport {
    asOf: String!
    rules: [RetentionRule!]!
    due: [RetentionItem!]!
    "Items due, counted per rule and kind."
    totals: [RetentionCount!]!
    "Items old enough but kept (protected reports)."
    kept: [RetentionCount!]!
  }

  "An entry of the destruction record: what kind of item, how many, when, by whom, under which rule. No personal information."
  type DestructionRecord {
    id: ID!
    runId: ID!
    rule: String!
    itemKind: String!
    "DESTROY or ANONYMIZE"
    action: String!
    count: Int!
    "The subgraph that kept the items."
    source: String!
    destroyedAt: String!
    "The staff id of the privacy officer who applied the rules."
    destroyedBy: ID!
    destroyedByRole: Role!
  }

  "One application of the retention rules."
  type RetentionRun {
    id: ID!
    startedAt: String!
    finishedAt: String
    ranBy: ID!
    "STARTED, COMPLETED or FAILED (a subgraph did not answer: the records say what was done before)"
    status: String!
    records: [DestructionRecord!]!
  }

  extend type Query {
    "What the retention rules make due now (dry run; nothing is changed)."
    retentionReport: RetentionReport!
    "Past applications of the retention rules and their destruction records, most recent first."
    retentionRuns(first: Int): [RetentionRun!]!
  }

  extend type Mutation {
    "Destroys or anonymizes what the retention rules make due now, in each subgraph, and keeps the destruction record."
    applyRetention: RetentionRun!
  }
`);

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Due items counted per rule and kind, in the order they first appear. */
export function totalsOf(due: SubgraphRetentionReport['due']): { rule: string; itemKind: string; count: number }[] {
  const totals = new Map<string, { rule: string; itemKind: string; count: number }>();
  for (const item of due) {
    const key = `${item.rule}\u0000${item.itemKind}`;
    const total = totals.get(key) ?? { rule: item.rule, itemKind: item.itemKind, count: 0 };
    total.count += 1;
    totals.set(key, total);
  }
  return [...totals.values()];
}

function viewerOf(context: GatewayContext) {
  const viewer = context.request.viewer;
  if (!viewer) throw new GraphQLError('Authentication required', { extensions: { code: 'UNAUTHENTICATED' } });
  return viewer;
}

export function retentionResolvers(options: { store: AuditStore; policy: PolicyClient }): IResolvers {
  const { store, policy } = options;
  const withRecords = async (run: RetentionRun) => ({ ...run, records: await store.destructions.recordsOf(run.id) });
  return {
    Query: {
      retentionReport: async (_: unknown, __: unknown, context: GatewayContext) => {
        const at = context.request.now;
        const reports = await Promise.all(RETENTION_SUBGRAPHS.map(async (subgraph) => ({ subgraph, report: await policy.retentionReport(subgraph, at) })));
        // The report names patients' documents, notes and addresses: the audit log records it under each patient.
        for (const { subgraph, report } of reports) {
          if (subgraph !== 'patient') continue;
          for (const ownerId of new Set(report.due.map((item) => item.ownerId))) {
            if (ownerId) context.audit.record(ownerId, 'Query.retentionReport', READ_FOR_THE_REPORT);
          }
        }
        const due = reports.flatMap(({ report }) => report.due);
        return {
          asOf: at.toISOString(),
          rules: reports.flatMap(({ report }) => report.rules),
          due,
          totals: totalsOf(due),
          kept: reports.flatMap(({ report }) => report.kept),
        };
      },
      retentionRuns: async (_: unknown, args: { first?: number | null }) => {
        const runs = await store.destructions.runs(pageSize(args.first));
        return Promise.all(runs.map(withRecords));
      },
    },
    Mutation: {
      applyRetention: async (_: unknown, __: unknown, context: GatewayContext, info: GraphQLResolveInfo) => {
        const viewer = viewerOf(context);
        const at = context.request.now;
        // Like every write to a patient's record, the destruction is in each patient's audit log
        // before it happens (the patients whose items are due at this very instant): when the log
        // cannot be written, nothing is destroyed.
        const due = await policy.retentionReport('patient', at);
        const announced = new Set(due.due.map((item) => item.ownerId).filter((id): id is string => !!id));
        for (const patientId of announced) await context.audit.writeAhead(patientId, 'Mutation.applyRetention', info.operation.name?.value ?? null);
        // The run is written before anything is destroyed, and each subgraph's counts as soon as it answers.
        const run = await store.destructions.start({ id: viewer.id, role: viewer.role }, at);
        for (const subgraph of RETENTION_SUBGRAPHS) {
          let applied;
          try {
            applied = await policy.applyRetention(subgraph, at);
          } catch (err) {
            await store.destructions.finish(run, RETENTION_RUN_STATUS.failed, at);
            throw new Error(`retention run ${run.id} stopped at the ${subgraph} subgraph`, { cause: err });
          }
          await store.destructions.record(run, subgraph, applied.applied, at);
          if (subgraph === 'patient') {
            for (const patientId of applied.patientIds.filter((id) => !announced.has(id))) context.audit.record(patientId, 'Mutation.applyRetention', DESTROYED_BY_THE_RULES);
          }
        }
        return withRecords(await store.destructions.finish(run, RETENTION_RUN_STATUS.completed, at));
      },
    },
    RetentionRun: {
      startedAt: (r: RetentionRun) => r.startedAt.toISOString(),
      finishedAt: (r: RetentionRun) => iso(r.finishedAt),
      ranBy: (r: RetentionRun) => r.runBy,
    },
    DestructionRecord: {
      count: (r: DestructionRecord) => r.itemCount,
      destroyedAt: (r: DestructionRecord) => r.destroyedAt.toISOString(),
    },
  } as IResolvers;
}
