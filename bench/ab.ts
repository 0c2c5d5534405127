// Paired A/B runs while investigating (writes no results):
//   npx tsx bench/ab.ts --op=list100 --pairs=12 --n=20 --a=SWITCH=0 --b=SWITCH=1 [--gw] [--conc=10]
//   npx tsx bench/ab.ts --op=list100 --target-a=noRules --target-b=rules   (two targets, paired: the rules' overhead)
//   add --warm=2000 to send that many requests through each side first (V8's warm-up is long)
//   add --threads for this process's CPU by thread (event loop, audit writer thread, GC helpers; Linux)
//   add --profile for where the difference goes: both processes profiled during every batch, the self
//   time per request of each side by package and by function, largest differences first (the
//   profiler's own cost then falls on both sides' CPU figures)
//   add --heap for what the gateway process allocates per request on each side, by package and by
//   function (V8's sampling heap profiler, objects since collected included), largest differences first
//   add --b-audit=postgresql://… (or --a-audit) to keep that side's audit store in PostgreSQL (a side of its own, as --gw)
// One subgraphs process, this gateway with the rules; the two sides differ by environment variables
// a change under test reads (set in this process and the subgraphs' before each side's batch; with
// --gw, each side gets its own gateway started under its variables, for switches read at start).
// Batches alternate A B, B A, ... so that the machine's other work falls on both sides alike; the
// paired differences cancel most of it. Per request: CPU ms of this process (gateway and client)
// and of the subgraphs' process, wall ms, and ms the event loop was busy.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPERATIONS } from './operations.js';
import type { SubgraphsHandlers } from './subgraphs-process.js';
import type { RunningTarget } from './targets.js';
import { interleaved, SIDES, warmUp, type Side } from './paired.js';
import { median } from './summary.js';
import { startProcess } from './worker-rpc.js';
import { threadCpuMs, threadCpuSince } from './thread-cpu.js';
import { startHeapSampling, startProfiling } from './profiler.js';
import { addInto, largestDifferences, readProfile, selfAllocatedKb, selfTimeMs, type Grouping } from './profile-diff.js';

const flag = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const env = (text: string): Record<string, string> => Object.fromEntries(text.split(',').filter(Boolean).map((kv) => [kv.split('=')[0] ?? '', kv.split('=').slice(1).join('=')]));
const op = OPERATIONS.find((o) => o.name === flag('op', 'list100'));
const pairs = Number(flag('pairs', '12'));
const n = Number(flag('n', '20'));
const concurrency = Number(flag('conc', '1'));
// Requests sent through each side before the pairs (see warmUp in paired.ts).
const warm = Number(flag('warm', '0'));
type GatewayTarget = 'rules' | 'noRules' | 'apolloGateway' | 'hiveGateway';
const targetOf = (side: Side): GatewayTarget => flag(`target-${side.toLowerCase()}`, 'rules') as GatewayTarget;
const auditUrlOf = (side: Side): string | undefined => flag(`${side.toLowerCase()}-audit`, '') || undefined;
const gatewayPerSide = process.argv.includes('--gw') || targetOf('A') !== targetOf('B') || SIDES.some((side) => auditUrlOf(side) !== undefined);
const sideEnv: Record<Side, Record<string, string>> = { A: env(flag('a', '')), B: env(flag('b', '')) };
const METRICS = ['gateway', 'subgraphs', 'wall', 'loop'] as const;
const byThread = process.argv.includes('--threads');
const profiling = process.argv.includes('--profile');
const heapSampling = process.argv.includes('--heap');
type Sample = Record<(typeof METRICS)[number], number>;


/** CPU ms of this process's threads, summed per side, and the requests they served. */
const threads: Record<Side, { ms: Map<string, number>; requests: number }> = { A: { ms: new Map(), requests: 0 }, B: { ms: new Map(), requests: 0 } };
function addThreads(side: Side, used: ReadonlyMap<string, number>, requests: number): void {
  for (const [thread, ms] of used) threads[side].ms.set(thread, (threads[side].ms.get(thread) ?? 0) + ms);
  threads[side].requests += requests;
}
/** Per thread, CPU ms per request of each side (threads under 0.02 ms on both sides left out). */
function showThreads(): void {
  const perRequest = (side: Side, thread: string) => (threads[side].ms.get(thread) ?? 0) / Math.max(1, threads[side].requests);
  const names = [...new Set([...threads.A.ms.keys(), ...threads.B.ms.keys()])].sort((x, y) => (x === 'main' ? -1 : y === 'main' ? 1 : x.localeCompare(y)));
  for (const thread of names) {
    const [a, b] = [perRequest('A', thread), perRequest('B', thread)];
    if (a >= 0.02 || b >= 0.02) console.log(`${thread} ms/request: A ${a.toFixed(2)}, B ${b.toFixed(2)}`);
  }
}

