import { describe, expect, it } from 'vitest';
import { combineRounds, goals, goalsTable, headline, median, pairedMedians, pairedTable, ratiosOf, ratiosTable, resultsTable, type Headline, type Measurement, type OperationResult } from './summary.js';

const at = (rps: number, cpuMs = { gateway: 5, subgraphs: 3 }, rpsByRound = [rps]): Measurement => ({
  rps,
  rpsByRound,
  completedPerSecond: rps,
  meanMs: 10,
  p50Ms: 10,
  p99Ms: 20,
  responses: 100,
  non2xx: 0,
  errors: 0,
  subgraphRequests: 2,
  policyLookups: 1,
  sql: { patient: 3, employee: 1, billing: 0 },
  auditSql: 4,
  graphqlErrors: 0,
  cpuMs,
});
const cpu = (gateway: number, subgraphs: number) => ({ gateway, subgraphs });

describe('the benchmark summary', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([0.4, 0.1, 0.3, 0.2])).toBeCloseTo(0.25);
  });

  it('measures the rules overhead on CPU per request (gateway and subgraphs), and throughput against each peer gateway', () => {
    const ratios = ratiosOf({ rules: at(90, cpu(11.5, 4.4)), noRules: at(100, cpu(10, 4)), apolloGateway: at(60), hiveGateway: at(120) });
    expect(ratios.rulesOverhead).toBeCloseTo(0.15);
    expect(ratios.subgraphOverhead).toBeCloseTo(0.1);
    expect(ratios.vsApolloGateway).toBeCloseTo(1.5);
    expect(ratios.vsHiveGateway).toBeCloseTo(0.75);
    expect(ratios.throughputWithRules).toBeCloseTo(0.9);
    // Rules that save the subgraphs work (a refused field never asked) give a negative overhead.
    expect(ratiosOf({ rules: at(90, cpu(5, 2)), noRules: at(100, cpu(5, 4)) }).subgraphOverhead).toBeCloseTo(-0.5);
  });

  it('gives no ratio, rather than a division by zero, when a side is missing or measured nothing', () => {
    const none = { rulesOverhead: null, subgraphOverhead: null, vsApolloGateway: null, vsHiveGateway: null, throughputWithRules: null };
    expect(ratiosOf({ rules: at(90) })).toEqual(none);
    expect(ratiosOf({})).toEqual(none);
    expect(ratiosOf({ rules: at(90), noRules: at(0, cpu(0, 0)), apolloGateway: at(0), hiveGateway: at(0) })).toEqual(none);
    expect(ratiosOf({ noRules: at(90), apolloGateway: at(90), hiveGateway: at(90) })).toEqual(none);
  });

  it('reports the medians over the operations of each ratio, and the worst rules overhead', () => {
    const perOperation = {
      a: ratiosOf({ rules: at(50, cpu(15, 3)), noRules: at(100, cpu(10, 3)), apolloGateway: at(100), hiveGateway: at(25) }), // +50%, 0%, 0.5, 2
      b: ratiosOf({ rules: at(80, cpu(11, 6)), noRules: at(100, cpu(10, 3)), apolloGateway: at(40), hiveGateway: at(80) }), // +10%, +100%, 2, 1
      c: ratiosOf({ rules: at(95, cpu(10.5, 3.3)), noRules: at(100, cpu(10, 3)), apolloGateway: at(95), hiveGateway: at(190) }), // +5%, +10%, 1, 0.5
      d: ratiosOf({ rules: at(90, cpu(12, 3.6)), noRules: at(100, cpu(10, 3)), apolloGateway: at(60) }), // +20%, +20%, 1.5, none
    };
    const h = headline(perOperation);
    expect(h.rulesOverhead).toBeCloseTo((0.1 + 0.2) / 2);
    expect(h.worstRulesOverhead).toBeCloseTo(0.5);
    expect(h.subgraphOverhead).toBeCloseTo((0.1 + 0.2) / 2);
    expect(h.vsApolloGateway).toBeCloseTo((1 + 1.5) / 2);
    expect(h.vsHiveGateway).toBeCloseTo(1);
    expect(h.throughputWithRules).toBeCloseTo((0.8 + 0.9) / 2);
    expect(headline({})).toEqual({ rulesOverhead: null, subgraphOverhead: null, vsApolloGateway: null, vsHiveGateway: null, throughputWithRules: null, worstRulesOverhead: null });
  });

  it("judges the issue's targets on the headline: at the limit is met, past it is not, unmeasured is neither", () => {
    const h: Headline = { rulesOverhead: 0.15, worstRulesOverhead: 0.26, vsApolloGateway: 0.9, vsHiveGateway: 0.99, subgraphOverhead: null, throughputWithRules: 0.8 };
    const verdicts = Object.fromEntries(goals(h).map((g) => [g.goal, [g.bound, g.limit, g.value, g.met]]));
    expect(verdicts).toEqual({
      'rules overhead, gateway CPU per request (median over the operations)': ['atMost', 0.15, 0.15, true],
      'rules overhead, gateway CPU per request (every operation)': ['atMost', 0.25, 0.26, false],
      'with rules, throughput / Apollo Gateway (median)': ['atLeast', 0.9, 0.9, true],
      'with rules, throughput / Hive Gateway (median)': ['atLeast', 1, 0.99, false],
      'subgraph CPU per request, with rules vs without (median)': ['atMost', 0.15, null, null],
    });
    const rows = goalsTable(goals(h)).split('\n');
    expect(rows).toHaveLength(7);
    expect(rows[2]).toBe('| rules overhead, gateway CPU per request (median over the operations) | ≤ +15% | +15% | met |');
    expect(rows[5]).toBe('| with rules, throughput / Hive Gateway (median) | ≥ 1.00 | 0.99 | not met |');
    expect(rows[6]).toBe('| subgraph CPU per request, with rules vs without (median) | ≤ +15% | n/a | not measured |');
  });

  it('keeps the median of the rounds of one operation and target, and their spread', () => {
    const round = (rps: number, p99Ms: number, gateway: number) => ({ rps, completedPerSecond: rps - 1, meanMs: 1000 / rps, p50Ms: 5, p99Ms, responses: 100, non2xx: 0, errors: 0, cpuMs: { gateway, subgraphs: gateway / 2 } });
    const combined = combineRounds([round(100, 30, 12), round(80, 50, 30), round(120, 20, 10)]);
    expect(combined.rps).toBe(100);
    expect(combined.rpsByRound).toEqual([100, 80, 120]);
    expect(combined.p99Ms).toBe(30);
    expect(combined.completedPerSecond).toBe(99);
    expect(combined.responses).toBe(300);
    expect(combined.cpuMs).toEqual({ gateway: 12, subgraphs: 6 });
    expect(combined.cpuMsByRound).toEqual([12, 30, 10]);
  });

  it('prints one table row per operation and target that was measured, with the spread of the rounds', () => {
    const perOperation: Record<string, OperationResult> = {
      list: { description: 'list', targets: { rules: at(90), hiveGateway: at(150), directSubgraph: at(300, cpu(1, 3), [280, 300, 330]) }, ...ratiosOf({}) },
    };
    const rows = resultsTable(perOperation).split('\n');
    expect(rows).toHaveLength(5);
    expect(rows[2]).toBe('| list | this gateway, rules on | 90 | 10 | 20 | 2 | 1 | 3/1/0 | 4 | 0 | 5.0 + 3.0 |');
    expect(rows[3]).toContain('| list | Hive Gateway, no rules | 150 |');
    expect(rows[4]).toContain('| list | subgraph called directly | 300 (280–330) |');
  });

  it('prints the ratios of every operation, their medians in bold and the worst rules overhead', () => {
    const result = (targets: OperationResult['targets']): OperationResult => ({ description: '', targets, ...ratiosOf(targets) });
    const perOperation = {
      one: result({ rules: at(90, cpu(11, 3)), noRules: at(100, cpu(10, 4)), apolloGateway: at(100), hiveGateway: at(90) }),
      two: result({ rules: at(50, cpu(13, 4)), noRules: at(100, cpu(10, 4)), apolloGateway: at(50) }),
    };
    const rows = ratiosTable(perOperation).split('\n');
    expect(rows.slice(2)).toEqual([
      '| one | +10% | −25% | 0.90 | 1.00 | 0.90 |',
      '| two | +30% | +0% | 1.00 | n/a | 0.50 |',
      '| **median** | **+20%** | **−13%** | **0.95** | **1.00** | **0.70** |',
      '| worst operation | +30% | | | | |',
    ]);
  });

  it('gives the paired overheads per operation and their medians, leaving out what was not measured', () => {
    const paired = { a: { gateway: 0.3, subgraphs: 0.1 }, b: { gateway: 0.5, subgraphs: null }, c: { gateway: -0.02, subgraphs: 0.2 } };
    expect(pairedMedians(paired)).toEqual({ gateway: 0.3, subgraphs: expect.closeTo(0.15, 10) });
    expect(pairedTable(paired).split('\n').slice(2)).toEqual(['| a | +30% | +10% |', '| b | +50% | n/a |', '| c | −2% | +20% |', '| **median** | **+30%** | **+15%** |']);
  });
});
