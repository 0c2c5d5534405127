// The three subgraphs, in a child process of the benchmark (as they run beside the gateway in
// production): fresh SQLite files in a temp folder, the demo clinic and the load patients, each
// subgraph on a free loopback port. Started and stopped by the benchmark over IPC.
import { subscribe } from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUBGRAPHS, type SubgraphName } from '@clinic/schema';
import { createLogger, openSubgraphDatabase, prepareSubgraphDatabase, startSubgraph, type RunningSubgraph, type SubgraphDefinition } from '@clinic/service-kit';
import { patientSubgraph } from '@clinic/patient-service';
import { employeeSubgraph } from '@clinic/employee-service';
import { billingSubgraph } from '@clinic/billing-service';
import { addLoadInvoices, addLoadPatients } from './load-data.js';
import { startProfiling } from './profiler.js';
import { serve } from './worker-rpc.js';

const definitions: Record<SubgraphName, SubgraphDefinition<unknown>> = {
  patient: patientSubgraph as SubgraphDefinition<unknown>,
  employee: employeeSubgraph as SubgraphDefinition<unknown>,
  billing: billingSubgraph as SubgraphDefinition<unknown>,
};

// Given by the benchmark (run.ts): the gateways' signing secret and the instant to seed at (ISO).
const signingSecret = process.env.BENCH_SIGNING_SECRET;
const now = new Date(process.env.BENCH_SEEDED_AT ?? Date.now());
if (!signingSecret) throw new Error('bench: BENCH_SIGNING_SECRET is not set');
const logger = createLogger('bench-subgraph');
const dir = mkdtempSync(join(tmpdir(), 'clinic-bench-'));
const running = {} as Record<SubgraphName, RunningSubgraph>;
let stopProfiling: ((file: string) => Promise<void>) | undefined;

/**
 * Requests the subgraphs received (every HTTP server of this process is one), counted on their side
 * whatever the client's HTTP stack: GraphQL requests and internal policy look-ups.
 */
const received = { graphql: 0, policy: 0 };
subscribe('http.server.request.start', (message) => {
  const { request } = message as { request: IncomingMessage };
  if (request.method !== 'POST') return;
  const path = new URL(request.url ?? '/', 'http://subgraph').pathname;
  if (path === '/graphql') received.graphql += 1;
  else if (path.startsWith('/internal/policy/')) received.policy += 1;
});

const handlers = {
  /** Requests received so far (see `received`). */
  received(): { graphql: number; policy: number } {
    return { ...received };
  },
  async start(): Promise<Record<SubgraphName, string>> {
    for (const s of SUBGRAPHS) {
      const def = definitions[s.name];
      const db = await openSubgraphDatabase(def, { target: { kind: 'sqlite', file: join(dir, `${s.name}.sqlite`) } });
      await prepareSubgraphDatabase(def, db, { seed: true, now });
      if (s.name === 'patient') await addLoadPatients(db.fork(), now);
      if (s.name === 'billing') await addLoadInvoices(db.fork(), now);
      running[s.name] = await startSubgraph(def, { db, logger, port: 0, host: '127.0.0.1', signingSecret: signingSecret as string });
    }
    return Object.fromEntries(SUBGRAPHS.map((s) => [s.name, running[s.name].url])) as Record<SubgraphName, string>;
  },
  /** SQL statements each subgraph has run so far. */
  statements(): Record<SubgraphName, number> {
    return Object.fromEntries(SUBGRAPHS.map((s) => [s.name, running[s.name]?.db.statements.total ?? 0])) as Record<SubgraphName, number>;
  },
  /** Paired A/B runs (bench/ab.ts): sets one switch in this process's environment. */
  setEnv({ name, value }: { name: string; value: string }): void {
    process.env[name] = value;
  },
  /** CPU time this process has used so far, in milliseconds (user + system). */
  cpuMs(): number {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  },
  /** `--profile`: a CPU profile of this process, from startProfiling to stopProfiling. */
  async startProfiling(): Promise<void> {
    stopProfiling = await startProfiling();
  },
  async stopProfiling(file: string): Promise<void> {
    await stopProfiling?.(file);
    stopProfiling = undefined;
  },
  async stop(): Promise<void> {
    for (const s of SUBGRAPHS) {
      const subgraph = running[s.name];
      if (!subgraph) continue;
      await subgraph.stop();
      await subgraph.db.close();
    }
    rmSync(dir, { recursive: true, force: true });
  },
};
export type SubgraphsHandlers = typeof handlers;

serve(handlers);