/** With --profile: self time of each side, by process and grouping, and the requests it covers. */
type ProfiledProcess = 'gateway' | 'subgraphs';
type SideProfiles = { ms: Record<`${ProfiledProcess} ${Grouping}`, Map<string, number>>; requests: number };
const noProfiles = (): SideProfiles => ({ ms: { 'gateway function': new Map(), 'gateway package': new Map(), 'subgraphs function': new Map(), 'subgraphs package': new Map() }, requests: 0 });
const profiles: Record<Side, SideProfiles> = { A: noProfiles(), B: noProfiles() };
function addProfiles(side: Side, files: Record<ProfiledProcess, string>, requests: number): void {
  for (const profiled of ['gateway', 'subgraphs'] as const) {
    const profile = readProfile(files[profiled]);
    for (const by of ['package', 'function'] as const) addInto(profiles[side].ms[`${profiled} ${by}`], selfTimeMs(profile, by));
  }
  profiles[side].requests += requests;
}
/** With --heap: KB the gateway process allocated per request on each side, by grouping. */
const allocations: Record<Side, { kb: Record<Grouping, Map<string, number>>; requests: number }> = {
  A: { kb: { package: new Map(), function: new Map() }, requests: 0 },
  B: { kb: { package: new Map(), function: new Map() }, requests: 0 },
};
function showAllocations(): void {
  const total = (side: Side) => [...allocations[side].kb.package.values()].reduce((sum, kb) => sum + kb, 0) / Math.max(1, allocations[side].requests);
  console.log(`--- gateway, allocated KB/request: A ${total('A').toFixed(0)}, B ${total('B').toFixed(0)} (objects since collected included)`);
  for (const by of ['package', 'function'] as const) {
    console.log(`--- gateway, allocated by ${by}, KB/request: A → B (B − A), largest differences first`);
    const rows = largestDifferences(allocations.A.kb[by], Math.max(1, allocations.A.requests), allocations.B.kb[by], Math.max(1, allocations.B.requests), by === 'package' ? 20 : 40);
    for (const row of rows) console.log(`${(row.b - row.a).toFixed(1).padStart(7)}  ${row.a.toFixed(1)} → ${row.b.toFixed(1)}  ${row.key}`);
  }
}

function showProfiles(): void {
  const tops: Record<Grouping, number> = { package: 20, function: 40 };
  for (const profiled of ['gateway', 'subgraphs'] as const) {
    for (const by of ['package', 'function'] as const) {
      console.log(`--- ${profiled}, self time by ${by}, ms/request: A → B (B − A), largest differences first`);
      const rows = largestDifferences(profiles.A.ms[`${profiled} ${by}`], Math.max(1, profiles.A.requests), profiles.B.ms[`${profiled} ${by}`], Math.max(1, profiles.B.requests), tops[by]);
      for (const row of rows) console.log(`${(row.b - row.a).toFixed(3).padStart(7)}  ${row.a.toFixed(3)} → ${row.b.toFixed(3)}  ${row.key}`);
    }
  }
}

