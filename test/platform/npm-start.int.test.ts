import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUser, loadOrCreateDevKeys, mintDevToken } from '@clinic/gateway';

const ROOT = resolve(import.meta.dirname, '../..');

const freePort = () =>
  new Promise<number>((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });

const until = async <T>(what: () => Promise<T | undefined> | T | undefined, timeoutMs = 90_000): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve(what()).catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
};

/** `npm start` as documented, on its own data folder and ports: one subgraph crashes under it. */
describe('npm start keeps the system up when one service dies', () => {
  let launcher: ChildProcess;
  let output = '';
  let dataDir: string;
  const ports: Record<string, number> = {};

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'clinic-start-'));
    for (const name of ['GATEWAY', 'PATIENT', 'EMPLOYEE', 'BILLING']) ports[name] = await freePort();
    launcher = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        GATEWAY_PORT: String(ports.GATEWAY),
        PATIENT_PORT: String(ports.PATIENT),
        EMPLOYEE_PORT: String(ports.EMPLOYEE),
        BILLING_PORT: String(ports.BILLING),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    launcher.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    launcher.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until(async () => ((await fetch(`http://127.0.0.1:${ports.GATEWAY}/readyz`)).ok ? true : undefined));
  }, 120_000);

  afterAll(async () => {
    if (launcher?.pid) {
      const exited = new Promise((r) => launcher.once('exit', r));
      try {
        process.kill(-launcher.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ask = async (query: string) => {
    const keys = await loadOrCreateDevKeys(dataDir);
    const user = demoUser('reception.roy');
    if (!user) throw new Error('no demo user');
    const response = await fetch(`http://127.0.0.1:${ports.GATEWAY}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await mintDevToken(keys, user)}` },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] } };
  };

  const startedPid = (name: string, attempt: number) => {
    const match = new RegExp(`\\[supervisor\\] ${name} started \\(pid (\\d+), attempt ${attempt}\\)`).exec(output);
    return match ? Number(match[1]) : undefined;
  };

  it('a killed subgraph costs only its fields, and is started again', async () => {
    const before = await ask('{ me { id } employee(id: "e-roy") { lastName } patient(id: "p-caron") { lastName } }');
    expect(before.body.errors ?? []).toEqual([]);

    const patient = await until(() => startedPid('patient', 1));
    process.kill(-patient, 'SIGKILL');
    await until(async () => ((await fetch(`http://127.0.0.1:${ports.PATIENT}/healthz`).then(() => false, () => true)) ? true : undefined), 10_000);

    // While it is down: the gateway is up, the other subgraphs answer, the patient's fields say SERVICE_UNAVAILABLE.
    const during = await ask('{ employee(id: "e-roy") { lastName } patient(id: "p-caron") { lastName } }');
    expect(during.status).toBeLessThan(500);
    expect(during.body.data?.employee).toEqual({ lastName: 'Roy' });
    expect(during.body.errors?.map((e) => e.extensions?.code)).toContain('SERVICE_UNAVAILABLE');
    expect((await fetch(`http://127.0.0.1:${ports.GATEWAY}/healthz`)).ok).toBe(true);

    // The launcher starts it again; the gateway serves its fields once more.
    await until(() => startedPid('patient', 2));
    await until(async () => ((await ask('{ patient(id: "p-caron") { lastName } }')).body.data?.patient ? true : undefined));
    expect(output).toMatch(/\[supervisor\] patient exited .*restarting in \d+ ms, the others keep running/);
    for (const other of ['employee', 'billing', 'gateway']) expect(startedPid(other, 2), other).toBeUndefined();
  }, 120_000);
});
