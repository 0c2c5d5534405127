import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SUBGRAPHS, type SubgraphName } from '@clinic/schema';
import {
  connectRedis,
  createLogger,
  RedisReplayMemory,
  openSubgraphDatabase,
  prepareSubgraphDatabase,
  signedFetch,
  startSubgraph,
  type DatabaseTarget,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@clinic/service-kit';
import { patientSubgraph } from '@clinic/patient-service';
import { employeeSubgraph } from '@clinic/employee-service';
import { billingSubgraph } from '@clinic/billing-service';
import { DEV_ALGORITHM, DEV_AUDIENCE, DEV_ISSUER, demoUser, loadOrCreateDevKeys, mintDevToken, openAuditStore, seedAuditHistory, startGateway, type DevKeyPair, type GatewayOptions, type RunningGateway } from '@clinic/gateway';
import { ClinicCalendar, loadDemoClinic } from '@clinic/schema';
import type { Redis } from 'ioredis';
import type { Backend } from './backends.js';

const definitions: Record<SubgraphName, SubgraphDefinition<unknown>> = {
  patient: patientSubgraph as SubgraphDefinition<unknown>,
  employee: employeeSubgraph as SubgraphDefinition<unknown>,
  billing: billingSubgraph as SubgraphDefinition<unknown>,
};

/** Who sends a request: a demo clinic username (with or without MFA), a raw token, or nobody. */
export interface Caller {
  as?: string;
  mfa?: boolean;
  /** A raw Authorization header value, sent as is (forged-token tests). */
  authorization?: string;
  headers?: Record<string, string>;
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** The whole clinic, for real: three subgraphs on their own databases and the gateway, over HTTP on free ports. */
export interface ClinicSystem {
  backend: Backend;
  gateway: RunningGateway;
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  /** The dev key pair the gateway trusts (to mint tokens of any shape). */
  keys: DevKeyPair;
  /** A dev token for a demo clinic user. */
  token(username: string, options?: { mfa?: boolean; expiresIn?: string; now?: Date }): Promise<string>;
  /** Posts a GraphQL operation to the gateway, as `caller` (nobody when omitted). */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, caller?: Caller): Promise<GraphQLResponse<T>>;
  /** Where the gateway's audit store is (SQLite file or PostgreSQL database). */
  auditTarget: DatabaseTarget;
  /** Another gateway on the same subgraphs (or others named) and the same audit store (two replicas). */
  startReplica(overrides?: Partial<Pick<GatewayOptions, 'subgraphUrls' | 'subgraphTimeoutMs' | 'tokens'>>): Promise<RunningGateway>;
  /** Where the gateways find the subgraphs. */
  gatewaySubgraphUrls(): Record<SubgraphName, string>;
  /** Stops a subgraph like a crashed process: its server and its database connection. */
  stopSubgraph(name: SubgraphName): Promise<void>;
  /** Another replica of a subgraph on the same database (and the same Redis, if any), on its own port. */
  startSubgraphReplica(name: SubgraphName): Promise<RunningSubgraph>;
  /** Starts a stopped subgraph again on the same port and the same database. */
  restartSubgraph(name: SubgraphName): Promise<void>;
  /** Posts a GraphQL operation straight to a subgraph, signed as the gateway signs it. */
  querySubgraph<T = Record<string, unknown>>(name: SubgraphName, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** SQL statements run so far by each subgraph. */
  sqlStatements(): Record<SubgraphName, number>;
  /**
   * GraphQL requests (`POST /graphql`) each subgraph has received so far, counted by the subgraph's
   * HTTP server as they arrive, whoever sent them (a gateway, a replica or `querySubgraph`).
   */
  subgraphRequests(): Record<SubgraphName, number>;
  /**
   * Internal policy requests (`POST /internal/policy/...`) each subgraph has received so far: the
   * subgraph side of `gateway.policyLookups()` (summed over the subgraphs, every replica's).
   */
  policyRequests(): Record<SubgraphName, number>;
  stop(): Promise<void>;
}

type StoreName = SubgraphName | 'audit';

/** The secret the test gateways sign subgraph requests with (tests sign their own direct calls with it). */
export const SIGNING_SECRET = 'test-signing-secret-of-at-least-32-characters';
const STORES: StoreName[] = [...SUBGRAPHS.map((s) => s.name), 'audit'];

/** Runs one statement on the server's own database, on a connection of its own (so several can run at once). */
async function onServer(baseUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A fresh PostgreSQL database per service (and the gateway's audit store) and system, dropped at
 * stop. Made at the same time (each CREATE DATABASE waits on the server's disk, not on the others).
 */
async function postgresTargets(baseUrl: string, prefix: string) {
  const names = STORES.map((store) => `${prefix}_${store}`);
  const drop = async () => {
    await Promise.all(names.map((name) => onServer(baseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));
  };
  const created = await Promise.allSettled(names.map((name) => onServer(baseUrl, `CREATE DATABASE "${name}"`)));
  const failed = created.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    await drop();
    throw failed.reason;
  }
  const targets = {} as Record<StoreName, DatabaseTarget>;
  STORES.forEach((store, i) => {
    const url = new URL(baseUrl);
    url.pathname = `/${names[i]}`;
    targets[store] = { kind: 'postgresql', url: url.toString() };
  });
  return { targets, drop };
}

/** What Node publishes on `http.server.request.start` when a server receives a request. */
interface RequestStart {
  request: IncomingMessage;
  server: Server;
}

/**
 * Counts the requests the subgraphs' HTTP servers receive, on their side: service-kit exposes no
 * server, so this listens to Node's `http.server.request.start` diagnostics channel (every HTTP
 * server of this process publishes there) and keeps the requests to a subgraph's port. Reads the
 * ports when a request comes, so a subgraph restarted on its port is still counted.
 */
function countSubgraphRequests(subgraphs: Record<SubgraphName, RunningSubgraph>) {
  const zero = () => Object.fromEntries(SUBGRAPHS.map((s) => [s.name, 0])) as Record<SubgraphName, number>;
  const graphql = zero();
  const policy = zero();
  const onRequest = (message: unknown) => {
    const { request, server } = message as RequestStart;
    const address = server.address();
    if (request.method !== 'POST' || !address || typeof address === 'string') return;
    const name = SUBGRAPHS.find((s) => subgraphs[s.name]?.port === address.port)?.name;
    if (!name) return;
    const path = new URL(request.url ?? '/', 'http://subgraph').pathname;
    if (path === '/graphql') graphql[name] += 1;
    else if (path.startsWith('/internal/policy/')) policy[name] += 1;
  };
  subscribe('http.server.request.start', onRequest);
  return { graphql, policy, stop: () => unsubscribe('http.server.request.start', onRequest) };
}

export interface ClinicSystemOptions {
  backend: Backend;
  now?: Date;
  clock?: () => Date;
  /** Gateway settings under test (limits, production mode). */
  gateway?: Pick<GatewayOptions, 'limits' | 'employmentRecheckMs' | 'production' | 'desk' | 'corsOrigins' | 'trustedDocuments' | 'tokens'>;
  /** The desk's demo sign-in (/dev/), minting with the system's dev key. */
  demoSignIn?: boolean;
  /** Replicas share state in this Redis: the gateways' rate limit, the subgraphs' replay memory. */
  redisUrl?: string;
  /** Seeds the demo clinic's past (`auditHistory`: reads, refusals, emergency accesses) into the audit store, as `npm run seed` does. */
  auditHistory?: boolean;
}

export async function startClinicSystem(options: ClinicSystemOptions): Promise<ClinicSystem> {
  const logger = createLogger('test');
  const prefix = `clinic_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let targets: Record<StoreName, DatabaseTarget>;
  let cleanup: () => Promise<void>;
  if (options.backend === 'postgresql') {
    const baseUrl = process.env.TEST_POSTGRES_URL;
    if (!baseUrl) throw new Error('TEST_POSTGRES_URL is not set');
    ({ targets, drop: cleanup } = await postgresTargets(baseUrl, prefix));
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'clinic-test-'));
    targets = Object.fromEntries(STORES.map((store) => [store, { kind: 'sqlite', file: join(dir, `${store}.sqlite`) }])) as Record<StoreName, DatabaseTarget>;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }

  const subgraphs = {} as Record<SubgraphName, RunningSubgraph>;
  const received = countSubgraphRequests(subgraphs);
  const redisClients: Redis[] = [];
  /** What a subgraph process started with REDIS_URL gets (runSubgraph): the shared replay memory. */
  const sharedState = (name: SubgraphName) => {
    if (!options.redisUrl) return {};
    const redis = connectRedis(options.redisUrl);
    redisClients.push(redis);
    return { replays: new RedisReplayMemory(redis, name) };
  };
  const subgraphReplicas: RunningSubgraph[] = [];
  // The three subgraphs have databases of their own: they are migrated, seeded and started at the same time.
  const keyDir = mkdtempSync(join(tmpdir(), 'clinic-keys-'));
  const [keys] = await Promise.all([
    loadOrCreateDevKeys(keyDir),
    ...SUBGRAPHS.map(async (s) => {
      const def = definitions[s.name];
      const db = await openSubgraphDatabase(def, { target: targets[s.name] });
      await prepareSubgraphDatabase(def, db, { seed: true, ...(options.now ? { now: options.now } : {}) });
      subgraphs[s.name] = await startSubgraph(def, { db, logger, port: 0, host: '127.0.0.1', signingSecret: SIGNING_SECRET, ...sharedState(s.name) });
    }),
  ]);
  const replicas: RunningGateway[] = [];
  /** A gateway with its own connection to the shared audit store, as a separate replica would have. */
  const startReplica = async (overrides: Partial<Pick<GatewayOptions, 'subgraphUrls' | 'subgraphTimeoutMs' | 'tokens'>> = {}) => {
    const replica = await startGateway({
      tokens: { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: [DEV_ALGORITHM], key: keys.publicKey },
      ...(options.clock ? { clock: options.clock } : {}),
      auditStore: await openAuditStore({ target: targets.audit }),
      signingSecret: SIGNING_SECRET,
      ...options.gateway,
      ...(overrides.tokens ? { tokens: overrides.tokens } : {}),
      ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
      ...(options.demoSignIn ? { demoSignIn: keys } : {}),
      port: 0,
      host: '127.0.0.1',
      subgraphUrls: { patient: subgraphs.patient.url, employee: subgraphs.employee.url, billing: subgraphs.billing.url, ...overrides.subgraphUrls },
      subgraphTimeoutMs: overrides.subgraphTimeoutMs ?? 10_000,
      logger,
    });
    replicas.push(replica);
    return replica;
  };
  const gateway = await startReplica();
  if (options.auditHistory) await seedAuditHistory(gateway.auditStore, loadDemoClinic(), new ClinicCalendar(options.now ?? new Date()));

  const token = async (username: string, tokenOptions: { mfa?: boolean; expiresIn?: string; now?: Date } = {}) => {
    const user = demoUser(username);
    if (!user) throw new Error(`no demo user ${username}`);
    return mintDevToken(keys, user, tokenOptions);
  };

  return {
    backend: options.backend,
    gateway,
    subgraphs,
    keys,
    token,
    async query(query, variables, caller = {}) {
      const authorization = caller.authorization ?? (caller.as ? `Bearer ${await token(caller.as, { mfa: caller.mfa ?? false })}` : undefined);
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}), ...caller.headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
      return { status: response.status, ...body } as GraphQLResponse<never>;
    },
    sqlStatements() {
      return Object.fromEntries(SUBGRAPHS.map((s) => [s.name, subgraphs[s.name].db.statements.total])) as Record<SubgraphName, number>;
    },
    subgraphRequests: () => ({ ...received.graphql }),
    policyRequests: () => ({ ...received.policy }),
    startReplica,
    auditTarget: targets.audit,
    gatewaySubgraphUrls: () => ({ patient: subgraphs.patient.url, employee: subgraphs.employee.url, billing: subgraphs.billing.url }),
    async stopSubgraph(name) {
      await subgraphs[name].stop();
      await subgraphs[name].db.close();
    },
    async startSubgraphReplica(name) {
      const def = definitions[name];
      const db = await openSubgraphDatabase(def, { target: targets[name] });
      const replica = await startSubgraph(def, { db, logger, port: 0, host: '127.0.0.1', signingSecret: SIGNING_SECRET, ...sharedState(name) });
      subgraphReplicas.push(replica);
      return replica;
    },
    async restartSubgraph(name) {
      const def = definitions[name];
      const db = await openSubgraphDatabase(def, { target: targets[name] });
      await prepareSubgraphDatabase(def, db, { seed: true });
      subgraphs[name] = await startSubgraph(def, { db, logger, port: subgraphs[name].port, host: '127.0.0.1', signingSecret: SIGNING_SECRET, ...sharedState(name) });
    },
    async querySubgraph(name, query, variables) {
      const response = await signedFetch(SIGNING_SECRET, { audience: name })(subgraphs[name].url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) } as GraphQLResponse<never>;
    },
    async stop() {
      for (const replica of replicas) {
        await replica.stop();
        await replica.auditStore.close();
      }
      for (const s of SUBGRAPHS) {
        await subgraphs[s.name].stop();
        await subgraphs[s.name].db.close();
      }
      for (const replica of subgraphReplicas) {
        await replica.stop();
        await replica.db.close();
      }
      for (const redis of redisClients) redis.disconnect();
      received.stop();
      await cleanup();
      rmSync(keyDir, { recursive: true, force: true });
    },
  };
}
