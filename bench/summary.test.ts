import { describe, expect, it } from 'vitest';
import { combineRounds, headline, median, ratiosOf, resultsTable, type Measurement, type OperationResult } from './summary.js';

const at = (rps: number, rpsByRound = [rps]): Measurement => ({
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
  cpuMs: { gateway: 5, subgraphs: 3 },
});

describe('the benchmark summary', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([0.4, 0.1, 0.3, 0.2])).toBeCloseTo(0.25);
  });

  it('computes rulesOverhead = 1 - with rules / without, and vsApolloGateway = with rules / Apollo Gateway', () => {
    const ratios = ratiosOf({ rules: at(90), noRules: at(100), apolloGateway: at(60) });
    expect(ratios.rulesOverhead).toBeCloseTo(0.1);
    expect(ratios.vsApolloGateway).toBeCloseTo(1.5);
    // A target that is missing (or served nothing) gives no ratio rather than a division by zero.
    expect(ratiosOf({ rules: at(90) })).toEqual({ rulesOverhead: null, vsApolloGateway: null });
    expect(ratiosOf({ rules: at(90), noRules: at(0), apolloGateway: at(0) })).toEqual({ rulesOverhead: null, vsApolloGateway: null });
  });

  it('reports the medians over the operations of each operation ratio', () => {
    const perOperation = {
      a: ratiosOf({ rules: at(50), noRules: at(100), apolloGateway: at(100) }), // 0.5, 0.5
      b: ratiosOf({ rules: at(80), noRules: at(100), apolloGateway: at(40) }), // 0.2, 2
      c: ratiosOf({ rules: at(95), noRules: at(100), apolloGateway: at(95) }), // 0.05, 1
      d: ratiosOf({ rules: at(90), noRules: at(100), apolloGateway: at(60) }), // 0.1, 1.5
    };
    const { rulesOverhead, vsApolloGateway } = headline(perOperation);
    expect(rulesOverhead).toBeCloseTo((0.1 + 0.2) / 2);
    expect(vsApolloGateway).toBeCloseTo((1 + 1.5) / 2);
    expect(headline({ only: { rulesOverhead: null, vsApolloGateway: 2 } })).toEqual({ rulesOverhead: null, vsApolloGateway: 2 });
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
  });

  it('prints one table row per operation and target that was measured, with the spread of the rounds', () => {
    const perOperation: Record<string, OperationResult> = {
      list: { description: 'list', targets: { rules: at(90), directSubgraph: at(300, [280, 300, 330]) }, rulesOverhead: null, vsApolloGateway: null },
    };
    const rows = resultsTable(perOperation).split('\n');
    expect(rows).toHaveLength(4);
    expect(rows[2]).toBe('| list | this gateway, rules on | 90 | 10 | 20 | 2 | 1 | 3/1/0 | 4 | 0 | 5.0 + 3.0 |');
    expect(rows[3]).toContain('| list | subgraph called directly | 300 (280–330) |');
  });
});
