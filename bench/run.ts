// `npm run bench [-- --quick]`: this gateway with its access rules, the same gateway with the rules
// switched off, Apollo Gateway and (where one can answer alone) the subgraph itself, on the same
// subgraphs and the same operations, one after another. See the README's "Benchmark" section.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';
import type { SubgraphName } from '@clinic/schema';
import type { DevKeyPair } from '@clinic/gateway';
import type { LoadHandlers, LoadJob } from './load-worker.js';
import { LOAD_PATIENTS } from './load-plan.js';
import { OPERATIONS as ALL_OPERATIONS, type GraphQLBody, type Operation } from './operations.js';
import { combineRounds, goals, goalsTable, headline, pairedMedians, pairedTable, ratiosOf, ratiosTable, resultsTable, type Measurement, type OperationResult, type PairedOverhead, type RoundResult } from './summary.js';
import type { SubgraphsHandlers } from './subgraphs-process.js';
import type { RunningTarget } from './targets.js';
import { TARGETS as ALL_TARGETS, TARGET_LABELS, type TargetName } from './targets-list.js';
import { interleaved, pairedOverhead, SIDES, warmUp, type Side } from './paired.js';
import { startProfiling } from './profiler.js';
import { startProcess, startThread, type HelperClient } from './worker-rpc.js';

// The subgraphs' process and the load generator's thread start first: the gateways' libraries
// (seconds of loading) are imported meanwhile.
const heavy = async () => ({
  ...(await import('@clinic/schema')),
  ...(await import('@clinic/service-kit')),
  ...(await import('@clinic/gateway')),
  ...(await import('./targets.js')),
});
type Heavy = Awaited<ReturnType<typeof heavy>>;

// Request logs would measure pino and the terminal; LOG_LEVEL=info shows them anyway. The level is
// handed to the loggers (and to the subgraphs' process), not left in this process's environment:
// Hive Gateway's logger reads LOG_LEVEL too and refuses pino's `silent`.
const LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
delete process.env.LOG_LEVEL;

const quick = process.argv.includes('--quick');
/**
 * `--only=list100,nurse` and `--targets=rules,noRules` narrow a run while investigating, `--cpu-requests=N`
 * sets how many requests the CPU measurement sends; a narrowed run writes no results.
 */
const listFlag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3).split(',');
const onlyOperations = listFlag('only');
const onlyTargets = listFlag('targets');
/** `--profile=DIR` writes a CPU profile of this process over the one-after-another requests of each operation and target. */
const profileTo = listFlag('profile')?.[0];
const partial = Boolean(onlyOperations ?? onlyTargets ?? profileTo);

/** Unknown names in a narrowing flag stop the run: a typo would otherwise measure nothing, silently. */
function refuse(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}
function known<T extends string>(flag: string, asked: string[] | undefined, names: readonly T[]): void {
  const unknown = asked?.filter((name) => !(names as readonly string[]).includes(name)) ?? [];
  if (unknown.length > 0) refuse(`--${flag} names ${unknown.join(', ')}; known: ${names.join(', ')}`);
}
known('only', onlyOperations, ALL_OPERATIONS.map((op) => op.name));
known('targets', onlyTargets, ALL_TARGETS);
const cpuRequestsFlag = listFlag('cpu-requests')?.[0];
if (cpuRequestsFlag !== undefined && !(Number.isInteger(Number(cpuRequestsFlag)) && Number(cpuRequestsFlag) > 0)) refuse('--cpu-requests takes a positive whole number');
const OPERATIONS = ALL_OPERATIONS.filter((op) => !onlyOperations || onlyOperations.includes(op.name));
const TARGETS = ALL_TARGETS.filter((target) => !onlyTargets || onlyTargets.includes(target));
// Every operation is warmed up right before it is measured: the warm-up also takes the last requests
// of the operation before it (still in the gateway when the load generator moves on). A full run
// measures everything in three rounds (the targets one after another in each) and keeps the median:
// other work on the machine then disturbs one round of a target, not all its numbers.
const SETTINGS = quick
  ? { connections: 10, rounds: 1, warmupSeconds: 1, seconds: 2, maxRequests: 50_000, cpuRequests: Number(cpuRequestsFlag ?? (profileTo ? 200 : 10)), pairs: 3, pairedRequests: 6, pairedWarmup: { requests: 30, seconds: 2 } }
  : { connections: 10, rounds: 3, warmupSeconds: 2, seconds: 4, maxRequests: 100_000, cpuRequests: 50, pairs: 12, pairedRequests: 16, pairedWarmup: { requests: 600, seconds: 10 } };
