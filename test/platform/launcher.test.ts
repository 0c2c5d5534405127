import { afterEach, describe, expect, it } from 'vitest';
import { supervise, type Supervisor, type SupervisorEvent } from '../../scripts/lib/supervisor.js';

const node = (name: string, script: string) => ({ name, command: process.execPath, args: ['-e', script] });
const LONG_RUNNING = 'setInterval(() => {}, 1000); process.on("SIGTERM", () => process.exit(0));';
const alive = (pid: number | undefined) => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const until = async (what: () => boolean, timeoutMs = 10_000) => {
  const end = Date.now() + timeoutMs;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('the launcher keeps the rest running and restarts a dead service with backoff', () => {
  let supervisor: Supervisor | undefined;
  afterEach(async () => {
    await supervisor?.stop();
    supervisor = undefined;
  });

  it('a killed process is started again; the others are not touched', async () => {
    const events: SupervisorEvent[] = [];
    supervisor = supervise([node('patient', LONG_RUNNING), node('gateway', LONG_RUNNING)], { initialDelayMs: 50, log: () => {}, onEvent: (e) => events.push(e) });
    await until(() => alive(supervisor?.pid('patient')) && alive(supervisor?.pid('gateway')));
    const gateway = supervisor.pid('gateway');
    const patient = supervisor.pid('patient') as number;
    process.kill(-patient, 'SIGKILL');
    await until(() => supervisor?.pid('patient') !== undefined && supervisor.pid('patient') !== patient);
    expect(alive(supervisor.pid('patient'))).toBe(true);
    expect(supervisor.pid('gateway')).toBe(gateway);
    expect(alive(gateway)).toBe(true);
    expect(events.filter((e) => e.kind === 'started' && e.name === 'patient').map((e) => e.kind === 'started' && e.attempt)).toEqual([1, 2]);
    expect(events.some((e) => e.kind === 'exited' && e.name === 'gateway')).toBe(false);
  });

  it('a process that keeps failing is restarted with growing delays, up to the maximum', async () => {
    const events: SupervisorEvent[] = [];
    supervisor = supervise([node('billing', 'process.exit(1)'), node('employee', LONG_RUNNING)], { initialDelayMs: 20, maxDelayMs: 160, log: () => {}, onEvent: (e) => events.push(e) });
    await until(() => events.filter((e) => e.kind === 'restarting').length >= 6);
    const delays = events.flatMap((e) => (e.kind === 'restarting' ? [e.inMs] : []));
    expect(delays.slice(0, 6)).toEqual([20, 40, 80, 160, 160, 160]);
    expect(alive(supervisor.pid('employee'))).toBe(true);
  });

  it('stop ends every process and restarts none', async () => {
    const events: SupervisorEvent[] = [];
    supervisor = supervise([node('a', LONG_RUNNING), node('b', LONG_RUNNING)], { initialDelayMs: 10, log: () => {}, onEvent: (e) => events.push(e) });
    await until(() => alive(supervisor?.pid('a')) && alive(supervisor?.pid('b')));
    const pids = [supervisor.pid('a'), supervisor.pid('b')];
    await supervisor.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pids.map(alive)).toEqual([false, false]);
    expect(events.filter((e) => e.kind === 'restarting')).toEqual([]);
  });

  it('prefixes every output line with the process name', async () => {
    const lines: string[] = [];
    supervisor = supervise([node('patient', 'console.log("listening"); console.error("warn"); setInterval(() => {}, 1000)')], { log: (l) => lines.push(l) });
    await until(() => lines.length >= 2);
    expect(lines.sort()).toEqual(['[patient] listening', '[patient] warn']);
  });
});