async function main(): Promise<void> {
  if (!op) throw new Error(`bench/ab: no operation ${flag('op', 'list100')}`);
  const secret = randomBytes(32).toString('base64url');
  const dir = mkdtempSync(join(tmpdir(), 'clinic-ab-'));
  const subgraphs = startProcess<SubgraphsHandlers>(new URL('./subgraphs-process.ts', import.meta.url), { BENCH_SIGNING_SECRET: secret, BENCH_SEEDED_AT: new Date().toISOString(), LOG_LEVEL: 'silent' });
  const gateways = new Map<Side, RunningTarget>();
  try {
    const subgraphUrls = await subgraphs.call('start', undefined);
    const lib = { ...(await import('@clinic/gateway')), ...(await import('./targets.js')) };
    const keys = await lib.loadOrCreateDevKeys(dir);
    const user = lib.demoUser(op.as.username);
    if (!user) throw new Error(`bench/ab: no demo user ${op.as.username}`);
    const token = await lib.mintDevToken(keys, user, { mfa: op.as.mfa ?? false, expiresIn: '2h' });
    const setEnv = async (vars: Record<string, string>) => {
      for (const [name, value] of Object.entries(vars)) {
        process.env[name] = value;
        await subgraphs.call('setEnv', { name, value });
      }
    };
    for (const side of SIDES) {
      const shared = gateways.get('A');
      if (shared && !gatewayPerSide) {
        gateways.set(side, shared);
        continue;
      }
      await setEnv(sideEnv[side]);
      const sideDir = join(dir, side);
      mkdirSync(sideDir);
      const auditDatabaseUrl = auditUrlOf(side);
      gateways.set(side, await lib.startTarget(targetOf(side), { subgraphUrls, signingSecret: secret, keys, dir: sideDir, logLevel: 'silent', ...(auditDatabaseUrl ? { auditDatabaseUrl } : {}) }));
    }
    const body = JSON.stringify({ query: op.query, variables: op.variables });
    const once = async (url: string) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
      const answer = (await response.json()) as { data?: unknown };
      if (response.status !== 200 || !answer.data) throw new Error(`bench/ab: HTTP ${response.status}`);
    };
    const batch = async (side: Side): Promise<Sample> => {
      if (!gatewayPerSide) await setEnv(sideEnv[side]);
      const url = gateways.get(side)?.url ?? '';
      for (let i = 0; i < 3; i += 1) await once(url);
      const stopProfiling = profiling ? await startProfiling() : undefined;
      const stopHeapSampling = heapSampling ? await startHeapSampling() : undefined;
      if (profiling) await subgraphs.call('startProfiling', undefined);
      const subgraphsBefore = await subgraphs.call('cpuMs', undefined);
      const cpuBefore = process.cpuUsage();
      const threadsBefore = byThread ? threadCpuMs() : undefined;
      const loopBefore = performance.eventLoopUtilization();
      const start = performance.now();
      let left = n;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (left-- > 0) await once(url);
        }),
      );
      const wall = (performance.now() - start) / n;
      const loop = performance.eventLoopUtilization(loopBefore).active / n;
      const cpu = process.cpuUsage(cpuBefore);
      if (threadsBefore) addThreads(side, threadCpuSince(threadsBefore), n);
      const subgraphsUsed = (await subgraphs.call('cpuMs', undefined)) - subgraphsBefore;
      if (stopHeapSampling) {
        const heap = await stopHeapSampling();
        for (const by of ['package', 'function'] as const) addInto(allocations[side].kb[by], selfAllocatedKb(heap, by));
        allocations[side].requests += n;
      }
      if (stopProfiling) {
        const files = { gateway: join(dir, `profile-${side}-gateway.cpuprofile`), subgraphs: join(dir, `profile-${side}-subgraphs.cpuprofile`) };
        await stopProfiling(files.gateway);
        await subgraphs.call('stopProfiling', files.subgraphs);
        addProfiles(side, files, n);
      }
      return { gateway: (cpu.user + cpu.system) / 1000 / n, subgraphs: subgraphsUsed / n, wall, loop };
    };
    if (warm > 0) {
      for (const side of SIDES) {
        if (!gatewayPerSide) await setEnv(sideEnv[side]);
        await warmUp(() => once(gateways.get(side)?.url ?? ''), { requests: warm, seconds: Infinity });
      }
    }
    const show = (s: Sample) => METRICS.map((k) => `${k} ${s[k].toFixed(2)}`).join(' ');
    const samples = await interleaved(pairs, batch, (p, a, b) => console.error(`pair ${p + 1}: A ${show(a)} | B ${show(b)}`));
    for (const k of METRICS) {
      const diffs = samples.A.map((a, i) => (samples.B[i]?.[k] ?? NaN) - a[k]);
      console.log(
        `${k} ms/request: A ${median(samples.A.map((s) => s[k]))?.toFixed(2)}, B ${median(samples.B.map((s) => s[k]))?.toFixed(2)}, ` +
          `paired B-A median ${median(diffs)?.toFixed(2)}, B lower in ${diffs.filter((d) => d < 0).length}/${pairs}`,
      );
    }
    if (byThread) showThreads();
    if (profiling) showProfiles();
    if (heapSampling) showAllocations();
  } finally {
    for (const gateway of new Set(gateways.values())) await gateway.stop();
    await subgraphs.call('stop', undefined).catch(() => undefined);
    await subgraphs.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
