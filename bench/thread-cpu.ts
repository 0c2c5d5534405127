import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux, whatever the kernel's HZ). */
const TICKS_PER_SECOND = 100;

/**
 * CPU ms used so far by each thread of this process, read from /proc (Linux): `main` is the event
 * loop's thread, every other thread goes by its id (the audit writer thread, V8's GC and compiler
 * helpers, libuv's pool). process.cpuUsage() adds them all up; this tells them apart. Empty where
 * there is no /proc. The ticks are 10 ms: read it around many requests, not one.
 */
export function threadCpuMs(): Map<string, number> {
  const used = new Map<string, number>();
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return used;
  }
  for (const tid of tasks) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    // The fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    if (Number.isFinite(ticks)) used.set(tid === String(process.pid) ? 'main' : `thread ${tid}`, (ticks * 1000) / TICKS_PER_SECOND);
  }
  return used;
}

/** What each thread used between two readings (a thread started meanwhile counts from zero). */
export function threadCpuSince(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number> = threadCpuMs()): Map<string, number> {
  return new Map([...after].map(([thread, ms]) => [thread, ms - (before.get(thread) ?? 0)]));
}
