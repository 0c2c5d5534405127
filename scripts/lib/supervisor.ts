import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Keeps a set of processes running: a process that exits is started again after a delay that
 * doubles with each quick failure (from `initialDelayMs` up to `maxDelayMs`) and falls back to the
 * initial delay once it has run for `stableAfterMs`. The others keep running: a subgraph that
 * crashed costs only its own fields while it is down (the gateway answers SERVICE_UNAVAILABLE there).
 * `stop()` (Ctrl-C) ends them all and restarts nothing.
 */
export interface SupervisedProcess {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export interface SupervisorOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
  stableAfterMs?: number;
  /** Where lines go (prefixed with the process name); stdout when omitted. */
  log?: (line: string) => void;
  /** Told of every start, exit and scheduled restart (tests, the launcher's own log). */
  onEvent?: (event: SupervisorEvent) => void;
}

export type SupervisorEvent =
  | { kind: 'started'; name: string; pid: number; attempt: number }
  | { kind: 'exited'; name: string; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'restarting'; name: string; inMs: number };

export interface Supervisor {
  /** The running process of each name, if any. */
  pid(name: string): number | undefined;
  stop(): Promise<void>;
}

const DEFAULTS = { initialDelayMs: 500, maxDelayMs: 30_000, stableAfterMs: 10_000 };

function prefixed(name: string, write: (line: string) => void) {
  let pending = '';
  return (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) write(`[${name}] ${line}`);
  };
}

export function supervise(processes: SupervisedProcess[], options: SupervisorOptions = {}): Supervisor {
  const { initialDelayMs, maxDelayMs, stableAfterMs } = { ...DEFAULTS, ...options };
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const emit = (event: SupervisorEvent) => options.onEvent?.(event);
  const running = new Map<string, ChildProcess>();
  const timers = new Set<NodeJS.Timeout>();
  let stopping = false;

  const start = (proc: SupervisedProcess, attempt: number, delayMs: number) => {
    const startedAt = Date.now();
    // Its own process group, so that stopping it also stops what it started (npm -> tsx -> node).
    const child = spawn(proc.command, proc.args, { env: { ...process.env, ...proc.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.set(proc.name, child);
    child.stdout?.on('data', prefixed(proc.name, log));
    child.stderr?.on('data', prefixed(proc.name, log));
    if (child.pid !== undefined) emit({ kind: 'started', name: proc.name, pid: child.pid, attempt });
    child.once('error', (err) => log(`[supervisor] ${proc.name} could not start: ${err.message}`));
    child.once('exit', (code, signal) => {
      if (running.get(proc.name) === child) running.delete(proc.name);
      emit({ kind: 'exited', name: proc.name, code, signal });
      if (stopping) return;
      // A process that ran long enough was healthy: its next failure starts the backoff again.
      const next = Date.now() - startedAt >= stableAfterMs ? initialDelayMs : delayMs;
      log(`[supervisor] ${proc.name} exited (${signal ?? `code ${code}`}); restarting in ${next} ms, the others keep running`);
      emit({ kind: 'restarting', name: proc.name, inMs: next });
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!stopping) start(proc, attempt + 1, Math.min(next * 2, maxDelayMs));
      }, next);
      timers.add(timer);
    });
  };

  for (const proc of processes) start(proc, 1, initialDelayMs);

  const signalGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };

  return {
    pid: (name) => running.get(name)?.pid,
    async stop() {
      stopping = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const exits = [...running.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => signalGroup(child, 'SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            signalGroup(child, 'SIGTERM');
          }),
      );
      await Promise.all(exits);
    },
  };
}
