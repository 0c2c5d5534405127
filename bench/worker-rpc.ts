import { fork } from 'node:child_process';
import { parentPort, Worker } from 'node:worker_threads';

/**
 * A few lines of request/response between the benchmark and its helpers: the subgraphs run in a
 * child process and the load generator in a worker thread, so that neither steals the event loop
 * of the gateway being measured (which runs in the benchmark's main thread).
 */
type Handlers = Record<string, (arg: never) => unknown>;

interface Call {
  id: number;
  method: string;
  arg: unknown;
}
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** In the helper (worker thread or child process): answers the benchmark's calls with `handlers`. */
export function serve(handlers: Handlers): void {
  const send = parentPort ? (reply: Reply) => parentPort?.postMessage(reply) : process.send ? (reply: Reply) => void process.send?.(reply) : undefined;
  if (!send) throw new Error('worker-rpc: serve() runs in a worker thread or a forked child process only');
  const onCall = async ({ id, method, arg }: Call) => {
    try {
      const handler = handlers[method];
      if (!handler) throw new Error(`no method ${method}`);
      send({ id, ok: true, value: await handler(arg as never) });
    } catch (err) {
      send({ id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  };
  if (parentPort) parentPort.on('message', onCall);
  else {
    process.on('message', onCall);
    // The benchmark gone, nothing is left to serve.
    process.on('disconnect', () => process.exit(0));
  }
}

export interface HelperClient<H extends Handlers> {
  call<M extends keyof H & string>(method: M, arg: Parameters<H[M]>[0]): Promise<Awaited<ReturnType<H[M]>>>;
  stop(): Promise<void>;
}

interface Channel {
  post(call: Call): void;
  onMessage(listener: (reply: Reply) => void): void;
  onGone(listener: (err: Error) => void): void;
  stop(): Promise<void>;
}

function client<H extends Handlers>(name: string, channel: Channel): HelperClient<H> {
  const pending = new Map<number, { resolve: (value: never) => void; reject: (err: Error) => void }>();
  let next = 0;
  channel.onMessage((reply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value as never);
    else p.reject(new Error(`${name}: ${reply.error}`));
  });
  channel.onGone((err) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  });
  return {
    call(method, arg) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: never) => void, reject });
        channel.post({ id, method, arg });
      });
    },
    stop: () => channel.stop(),
  };
}

const fileName = (file: URL) => file.pathname.split('/').pop() ?? file.pathname;

/**
 * A TypeScript module (through tsx) in a worker thread. `execArgv: ['--import', 'tsx']` does not
 * reach a worker's entry module on Node 20: register tsx first, then import it.
 */
export function startThread<H extends Handlers>(file: URL, workerData: unknown): HelperClient<H> {
  const entry = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(file.href)}); })`;
  const worker = new Worker(entry, { eval: true, workerData });
  return client(fileName(file), {
    post: (call) => worker.postMessage(call),
    onMessage: (listener) => worker.on('message', listener),
    onGone: (listener) => {
      worker.on('error', listener);
      worker.on('exit', (code) => listener(new Error(`${fileName(file)} exited with code ${code}`)));
    },
    stop: async () => void (await worker.terminate()),
  });
}

/** A TypeScript module (through tsx) in a child process, given `env` on top of this process's environment. */
export function startProcess<H extends Handlers>(file: URL, env: Record<string, string>): HelperClient<H> {
  const child = fork(file, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return client(fileName(file), {
    post: (call) => child.send(call),
    onMessage: (listener) => child.on('message', listener as (message: unknown) => void),
    onGone: (listener) => {
      child.on('error', listener);
      child.on('exit', (code, signal) => listener(new Error(`${fileName(file)} exited (${signal ?? code})`)));
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      await exited;
    },
  });
}
