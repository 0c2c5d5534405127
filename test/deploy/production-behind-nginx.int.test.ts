import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';

/**
 * The deployment as the README describes it, for real: `npm run build`'s JavaScript started on plain
 * Node (no tsx) in production mode, tokens from a real OpenID provider, and Debian's nginx running
 * deploy/nginx/clinic-gateway.conf in front of the gateway with a certificate made here.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const SERVICES = ['patient', 'employee', 'billing'] as const;
const SECRET = 'deploy-test-signing-secret-of-at-least-32-characters';
const HOST_NAME = 'clinic.example.org';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > until) throw new Error(`deploy test: ${url} not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTPS request that trusts only the certificate made for this test. */
function viaTls(port: number, ca: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: HOST_NAME, ...options.headers }, servername: HOST_NAME, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** deploy/nginx/clinic-gateway.conf with this test's ports and paths; fails when the file no longer has what it replaces. */
function renderedNginxConfig(ports: { gateway: number; https: number; http: number }, dir: string): string {
  const replacements: [string, string][] = [
    ['server 127.0.0.1:4000;', `server 127.0.0.1:${ports.gateway};`],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${ports.https} ssl http2;`],
    ['listen 80;', `listen 127.0.0.1:${ports.http};`],
    ['/etc/ssl/clinic/fullchain.pem', join(dir, 'cert.pem')],
    ['/etc/ssl/clinic/privkey.pem', join(dir, 'key.pem')],
    ['/var/log/nginx/', `${dir}/`],
  ];
  let text = readFileSync(join(ROOT, 'deploy/nginx/clinic-gateway.conf'), 'utf8');
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`deploy/nginx/clinic-gateway.conf no longer contains "${from}"`);
    text = text.split(from).join(to);
  }
  return text;
}

describe('production build behind nginx with TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clinic-deploy-'));
  const children: ChildProcess[] = [];
  let provider: TestOidcProvider;
  let ca: string;
  const ports = { gateway: 0, https: 0, http: 0, patient: 0, employee: 0, billing: 0 };

  const start = (command: string, args: string[], cwd: string, env: Record<string, string>) => {
    // The services log to standard output (pino): its tail says why one stopped, if it does.
    const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let errors = '';
    const keep = (c: Buffer) => {
      errors = (errors + c.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code) => {
      if (code && code !== 0) console.error(`deploy test: ${command} ${args.join(' ')} exited ${code}: ${errors}`);
    });
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    if (!NGINX) throw new Error('nginx is not installed: .ci/run installs it from Debian\'s packages (apt-get install nginx-light)');
    // The suite runs what `npm run build` emits (turbo rebuilds only what changed since the last build).
    const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status, built.stdout + built.stderr).toBe(0);
    for (const key of Object.keys(ports) as (keyof typeof ports)[]) ports[key] = await freePort();
    provider = await startOidcProvider({ 'kc-roy': { realm_access: { roles: ['clinic-reception'] }, clinic_id: 'e-roy', acr: '1' } });

    const common = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATA_DIR: join(dir, 'data'),
      GATEWAY_SIGNING_SECRET: SECRET,
      PATIENT_PORT: String(ports.patient),
      EMPLOYEE_PORT: String(ports.employee),
      BILLING_PORT: String(ports.billing),
    };
    // Plain node on the emitted JavaScript: nothing here can run TypeScript.
    for (const service of SERVICES) start(process.execPath, ['--conditions=clinic-built', 'dist/main.js'], join(ROOT, 'services', service), common);
    await Promise.all(SERVICES.map((s) => waitFor(`http://127.0.0.1:${ports[s]}/readyz`)));
    start(process.execPath, ['--conditions=clinic-built', 'dist/main.js'], join(ROOT, 'gateway'), {
      ...common,
      GATEWAY_PORT: String(ports.gateway),
      OIDC_ISSUER: provider.issuer,
      OIDC_AUDIENCE: provider.audience,
      OIDC_ROLE_CLAIM: 'realm_access.roles',
      OIDC_ROLE_MAP: 'clinic-reception=RECEPTIONIST',
      OIDC_ID_CLAIM: 'clinic_id',
    });
    await waitFor(`http://127.0.0.1:${ports.gateway}/readyz`);

    // A certificate made for this run, trusted by this test only.
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${HOST_NAME}`, '-addext', `subjectAltName=DNS:${HOST_NAME}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    ca = readFileSync(join(dir, 'cert.pem'), 'utf8');

    const prefix = join(dir, 'nginx');
    for (const sub of ['', 'body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(prefix, sub), { recursive: true });
    writeFileSync(join(prefix, 'site.conf'), renderedNginxConfig(ports, dir));
    writeFileSync(
      join(prefix, 'nginx.conf'),
      [
        'daemon off;',
        process.getuid?.() === 0 ? 'user root;' : '',
        'worker_processes 1;',
        `pid ${prefix}/nginx.pid;`,
        `error_log ${prefix}/error.log warn;`,
        'events { worker_connections 64; }',
        'http {',
        ...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t === 'body' ? 'client_body' : t}_temp_path ${prefix}/${t};`),
        `  include ${prefix}/site.conf;`,
        '}',
      ].join('\n'),
    );
    const checked = spawnSync(NGINX, ['-t', '-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')], { encoding: 'utf8' });
    expect(checked.status, checked.stderr).toBe(0);
    start(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')], prefix, {});
    const until = Date.now() + 15_000;
    while (!(await viaTls(ports.https, ca, '/healthz').then((r) => r.status === 200, () => false))) {
      if (Date.now() > until) throw new Error('deploy test: nginx did not answer over TLS');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 400_000);

  afterAll(async () => {
    for (const child of children.reverse()) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
    await provider?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const graphql = (query: string, token?: string) =>
    viaTls(ports.https, ca, '/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query }) });

  it('answers a query over HTTPS with a real provider\'s token, on the built code in production mode', async () => {
    const res = await graphql('{ me { id role } appointments { id } }', await provider.login('kc-roy'));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { data: { me: unknown; appointments: unknown[] } };
    expect(body.data.me).toEqual({ id: 'e-roy', role: 'RECEPTIONIST' });
    expect(body.data.appointments.length).toBeGreaterThan(0);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('passes the 401 and its WWW-Authenticate challenge through, and production refuses introspection', async () => {
    const refused = await graphql('{ me { id } }', 'not-a-token');
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    const introspection = await graphql('{ __schema { types { name } } }', await provider.login('kc-roy'));
    expect(introspection.status).toBe(400);
  });

  it('redirects plain HTTP to HTTPS and keeps /metrics off the public door (it answers on the gateway\'s own port)', async () => {
    const plain = await fetch(`http://127.0.0.1:${ports.http}/graphql`, { redirect: 'manual', headers: { host: HOST_NAME } });
    expect(plain.status).toBe(301);
    expect(plain.headers.get('location')).toBe(`https://${HOST_NAME}/graphql`);
    expect((await viaTls(ports.https, ca, '/metrics')).status).toBe(404);
    const direct = await fetch(`http://127.0.0.1:${ports.gateway}/metrics`);
    expect(direct.status).toBe(200);
    expect(await direct.text()).toContain('graphql_requests_total');
  });

  it('logs requests without their query string', async () => {
    await viaTls(ports.https, ca, '/graphql?query=%7B%20patient(id%3A%22p-caron%22)%20%7B%20lastName%20%7D%20%7D');
    const log = readFileSync(join(dir, 'clinic-gateway.access.log'), 'utf8');
    expect(log).toContain('"GET /graphql"');
    expect(log).not.toContain('p-caron');
  });
});
