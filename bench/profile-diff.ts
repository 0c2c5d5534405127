import { readFileSync } from 'node:fs';

/** Where a V8 profile's node runs (the parts read here). */
export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

/** The parts of a V8 CPU profile (`.cpuprofile`, Profiler.stop) that self time is read from. */
export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
}

export type Grouping = 'function' | 'package';

/**
 * Where a script belongs: its npm package (`@graphql-tools/delegate`), `node:` for Node's own,
 * the project folder it sits in (`gateway/src/policy`), or the native frame's name in brackets.
 */
export function packageOf(url: string, functionName: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1]) return modules[1];
  if (url.startsWith('node:')) return 'node:';
  if (url === '') return `(${functionName || 'native'})`;
  const path = url.replace(/^file:\/\//, '');
  const project = /\/((?:gateway|services|schema|bench)\/.*)\/[^/]+$/.exec(path);
  return project?.[1] ?? path;
}

const functionKey = (frame: CallFrame): string => {
  const file = frame.url.replace(/^file:\/\//, '').split('/').slice(-2).join('/');
  return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
};

/** Milliseconds of samples whose innermost frame is each function (or package). The profiler's idle time is left out. */
export function selfTimeMs(profile: CpuProfile, by: Grouping): Map<string, number> {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const times = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = frames.get(id);
    if (!frame || frame.functionName === '(idle)') return;
    const key = by === 'function' ? functionKey(frame) : packageOf(frame.url, frame.functionName);
    times.set(key, (times.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return times;
}

/** A V8 sampling heap profile (HeapProfiler.stopSampling): a tree of call frames with the bytes each allocated. */
export interface HeapProfile {
  head: HeapProfileNode;
}
export interface HeapProfileNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapProfileNode[];
}

/** Kilobytes allocated by each function (or package) itself, from a sampling heap profile. */
export function selfAllocatedKb(profile: HeapProfile, by: Grouping): Map<string, number> {
  const sizes = new Map<string, number>();
  const visit = (node: HeapProfileNode) => {
    if (node.selfSize > 0) {
      const key = by === 'function' ? functionKey(node.callFrame) : packageOf(node.callFrame.url, node.callFrame.functionName);
      sizes.set(key, (sizes.get(key) ?? 0) + node.selfSize / 1024);
    }
    for (const child of node.children) visit(child);
  };
  visit(profile.head);
  return sizes;
}

export const readProfile = (file: string): CpuProfile => JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

/** Adds `part` into `total`, key by key. */
export function addInto(total: Map<string, number>, part: ReadonlyMap<string, number>): void {
  for (const [key, ms] of part) total.set(key, (total.get(key) ?? 0) + ms);
}

export interface Difference {
  key: string;
  /** ms per request on each side. */
  a: number;
  b: number;
}

/** Per request, the `top` keys whose self time differs most between the sides (B − A), largest first. */
export function largestDifferences(a: ReadonlyMap<string, number>, requestsA: number, b: ReadonlyMap<string, number>, requestsB: number, top: number): Difference[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  const rows = [...keys].map((key) => ({ key, a: (a.get(key) ?? 0) / requestsA, b: (b.get(key) ?? 0) / requestsB }));
  return rows.sort((x, y) => Math.abs(y.b - y.a) - Math.abs(x.b - x.a)).slice(0, top);
}
