import type { SubgraphName } from '@clinic/schema';
import { TARGETS, TARGET_LABELS, type TargetName } from './targets-list.js';

/** One operation through one target: load results, and the work of one request counted after warm-up. */
export interface Measurement {
  /** Throughput under load: connections / mean latency (see load-worker.ts); the median of the rounds. */
  rps: number;
  /** The throughput of each round, in order. */
  rpsByRound: number[];
  /** Responses completed inside the measured window, per second. */
  completedPerSecond: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  responses: number;
  non2xx: number;
  errors: number;
  /** GraphQL requests the target sent to the subgraphs for one operation. */
  subgraphRequests: number;
  /** Calls to the subgraphs' internal policy endpoints for one operation (this gateway, rules on). */
  policyLookups: number;
  /** SQL statements each subgraph ran for one operation (policy look-ups included). */
  sql: Record<SubgraphName, number>;
  /** SQL statements of the gateway's own audit store for one operation (this gateway). */
  auditSql: number;
  /** Errors in the response (FORBIDDEN nulls where the reader may not look). */
  graphqlErrors: number;
  /**
   * CPU milliseconds per request, requests sent one after another (no load): the benchmark's
   * process (the gateway under test and the client) and the subgraphs' process. Steadier than
   * throughput on a busy machine.
   */
  cpuMs: { gateway: number; subgraphs: number };
}

export interface OperationResult {
  description: string;
  targets: Partial<Record<TargetName, Measurement>>;
  /** 1 - (throughput with rules / throughput without). */
  rulesOverhead: number | null;
  /** Throughput with rules / Apollo Gateway's. */
  vsApolloGateway: number | null;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** What one measured round gives (load-worker.ts). */
export type RoundResult = Pick<Measurement, 'rps' | 'completedPerSecond' | 'meanMs' | 'p50Ms' | 'p99Ms' | 'responses' | 'non2xx' | 'errors' | 'cpuMs'>;

/** Several rounds of one operation through one target: medians of the rates, latencies and CPU times, sums of the counts. */
export function combineRounds(rounds: readonly RoundResult[]): Omit<RoundResult, 'rps'> & Pick<Measurement, 'rps' | 'rpsByRound'> {
  const mid = (pick: (r: RoundResult) => number) => median(rounds.map(pick)) ?? 0;
  const sum = (pick: (r: RoundResult) => number) => rounds.reduce((total, r) => total + pick(r), 0);
  return {
    rps: mid((r) => r.rps),
    rpsByRound: rounds.map((r) => r.rps),
    completedPerSecond: mid((r) => r.completedPerSecond),
    meanMs: mid((r) => r.meanMs),
    p50Ms: mid((r) => r.p50Ms),
    p99Ms: mid((r) => r.p99Ms),
    responses: sum((r) => r.responses),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    cpuMs: { gateway: mid((r) => r.cpuMs.gateway), subgraphs: mid((r) => r.cpuMs.subgraphs) },
  };
}

/** The two headline ratios of one operation (null when a side is missing or served nothing). */
export function ratiosOf(targets: OperationResult['targets']): Pick<OperationResult, 'rulesOverhead' | 'vsApolloGateway'> {
  const rules = targets.rules?.rps;
  const noRules = targets.noRules?.rps;
  const apollo = targets.apolloGateway?.rps;
  return {
    rulesOverhead: rules !== undefined && noRules ? 1 - rules / noRules : null,
    vsApolloGateway: rules !== undefined && apollo ? rules / apollo : null,
  };
}

/** The headline numbers: medians over the operations of each operation's ratio. */
export function headline(perOperation: Record<string, Pick<OperationResult, 'rulesOverhead' | 'vsApolloGateway'>>): { rulesOverhead: number | null; vsApolloGateway: number | null } {
  const results = Object.values(perOperation);
  const present = (values: (number | null)[]) => values.filter((v): v is number => v !== null);
  return {
    rulesOverhead: median(present(results.map((r) => r.rulesOverhead))),
    vsApolloGateway: median(present(results.map((r) => r.vsApolloGateway))),
  };
}

const fixed = (value: number | null, digits: number) => (value === null ? 'n/a' : value.toFixed(digits));
const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(0)}%`);

/** The results as a Markdown table (printed, and pasted into the README). */
export function resultsTable(perOperation: Record<string, OperationResult>): string {
  const rate = (m: Measurement) =>
    m.rpsByRound.length > 1 ? `${m.rps.toFixed(0)} (${Math.min(...m.rpsByRound).toFixed(0)}–${Math.max(...m.rpsByRound).toFixed(0)})` : m.rps.toFixed(0);
  const lines = [
    '| operation | target | req/s (rounds: min–max) | p50 ms | p99 ms | subgraph requests | policy look-ups | SQL patient/employee/billing | audit SQL | errors in response | CPU ms/request gateway + subgraphs |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const [name, result] of Object.entries(perOperation)) {
    for (const target of TARGETS) {
      const m = result.targets[target];
      if (!m) continue;
      lines.push(
        `| ${name} | ${TARGET_LABELS[target]} | ${rate(m)} | ${fixed(m.p50Ms, 0)} | ${fixed(m.p99Ms, 0)} | ${m.subgraphRequests} | ${m.policyLookups} | ${m.sql.patient}/${m.sql.employee}/${m.sql.billing} | ${m.auditSql} | ${m.graphqlErrors} | ${fixed(m.cpuMs.gateway, 1)} + ${fixed(m.cpuMs.subgraphs, 1)} |`,
      );
    }
  }
  return lines.join('\n');
}

/** One line per operation and the medians. */
export function ratiosTable(perOperation: Record<string, OperationResult>): string {
  const { rulesOverhead, vsApolloGateway } = headline(perOperation);
  const lines = ['| operation | rules overhead | with rules / Apollo Gateway |', '|---|--:|--:|'];
  for (const [name, result] of Object.entries(perOperation)) lines.push(`| ${name} | ${percent(result.rulesOverhead)} | ${fixed(result.vsApolloGateway, 2)} |`);
  lines.push(`| **median** | **${percent(rulesOverhead)}** | **${fixed(vsApolloGateway, 2)}** |`);
  return lines.join('\n');
}