/** A full run's results (committed); a quick run's rough numbers go beside them, never over them (not committed). */
const RESULTS_FILE = new URL('./results/latest.json', import.meta.url);
const QUICK_RESULTS_FILE = new URL('./results/quick.json', import.meta.url);
/** How to read the numbers, written with them. */
const NOTES = [
  'Targets run on the same subgraphs (one child process, SQLite files in a temp folder, the demo clinic and 500 load patients), all started at once, each loaded in turn; the gateway under test runs in the main thread, autocannon in a worker thread; loopback only.',
  'rps = connections / mean latency (closed loop, Little\'s law); completedPerSecond = 2xx responses completed inside the window / window. A full run measures in three rounds; in each, every operation goes through the targets one right after the other (in reverse order every other round), so that the machine\'s drift over minutes falls on the targets of an operation alike: rates and latencies are the medians of the rounds, rpsByRound shows their spread.',
  'Counts (subgraphRequests, policyLookups, sql, auditSql, graphqlErrors) are of one request sent alone after the target started, not under load.',
  'cpuMs: CPU milliseconds per request with requests sent one after another (no load, after each round\'s load), of the benchmark process (gateway under test and its client; the subgraph-direct row has only the client) and of the subgraphs process; the median of the rounds; steadier than throughput on a busy machine. cpuMsByRound: the gateway side of each round.',
  'Each target is started once, before round 1, and kept for every round: round 1 measures gateways just started (their own compiled code, such as graphql-jit\'s compiled queries, still cold, and V8 compiling it on helper threads that count as CPU), rounds 2 and on warm ones, as a gateway serving for days is; medians over the rounds are the warm figures.',
  'subgraphRequests and policyLookups are counted by the subgraphs as they receive them. policyLookups: calls to the internal policy endpoints (a staff caller\'s employment check, rules on or off, is asked at most once a second per employee: EMPLOYMENT_RECHECK_MS; a patient\'s sign-in asks for their own record on every request).',
  'Rules off (unsafeDisableRulesForBenchmark): no graphql-shield rules, row filters, minimal disclosure or input checks, so no decisions and no audit events; token verification stays.',
  'Apollo Gateway: @apollo/gateway on the same supergraph file, no rules and no token check, its subgraph calls signed with service-kit\'s signedFetch over the global fetch (this gateway sends its own over kept-alive node:http connections, bufferedFetch).',
  'Hive Gateway: @graphql-hive/gateway-runtime with @graphql-mesh/transport-http on the same supergraph file (node:http), no rules and no token check, its subgraph calls signed with signedFetch; its de-duplication of identical in-flight subgraph requests is turned off (deduplicateInflightRequests: false), since the load sends identical requests at once. Every target is checked at start to make its own subgraph calls for identical requests in flight together.',
  'Ratios (per operation, from this one run; headline = median over the operations): rulesOverhead = gateway-process CPU ms per request with rules / without - 1; subgraphOverhead = the same for the subgraphs process; vsApolloGateway and vsHiveGateway = req/s with rules / theirs; throughputWithRules = req/s with rules / without. goals: the issue\'s targets judged on them.',
  'paired (for reading, not judged by the goals): rules on against off measured again after the rounds with both gateways running at once, each operation first sent through each gateway pairedWarmup.requests times (at most pairedWarmup.seconds: a new gateway\'s own compiled code is cold, and V8 compiles it on helper threads that count as CPU), then measured in interleaved batches (off on, on off, ...) of pairedRequests requests sent one after another; per operation the median of the pairs\' ratios of CPU ms per request (this process, and the subgraphs process) minus 1, and their median over the operations. The machine\'s drift falls on both sides of a pair alike.',
  'The nurse may not read balance: with rules it is FORBIDDEN (null) and never asked of the billing subgraph; without rules it is fetched.',
];

