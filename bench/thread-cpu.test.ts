import { describe, expect, it } from 'vitest';
import { threadCpuMs, threadCpuSince } from './thread-cpu.js';

const onLinux = process.platform === 'linux';

describe('threadCpuMs', () => {
  it.runIf(onLinux)('tells the event loop thread apart and sees the CPU it burns', () => {
    const before = threadCpuMs();
    expect(before.has('main')).toBe(true);
    const until = performance.now() + 150;
    let spin = 0;
    while (performance.now() < until) spin += 1;
    const used = threadCpuSince(before);
    expect(spin).toBeGreaterThan(0);
    // 150 ms of spinning, read in 10 ms ticks (a loaded machine may take some of it away).
    expect(used.get('main')).toBeGreaterThanOrEqual(50);
    for (const ms of used.values()) expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('counts a thread that started after the first reading from zero', () => {
    const used = threadCpuSince(new Map(), new Map([['thread 7', 30]]));
    expect(used.get('thread 7')).toBe(30);
  });
});
