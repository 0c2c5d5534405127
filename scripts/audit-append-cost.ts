// `tsx scripts/audit-append-cost.ts [--base <tree>] [--pairs N] [--postgres <url>]`: the CPU an audit
// append costs the gateway's process for one 100-patient read (one request's events, committed),
// measured on a fresh audit store. With --base, runs of this tree and of another checkout (before a
// change) alternate, and the ratio of each pair is printed, so that the machine's drift cancels.
// A tree whose AuditEntry names no `patientIds` (one patient per entry) gets one entry per patient, as its gateway wrote.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values } = parseArgs({
  options: {
    tree: { type: 'string' },
    base: { type: 'string' },
    pairs: { type: 'string', default: '6' },
    appends: { type: 'string', default: '300' },
    patients: { type: 'string', default: '100' },
    postgres: { type: 'string' },
  },
});
const here = resolve(fileURLToPath(new URL('..', import.meta.url)));
const appends = Number(values.appends);
const patients = Number(values.patients);

interface Measured {
  cpuMs: number;
  wallMs: number;
}

interface Store {
  auditLog: { append(entries: unknown[], at: Date): Promise<void> };
  close(): Promise<void>;
}

/** One request reading `patients` patients, as that tree's AuditEntry expects it. */
function requestEntries(perPatient: boolean, request: number): unknown[] {
  const ids = Array.from({ length: patients }, (_, i) => `p-cost-${String(i).padStart(4, '0')}`);
  const common = {
    actorId: 'e-roy',
    role: 'RECEPTIONIST',
    fields: ['Patient.firstName', 'Patient.id', 'Patient.lastName', 'Patient.phone', 'Query.patients'],
    decision: 'ALLOW',
    reason: null,
    emergencyAccessId: null,
    operationName: 'List100',
    clientName: 'cost',
    requestId: `00000000-0000-4000-8000-${String(request).padStart(12, '0')}`,
  };
  return perPatient ? ids.map((patientId) => ({ ...common, patientId })) : [{ ...common, patientIds: ids }];
}

async function measureTree(tree: string): Promise<Measured> {
  const sources = ['audit-log.ts', 'audit-entry.ts'].map((f) => join(tree, 'gateway/src/audit-store', f)).filter((f) => existsSync(f));
  const perPatient = !sources.some((f) => /\bpatientIds: string\[\];/.test(readFileSync(f, 'utf8')));
  const { openAuditStore } = (await import(pathToFileURL(join(tree, 'gateway/src/audit-store/audit-store.ts')).href)) as {
    openAuditStore(options: { target: { kind: 'sqlite'; file: string } | { kind: 'postgresql'; url: string } }): Promise<Store>;
  };
  const dir = mkdtempSync(join(tmpdir(), 'audit-cost-'));
  let dropDatabase = async (): Promise<void> => undefined;
  let target: { kind: 'sqlite'; file: string } | { kind: 'postgresql'; url: string } = { kind: 'sqlite', file: join(dir, 'audit.sqlite') };
  if (values.postgres) {
    const name = `audit_cost_${process.pid}`;
    const admin = new pg.Client({ connectionString: values.postgres });
    await admin.connect();
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    const url = new URL(values.postgres);
    url.pathname = `/${name}`;
    target = { kind: 'postgresql', url: url.toString() };
    dropDatabase = async () => {
      await admin.query(`drop database if exists ${name}`);
      await admin.end();
    };
  }
  const store = await openAuditStore({ target });
  try {
    let request = 0;
    const once = () => store.auditLog.append(requestEntries(perPatient, (request += 1)), new Date());
    for (let i = 0; i < 50; i += 1) await once();
    const cpu = process.cpuUsage();
    const wall = performance.now();
    for (let i = 0; i < appends; i += 1) await once();
    const used = process.cpuUsage(cpu);
    return { cpuMs: (used.user + used.system) / 1000 / appends, wallMs: (performance.now() - wall) / appends };
  } finally {
    await store.close();
    await dropDatabase();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs one tree's measurement in a child process of its own (fresh heap, its own modules). */
function measureInChild(tree: string): Measured {
  const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--tree', tree, '--appends', String(appends), '--patients', String(patients)];
  if (values.postgres) args.push('--postgres', values.postgres);
  return JSON.parse(execFileSync(process.execPath, args, { cwd: tree, encoding: 'utf8' })) as Measured;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

if (values.tree) {
  console.log(JSON.stringify(await measureTree(resolve(values.tree))));
} else if (values.base) {
  const base = resolve(values.base);
  const rows: { base: Measured; here: Measured }[] = [];
  for (let i = 0; i < Number(values.pairs); i += 1) {
    // Alternate which runs first, so that neither always gets the warmer machine.
    let a: Measured;
    let b: Measured;
    if (i % 2 === 0) {
      a = measureInChild(base);
      b = measureInChild(here);
    } else {
      b = measureInChild(here);
      a = measureInChild(base);
    }
    rows.push({ base: a, here: b });
    console.log(`pair ${i + 1}: base ${a.cpuMs.toFixed(3)} ms CPU (${a.wallMs.toFixed(3)} wall), this tree ${b.cpuMs.toFixed(3)} ms CPU (${b.wallMs.toFixed(3)} wall), ratio ${(b.cpuMs / a.cpuMs).toFixed(3)}`);
  }
  const ratios = rows.map((r) => r.here.cpuMs / r.base.cpuMs);
  console.log(`CPU per ${patients}-patient append: base median ${median(rows.map((r) => r.base.cpuMs)).toFixed(3)} ms, this tree ${median(rows.map((r) => r.here.cpuMs)).toFixed(3)} ms; ratio median ${median(ratios).toFixed(3)} (min ${Math.min(...ratios).toFixed(3)}, max ${Math.max(...ratios).toFixed(3)})`);
  const wallRatios = rows.map((r) => r.here.wallMs / r.base.wallMs);
  console.log(`wall per append: base median ${median(rows.map((r) => r.base.wallMs)).toFixed(3)} ms, this tree ${median(rows.map((r) => r.here.wallMs)).toFixed(3)} ms; ratio median ${median(wallRatios).toFixed(3)}`);
} else {
  console.log(JSON.stringify(await measureTree(here)));
}