/** The versions measured against, as `npm ci` installs them (package-lock.json). */
function peerVersions(): Record<string, string | null> {
  const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as { packages?: Record<string, { version?: string }> };
  const names = ['@apollo/gateway', '@graphql-hive/gateway-runtime', '@graphql-mesh/transport-http', 'graphql'];
  return Object.fromEntries(names.map((name) => [name, lock.packages?.[`node_modules/${name}`]?.version ?? null]));
}

const since = performance.now();
const log = (message: string) => process.stderr.write(`${((performance.now() - since) / 1000).toFixed(1).padStart(5)}s ${message}\n`);

/** Calls to the subgraphs made while `run` runs, as the subgraphs received them: GraphQL requests and internal policy look-ups. */
async function countingSubgraphCalls<T>(subgraphs: HelperClient<SubgraphsHandlers>, run: () => Promise<T>): Promise<{ value: T; graphql: number; policy: number }> {
  const before = await subgraphs.call('received', undefined);
  const value = await run();
  const after = await subgraphs.call('received', undefined);
  return { value, graphql: after.graphql - before.graphql, policy: after.policy - before.policy };
}

interface BenchRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Signed as the gateway signs, for this subgraph (calls straight to a subgraph). */
  signWith?: { secret: string; audience: string };
}

async function tokenFor(lib: Heavy, keys: DevKeyPair, op: Operation): Promise<string> {
  const user = lib.demoUser(op.as.username);
  if (!user) throw new Error(`bench: no demo user ${op.as.username}`);
  return lib.mintDevToken(keys, user, { mfa: op.as.mfa ?? false, expiresIn: '2h' });
}

interface Context {
  lib: Heavy;
  load: HelperClient<LoadHandlers>;
  subgraphs: HelperClient<SubgraphsHandlers>;
  subgraphUrls: Record<SubgraphName, string>;
  running?: RunningTarget;
}

type Counts = Pick<Measurement, 'subgraphRequests' | 'policyLookups' | 'sql' | 'auditSql' | 'graphqlErrors'>;

/** CPU time per request, the requests sent one after another: this process (gateway and client) and the subgraphs' process. */
async function cpuPerRequest(name: string, request: BenchRequest, { lib, subgraphs }: Context, count: number): Promise<Measurement['cpuMs']> {
  const send = request.signWith ? lib.signedFetch(request.signWith.secret, { audience: request.signWith.audience }) : fetch;
  const once = async () => {
    const response = await send(request.url, { method: 'POST', headers: request.headers, body: request.body });
    await response.arrayBuffer();
  };
  // Warm-up: the JIT and the caches settle first.
  for (let i = 0; i < Math.max(3, count / 4); i += 1) await once();
  let stopProfiling: ((file: string) => Promise<void>) | undefined;
  const profile = profileTo
    ? {
        start: async () => {
          stopProfiling = await startProfiling();
          await subgraphs.call('startProfiling', undefined);
        },
        stop: async () => {
          await stopProfiling?.(join(profileTo, `${name}.cpuprofile`));
          await subgraphs.call('stopProfiling', join(profileTo, `${name}-subgraphs.cpuprofile`));
        },
      }
    : undefined;
  return cpuWhile(subgraphs, count, once, profile);
}

