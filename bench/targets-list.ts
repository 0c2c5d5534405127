/** What the benchmark puts side by side, in this order. */
export const TARGETS = ['rules', 'noRules', 'apolloGateway', 'hiveGateway', 'directSubgraph'] as const;
export type TargetName = (typeof TARGETS)[number];

export const TARGET_LABELS: Record<TargetName, string> = {
  rules: 'this gateway, rules on',
  noRules: 'this gateway, rules off',
  apolloGateway: 'Apollo Gateway, no rules',
  hiveGateway: 'Hive Gateway, no rules',
  directSubgraph: 'subgraph called directly',
};
