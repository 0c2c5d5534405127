import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SUBGRAPHS, type SubgraphName } from '@clinic/schema';
import {
  createLogger,
  openSubgraphDatabase,
  prepareSubgraphDatabase,
  startSubgraph,
  type DatabaseTarget,
  type RunningHttpService,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@clinic/service-kit';
import { patientSubgraph } from '@clinic/patient-service';
import { employeeSubgraph } from '@clinic/employee-service';
import { billingSubgraph } from '@clinic/billing-service';
import { startGateway } from '@clinic/gateway';
import type { Backend } from './backends.js';

const definitions: Record<SubgraphName, SubgraphDefinition<unknown>> = {
  patient: patientSubgraph as SubgraphDefinition<unknown>,
  employee: employeeSubgraph as SubgraphDefinition<unknown>,
  billing: billingSubgraph as SubgraphDefinition<unknown>,
};

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** The whole clinic, for real: three subgraphs on their own databases and the gateway, over HTTP on free ports. */
export interface ClinicSystem {
  backend: Backend;
  gateway: RunningHttpService;
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  /** Posts a GraphQL operation to the gateway. */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** SQL statements run so far by each subgraph. */
  sqlStatements(): Record<SubgraphName, number>;
  stop(): Promise<void>;
}

/** A fresh PostgreSQL database per service and system, dropped at stop. */
async function postgresTargets(baseUrl: string, prefix: string) {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  const targets = {} as Record<SubgraphName, DatabaseTarget>;
  const names: string[] = [];
  try {
    for (const s of SUBGRAPHS) {
      const name = `${prefix}_${s.name}`;
      await admin.query(`CREATE DATABASE "${name}"`);
      names.push(name);
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      targets[s.name] = { kind: 'postgresql', url: url.toString() };
    }
  } finally {
    await admin.end();
  }
  const drop = async () => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  };
  return { targets, drop };
}

export async function startClinicSystem(options: { backend: Backend; now?: Date }): Promise<ClinicSystem> {
  const logger = createLogger('test');
  const prefix = `clinic_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let targets: Record<SubgraphName, DatabaseTarget>;
  let cleanup: () => Promise<void>;
  if (options.backend === 'postgresql') {
    const baseUrl = process.env.TEST_POSTGRES_URL;
    if (!baseUrl) throw new Error('TEST_POSTGRES_URL is not set');
    ({ targets, drop: cleanup } = await postgresTargets(baseUrl, prefix));
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'clinic-test-'));
    targets = Object.fromEntries(SUBGRAPHS.map((s) => [s.name, { kind: 'sqlite', file: join(dir, `${s.name}.sqlite`) }])) as Record<SubgraphName, DatabaseTarget>;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }

  const subgraphs = {} as Record<SubgraphName, RunningSubgraph>;
  for (const s of SUBGRAPHS) {
    const def = definitions[s.name];
    const db = await openSubgraphDatabase(def, { target: targets[s.name] });
    await prepareSubgraphDatabase(def, db, { seed: true, ...(options.now ? { now: options.now } : {}) });
    subgraphs[s.name] = await startSubgraph(def, { db, logger, port: 0, host: '127.0.0.1' });
  }
  const gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    subgraphUrls: { patient: subgraphs.patient.url, employee: subgraphs.employee.url, billing: subgraphs.billing.url },
    subgraphTimeoutMs: 10_000,
    logger,
  });

  return {
    backend: options.backend,
    gateway,
    subgraphs,
    async query(query, variables) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
      return { status: response.status, ...body } as GraphQLResponse<never>;
    },
    sqlStatements() {
      return Object.fromEntries(SUBGRAPHS.map((s) => [s.name, subgraphs[s.name].db.statements.total])) as Record<SubgraphName, number>;
    },
    async stop() {
      await gateway.stop();
      for (const s of SUBGRAPHS) {
        await subgraphs[s.name].stop();
        await subgraphs[s.name].db.close();
      }
      await cleanup();
    },
  };
}