/**
 * CPU ms per request of this process (gateway and client) and of the subgraphs' process while
 * `count` requests go one after another; `during` is started and stopped around them (a profile).
 */
async function cpuWhile(
  subgraphs: HelperClient<SubgraphsHandlers>,
  count: number,
  once: () => Promise<void>,
  during?: { start(): Promise<void>; stop(): Promise<void> },
): Promise<Measurement['cpuMs']> {
  const subgraphsBefore = await subgraphs.call('cpuMs', undefined);
  await during?.start();
  const before = process.cpuUsage();
  for (let i = 0; i < count; i += 1) await once();
  const used = process.cpuUsage(before);
  await during?.stop();
  const subgraphsUsed = (await subgraphs.call('cpuMs', undefined)) - subgraphsBefore;
  return { gateway: (used.user + used.system) / 1000 / count, subgraphs: subgraphsUsed / count };
}

/** Waits until the subgraphs run no more SQL: the previous load's last requests are done. */
async function quiet(subgraphs: HelperClient<SubgraphsHandlers>): Promise<void> {
  const total = async () => Object.values(await subgraphs.call('statements', undefined)).reduce((a, b) => a + b, 0);
  let last = await total();
  for (let stable = 0, waited = 0; stable < 3 && waited < 30_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await total();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
}

/** One request, alone, counted and checked: a benchmark of wrong answers measures nothing. */
async function probe(target: TargetName, op: Operation, request: BenchRequest, context: Context): Promise<Counts> {
  const { lib, subgraphs, running } = context;
  const sqlBefore = await subgraphs.call('statements', undefined);
  const auditBefore = running?.auditStatements?.() ?? 0;
  const send = request.signWith ? lib.signedFetch(request.signWith.secret, { audience: request.signWith.audience }) : fetch;
  const sent = await countingSubgraphCalls(subgraphs, async () => {
    const response = await send(request.url, { method: 'POST', headers: request.headers, body: request.body });
    return { status: response.status, body: (await response.json()) as GraphQLBody };
  });
  const sqlAfter = await subgraphs.call('statements', undefined);
  const problem = sent.value.status === 200 ? op.check(sent.value.body, target === 'rules') : `HTTP ${sent.value.status}`;
  if (problem) throw new Error(`bench: ${op.name} through ${TARGET_LABELS[target]} answers wrongly: ${problem}`);
  return {
    subgraphRequests: sent.graphql,
    policyLookups: sent.policy,
    sql: Object.fromEntries(lib.SUBGRAPHS.map((s) => [s.name, sqlAfter[s.name] - sqlBefore[s.name]])) as Record<SubgraphName, number>,
    auditSql: (running?.auditStatements?.() ?? 0) - auditBefore,
    graphqlErrors: sent.value.body.errors?.length ?? 0,
  };
}

/** Identical requests sent at once, as the load sends them. */
const AT_ONCE = 5;

/**
 * Identical requests in flight together each get their own subgraph calls: a gateway that answered
 * them from one shared call (Hive Gateway does unless told not to) would be measured on less work.
 */
async function checkNoSharedCalls(target: TargetName, op: Operation, request: BenchRequest, context: Context, alone: number): Promise<void> {
  const send = request.signWith ? context.lib.signedFetch(request.signWith.secret, { audience: request.signWith.audience }) : fetch;
  const { graphql } = await countingSubgraphCalls(context.subgraphs, () =>
    Promise.all(Array.from({ length: AT_ONCE }, async () => (await send(request.url, { method: 'POST', headers: request.headers, body: request.body })).arrayBuffer())),
  );
  if (graphql !== AT_ONCE * alone) {
    throw new Error(`bench: ${AT_ONCE} identical ${op.name} requests at once through ${TARGET_LABELS[target]} made ${graphql} subgraph requests, not ${AT_ONCE} × ${alone}: answers are shared`);
  }
}

/** Warm-up, then the measured run, with the load generator in its own thread; then the CPU time per request. */
async function loadTest(target: TargetName, op: Operation, request: BenchRequest, context: Context, round: number): Promise<RoundResult> {
  const { load } = context;
  const job: LoadJob = { ...request, connections: SETTINGS.connections, seconds: SETTINGS.warmupSeconds, maxRequests: SETTINGS.maxRequests };
  await load.call('run', job);
  let seconds = SETTINGS.seconds;
  let result = await load.call('run', { ...job, seconds });
  // An operation so slow that a connection barely completes one request in the window gets a longer one.
  while (result.responses < SETTINGS.connections && seconds < SETTINGS.seconds * 4) {
    seconds *= 2;
    log(`bench: ${result.responses} responses for ${op.name} through ${TARGET_LABELS[target]}: measuring again over ${seconds}s`);
    result = await load.call('run', { ...job, seconds });
  }
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`bench: ${op.name} through ${TARGET_LABELS[target]}: ${result.non2xx} non-2xx responses and ${result.errors} connection errors under load`);
  }
  if (result.responses < SETTINGS.connections) log(`bench: only ${result.responses} responses for ${op.name} through ${TARGET_LABELS[target]}: too few for a steady number`);
  const { rps, completedPerSecond, meanMs, p50Ms, p99Ms, responses, non2xx, errors } = result;
  const cpuMs = await cpuPerRequest(`${op.name}-${target}-round${round}`, request, context, SETTINGS.cpuRequests);
  return { rps, completedPerSecond, meanMs, p50Ms, p99Ms, responses, non2xx, errors, cpuMs };
}

