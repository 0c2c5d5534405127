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
  /** The gateway process's CPU ms per request of each round, in order (round 1: the target just started). */
  cpuMsByRound?: number[];
}

/** The issue's ratios for one operation, from one run (null when a side is missing or measured nothing). */
export interface OperationRatios {
  /** Gateway-process CPU ms per request with rules / without, minus 1 (0.15 = rules cost 15% more CPU). */
  rulesOverhead: number | null;
  /** Subgraphs-process CPU ms per request with rules / without, minus 1. */
  subgraphOverhead: number | null;
  /** Throughput with rules / Apollo Gateway's. */
  vsApolloGateway: number | null;
  /** Throughput with rules / Hive Gateway's. */
  vsHiveGateway: number | null;
  /** Throughput with rules / without (for reading, not a target). */
  throughputWithRules: number | null;
}

export interface OperationResult extends OperationRatios {
  description: string;
  targets: Partial<Record<TargetName, Measurement>>;
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
export function combineRounds(rounds: readonly RoundResult[]): Omit<RoundResult, 'rps'> & Pick<Measurement, 'rps' | 'rpsByRound' | 'cpuMsByRound'> {
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
    cpuMsByRound: rounds.map((r) => r.cpuMs.gateway),
  };
}

const ratio = (a: number | undefined, b: number | undefined): number | null => (a !== undefined && b !== undefined && a > 0 && b > 0 ? a / b : null);
const minusOne = (value: number | null) => (value === null ? null : value - 1);

/** The issue's ratios of one operation. */
export function ratiosOf(targets: OperationResult['targets']): OperationRatios {
  const { rules, noRules, apolloGateway, hiveGateway } = targets;
  return {
    rulesOverhead: minusOne(ratio(rules?.cpuMs.gateway, noRules?.cpuMs.gateway)),
    subgraphOverhead: minusOne(ratio(rules?.cpuMs.subgraphs, noRules?.cpuMs.subgraphs)),
    vsApolloGateway: ratio(rules?.rps, apolloGateway?.rps),
    vsHiveGateway: ratio(rules?.rps, hiveGateway?.rps),
    throughputWithRules: ratio(rules?.rps, noRules?.rps),
  };
}

export interface Headline extends OperationRatios {
  /** The largest rules overhead of any operation. */
  worstRulesOverhead: number | null;
}

const present = (values: (number | null)[]) => values.filter((v): v is number => v !== null);

/** The headline numbers: medians over the operations of each operation's ratio, and the worst rules overhead. */
export function headline(perOperation: Record<string, OperationRatios>): Headline {
  const results = Object.values(perOperation);
  const mid = (pick: (r: OperationRatios) => number | null) => median(present(results.map(pick)));
  const overheads = present(results.map((r) => r.rulesOverhead));
  return {
    rulesOverhead: mid((r) => r.rulesOverhead),
    subgraphOverhead: mid((r) => r.subgraphOverhead),
    vsApolloGateway: mid((r) => r.vsApolloGateway),
    vsHiveGateway: mid((r) => r.vsHiveGateway),
    throughputWithRules: mid((r) => r.throughputWithRules),
    worstRulesOverhead: overheads.length > 0 ? Math.max(...overheads) : null,
  };
}

/** One target of the issue, measured: met, not met, or not measured in this run (met null). */
export interface Goal {
  goal: string;
  /** An overhead (shown as a percentage) or a ratio of throughputs. */
  unit: 'overhead' | 'ratio';
  bound: 'atMost' | 'atLeast';
  limit: number;
  value: number | null;
  met: boolean | null;
}

