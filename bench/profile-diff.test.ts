import { describe, expect, it } from 'vitest';
import { largestDifferences, packageOf, selfAllocatedKb, selfTimeMs, type CpuProfile, type HeapProfileNode } from './profile-diff.js';

const frame = (id: number, functionName: string, url: string) => ({ id, callFrame: { functionName, url, lineNumber: 9 } });

describe('self time from CPU profiles, side against side', () => {
  const profile: CpuProfile = {
    nodes: [
      frame(1, '(idle)', ''),
      frame(2, 'visit', 'file:///work/main/node_modules/graphql/language/visitor.js'),
      frame(3, 'decide', 'file:///work/main/gateway/src/policy/decide.ts'),
      frame(4, 'postMessage', ''),
      frame(5, 'merge', 'file:///work/main/node_modules/@graphql-tools/delegate/dist/index.js'),
    ],
    samples: [1, 2, 3, 3, 4, 5, 1],
    timeDeltas: [5000, 1000, 2000, 500, 250, 750, 9000],
  };

  it('groups samples by their innermost function or by package, and leaves the idle time out', () => {
    expect(selfTimeMs(profile, 'function')).toEqual(
      new Map([
        ['visit language/visitor.js:10', 1],
        ['decide policy/decide.ts:10', 2.5],
        ['postMessage :10', 0.25],
        ['merge dist/index.js:10', 0.75],
      ]),
    );
    expect(selfTimeMs(profile, 'package')).toEqual(
      new Map([
        ['graphql', 1],
        ['gateway/src/policy', 2.5],
        ['(postMessage)', 0.25],
        ['@graphql-tools/delegate', 0.75],
      ]),
    );
  });

  it('names where a script belongs', () => {
    expect(packageOf('node:internal/streams/readable', 'read')).toBe('node:');
    expect(packageOf('file:///x/node_modules/dataloader/index.js', 'load')).toBe('dataloader');
    expect(packageOf('file:///work/main/services/patient/src/access-facts.ts', 'factsOf')).toBe('services/patient/src');
  });

  it('ranks the keys by how much their time per request differs, either way', () => {
    const a = new Map([['x', 10], ['y', 40], ['z', 4]]);
    const b = new Map([['x', 30], ['y', 20], ['w', 1]]);
    // Per request: A over 10 requests, B over 20.
    expect(largestDifferences(a, 10, b, 20, 3)).toEqual([
      { key: 'y', a: 4, b: 1 },
      { key: 'x', a: 1, b: 1.5 },
      { key: 'z', a: 0.4, b: 0 },
    ]);
  });

  it('adds up what each function, or package, allocated itself in a sampling heap profile', () => {
    const node = (functionName: string, url: string, selfSize: number, children: HeapProfileNode[] = []): HeapProfileNode => ({ callFrame: { functionName, url, lineNumber: 9 }, selfSize, children });
    const decide = 'file:///work/main/gateway/src/policy/decide.ts';
    const head = node('(root)', '', 0, [
      node('decide', decide, 2048, [node('runSteps', decide, 1024)]),
      node('merge', 'file:///x/node_modules/@graphql-tools/delegate/dist/index.js', 512, [node('decide', decide, 1024)]),
    ]);
    expect(selfAllocatedKb({ head }, 'function')).toEqual(new Map([['decide policy/decide.ts:10', 3], ['runSteps policy/decide.ts:10', 1], ['merge dist/index.js:10', 0.5]]));
    expect(selfAllocatedKb({ head }, 'package')).toEqual(new Map([['gateway/src/policy', 4], ['@graphql-tools/delegate', 0.5]]));
  });
});