/**
 * Rules on against off, paired: both gateways run at once on the same subgraphs, and each
 * operation's CPU per request is measured in interleaved batches (A = rules off, B = rules on), so
 * that the machine's other work, which moves whole runs by a third, falls on both sides alike.
 */
async function pairedRules(subgraphs: HelperClient<SubgraphsHandlers>, start: (target: 'rules' | 'noRules') => Promise<RunningTarget>, tokens: Map<string, string>): Promise<Record<string, PairedOverhead>> {
  const gateways: Record<Side, RunningTarget> = { A: await start('noRules'), B: await start('rules') };
  try {
    const perOperation: Record<string, PairedOverhead> = {};
    for (const op of OPERATIONS) {
      const body = JSON.stringify({ query: op.query, variables: op.variables });
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(op.name)}` };
      const once = async (side: Side) => {
        const response = await fetch(gateways[side].url, { method: 'POST', headers, body });
        await response.arrayBuffer();
      };
      const batch = async (side: Side) => {
        for (let i = 0; i < 2; i += 1) await once(side);
        return cpuWhile(subgraphs, SETTINGS.pairedRequests, () => once(side));
      };
      // Both gateways are new: their own compiled code is cold (see warmUp), the process's is not.
      for (const side of SIDES) await warmUp(() => once(side), SETTINGS.pairedWarmup);
      const samples = await interleaved(SETTINGS.pairs, batch);
      const of = (k: keyof PairedOverhead) => pairedOverhead(samples.A.map((s) => s[k]), samples.B.map((s) => s[k]));
      perOperation[op.name] = { gateway: of('gateway'), subgraphs: of('subgraphs') };
    }
    return perOperation;
  } finally {
    await gateways.A.stop();
    await gateways.B.stop();
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const clock = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  if (loadAtStart > cpus().length / 2) log(`bench: the machine is busy (load average ${loadAtStart.toFixed(1)} on ${cpus().length} CPUs): the numbers will be noisy`);
  log(
    `bench: ${quick ? 'quick' : 'full'} run, ${SETTINGS.connections} connections, ${SETTINGS.rounds} round(s) of ${SETTINGS.warmupSeconds}s warm-up and ${SETTINGS.seconds}s measured per operation and target`,
  );
  const signingSecret = randomBytes(32).toString('base64url');
  const dir = mkdtempSync(join(tmpdir(), 'clinic-bench-gateway-'));
  const subgraphs = startProcess<SubgraphsHandlers>(new URL('./subgraphs-process.ts', import.meta.url), { BENCH_SIGNING_SECRET: signingSecret, BENCH_SEEDED_AT: startedAt.toISOString(), LOG_LEVEL });
  const load = startThread<LoadHandlers>(new URL('./load-worker.ts', import.meta.url), null);
  /** The targets under measurement, started before round 1 and stopped after the last. */
  const kept = new Map<TargetName, RunningTarget>();
  try {
    const started = subgraphs.call('start', undefined);
    const lib = await heavy();
    const keys = await lib.loadOrCreateDevKeys(dir);
    const subgraphUrls = await started;
    log(`bench: subgraphs ready with the demo clinic and ${LOAD_PATIENTS} load patients`);
    const tokens = new Map(await Promise.all(OPERATIONS.map(async (op) => [op.name, await tokenFor(lib, keys, op)] as const)));
    const perOperation: Record<string, OperationResult> = Object.fromEntries(
      OPERATIONS.map((op) => [op.name, { description: op.description, targets: {}, ...ratiosOf({}) }]),
    );

    // Each target is started once and kept for every round: a gateway serves for days, so what a
    // request costs is its cost once the gateway's own compiled code (graphql-jit's queries, its
    // plans) is warm, not in its first seconds (cpuMsByRound shows round 1 beside the others).
    // Once started, every operation is first sent alone through it (checked and counted; a full
    // run sends it twice and keeps the second count).
    const counts = new Map<string, Counts>();
    const rounds = new Map<string, RoundResult[]>();
    const requests = new Map<string, BenchRequest>();
    const contexts = new Map<TargetName, Context>();
    const cell = (op: Operation, target: TargetName) => `${op.name} ${target}`;
    const body = (op: Operation) => JSON.stringify({ query: op.query, variables: op.variables });
    for (const target of TARGETS) {
      const running = target === 'directSubgraph' ? undefined : await lib.startTarget(target, { subgraphUrls, signingSecret, keys, dir, logLevel: LOG_LEVEL });
      if (running) kept.set(target, running);
      log(`bench: ${TARGET_LABELS[target]} ready`);
      const context: Context = { lib, load, subgraphs, subgraphUrls, ...(running ? { running } : {}) };
      contexts.set(target, context);
      await quiet(subgraphs);
      for (const op of OPERATIONS) {
        if (target === 'directSubgraph' && !op.direct) continue;
        const request: BenchRequest =
          target === 'directSubgraph' && op.direct
            ? { url: subgraphUrls[op.direct], body: body(op), headers: { 'content-type': 'application/json' }, signWith: { secret: signingSecret, audience: op.direct } }
            : { url: (running as RunningTarget).url, body: body(op), headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(op.name)}` } };
        requests.set(cell(op, target), request);
        if (!quick) await probe(target, op, request, context);
        const counted = await probe(target, op, request, context);
        await checkNoSharedCalls(target, op, request, context, counted.subgraphRequests);
        counts.set(cell(op, target), counted);
      }
      log(`bench: ${TARGET_LABELS[target]}: its operations checked and counted`);
    }
    // Then, in each round, each operation through every target one right after the other (in the
    // reverse order every other round): the machine's speed drifts by as much as half over a run,
    // and a ratio of two targets measured minutes apart would measure the drift.
    for (let round = 1; round <= SETTINGS.rounds; round += 1) {
      if (SETTINGS.rounds > 1) log(`bench: round ${round} of ${SETTINGS.rounds}`);
      const order = round % 2 === 1 ? TARGETS : [...TARGETS].reverse();
      for (const op of OPERATIONS) {
        for (const target of order) {
          const request = requests.get(cell(op, target));
          const context = contexts.get(target);
          if (!request || !context) continue;
          const result = await loadTest(target, op, request, context, round);
          rounds.set(cell(op, target), [...(rounds.get(cell(op, target)) ?? []), result]);
          log(`  ${op.name.padEnd(10)} ${TARGET_LABELS[target].padEnd(26)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms`);
        }
      }
    }
    for (const [target, gateway] of [...kept]) {
      await gateway.stop();
      kept.delete(target);
    }
    for (const op of OPERATIONS) {
      for (const target of TARGETS) {
        const measured = rounds.get(cell(op, target));
        if (!measured) continue;
        const m: Measurement = { ...combineRounds(measured), ...(counts.get(cell(op, target)) as Counts) };
        (perOperation[op.name] as OperationResult).targets[target] = m;
      }
    }

    let paired: { perOperation: Record<string, PairedOverhead>; median: PairedOverhead } | undefined;
    if (TARGETS.includes('rules') && TARGETS.includes('noRules')) {
      log(`bench: rules on against off, paired: up to ${SETTINGS.pairedWarmup.requests} requests (${SETTINGS.pairedWarmup.seconds} s) to warm each gateway, then ${SETTINGS.pairs} pairs of ${SETTINGS.pairedRequests} requests per operation`);
      const byOperation = await pairedRules(subgraphs, (target) => lib.startTarget(target, { subgraphUrls, signingSecret, keys, dir: mkdtempSync(join(dir, `paired-${target}-`)), logLevel: LOG_LEVEL }), tokens);
      paired = { perOperation: byOperation, median: pairedMedians(byOperation) };
    }
    for (const result of Object.values(perOperation)) Object.assign(result, ratiosOf(result.targets));
    const ratios = headline(perOperation);
    const targetsMet = goals(ratios);
    const cpuList = cpus();
    const machine = {
      os: `${type()} ${release()} ${arch()}`,
      cpus: `${cpuList.length} × ${cpuList[0]?.model.trim() ?? 'unknown'}`,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      // Other work on the machine skews every number: the 1-minute load average before and after.
      loadAverage: { atStart: Number(loadAtStart.toFixed(2)), atEnd: Number((loadavg()[0] ?? 0).toFixed(2)) },
    };
    const output = {
      // The issue's targets, judged on this run, and the medians (and worst overhead) they are judged on.
      goals: targetsMet,
      headline: ratios,
      date: startedAt.toISOString(),
      mode: quick ? 'quick' : 'full',
      machine,
      versions: peerVersions(),
      settings: { ...SETTINGS, loopbackOnly: true },
      targets: TARGET_LABELS,
      notes: NOTES,
      perOperation,
      ...(paired ? { paired } : {}),
    };
    const tables = `${resultsTable(perOperation)}\n\n${ratiosTable(perOperation)}\n\n${goalsTable(targetsMet)}${paired ? `\n\n${pairedTable(paired.perOperation)}` : ''}`;
    if (partial) {
      console.log(`\n${tables}\n\n(a partial run: no results file is written)`);
      return;
    }
    const resultsFile = quick ? QUICK_RESULTS_FILE : RESULTS_FILE;
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    const tmp = new URL(`${resultsFile.href}.tmp`);
    writeFileSync(tmp, `${JSON.stringify(output, null, 2)}\n`);
    renameSync(tmp, resultsFile);

    console.log(`\n${tables}\n`);
    console.log(
      `Machine: ${machine.os}, ${machine.cpus}, ${machine.memoryGb} GB, Node.js ${machine.node}, load average ${machine.loadAverage.atStart} → ${machine.loadAverage.atEnd}; ${output.mode} run on ${output.date.slice(0, 10)}.`,
    );
    console.log(`Written to bench/results/${resultsFile.pathname.split('/').pop()} in ${((performance.now() - clock) / 1000).toFixed(1)}s.`);
  } finally {
    for (const target of kept.values()) await target.stop().catch(() => undefined);
    await subgraphs.call('stop', undefined).catch(() => undefined);
    await subgraphs.stop();
    await load.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