/** The issue's targets (issue 11), judged on one run's headline. */
export function goals(h: Headline): Goal[] {
  const goal = (text: string, unit: Goal['unit'], bound: Goal['bound'], limit: number, value: number | null): Goal => ({
    goal: text,
    unit,
    bound,
    limit,
    value,
    met: value === null ? null : bound === 'atMost' ? value <= limit : value >= limit,
  });
  return [
    goal('rules overhead, gateway CPU per request (median over the operations)', 'overhead', 'atMost', 0.15, h.rulesOverhead),
    goal('rules overhead, gateway CPU per request (every operation)', 'overhead', 'atMost', 0.25, h.worstRulesOverhead),
    goal('with rules, throughput / Apollo Gateway (median)', 'ratio', 'atLeast', 0.9, h.vsApolloGateway),
    goal('with rules, throughput / Hive Gateway (median)', 'ratio', 'atLeast', 1.0, h.vsHiveGateway),
    goal('subgraph CPU per request, with rules vs without (median)', 'overhead', 'atMost', 0.15, h.subgraphOverhead),
  ];
}

const fixed = (value: number | null, digits: number) => (value === null ? 'n/a' : value.toFixed(digits));

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

const signedPercent = (value: number | null) => (value === null ? 'n/a' : `${value >= 0 ? '+' : '−'}${Math.abs(value * 100).toFixed(0)}%`);

/** One line per operation, the medians and the worst rules overhead. */
export function ratiosTable(perOperation: Record<string, OperationResult>): string {
  const h = headline(perOperation);
  const row = (name: string, r: OperationRatios, bold = false) => {
    const cells = [signedPercent(r.rulesOverhead), signedPercent(r.subgraphOverhead), fixed(r.vsApolloGateway, 2), fixed(r.vsHiveGateway, 2), fixed(r.throughputWithRules, 2)];
    return `| ${[name, ...cells].map((c) => (bold ? `**${c}**` : c)).join(' | ')} |`;
  };
  const lines = [
    '| operation | rules overhead (gateway CPU/request, on vs off) | subgraph CPU/request, rules on vs off | with rules / Apollo Gateway (req/s) | with rules / Hive Gateway (req/s) | req/s rules on / off |',
    '|---|--:|--:|--:|--:|--:|',
  ];
  for (const [name, result] of Object.entries(perOperation)) lines.push(row(name, result));
  lines.push(row('median', h, true));
  lines.push(`| worst operation | ${signedPercent(h.worstRulesOverhead)} | | | | |`);
  return lines.join('\n');
}

/** Rules on against off, paired (bench/paired.ts): CPU ms per request with the rules / without − 1, of the gateway's process and the subgraphs'. */
export interface PairedOverhead {
  gateway: number | null;
  subgraphs: number | null;
}

/** The medians over the operations of their paired overheads. */
export function pairedMedians(perOperation: Record<string, PairedOverhead>): PairedOverhead {
  const results = Object.values(perOperation);
  return { gateway: median(present(results.map((p) => p.gateway))), subgraphs: median(present(results.map((p) => p.subgraphs))) };
}

/** One line per operation of the paired overheads, and their medians. */
export function pairedTable(perOperation: Record<string, PairedOverhead>): string {
  const row = (name: string, p: PairedOverhead, bold = false) => `| ${[name, signedPercent(p.gateway), signedPercent(p.subgraphs)].map((c) => (bold ? `**${c}**` : c)).join(' | ')} |`;
  return [
    '| operation | rules overhead, paired (gateway CPU/request, on vs off) | subgraph CPU/request, paired (on vs off) |',
    '|---|--:|--:|',
    ...Object.entries(perOperation).map(([name, p]) => row(name, p)),
    row('median', pairedMedians(perOperation), true),
  ].join('\n');
}

/** The issue's targets, met or not, on this run. */
export function goalsTable(list: readonly Goal[]): string {
  const show = (g: Goal, value: number | null) => (g.unit === 'overhead' ? signedPercent(value) : fixed(value, 2));
  const verdict = (g: Goal) => (g.met === null ? 'not measured' : g.met ? 'met' : 'not met');
  return [
    '| target (issue 11) | goal | this run | |',
    '|---|--:|--:|---|',
    ...list.map((g) => `| ${g.goal} | ${g.bound === 'atMost' ? '≤' : '≥'} ${show(g, g.limit)} | ${show(g, g.value)} | ${verdict(g)} |`),
  ].join('\n');
}
