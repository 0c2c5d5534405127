import type { Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLINIC_POLICY } from '@clinic/gateway';
import { testBackends } from '../support/backends.js';
import { PRIVACY_OFFICER, RECEPTIONIST } from '../support/callers.js';
import { startClinicSystem, type Caller, type ClinicSystem } from '../support/clinic-system.js';
import { expectOneError, personalValuesIn } from '../support/graphql-errors.js';
import { prepareFhirValidation, validateFhirR4 } from '../patient-rights/fhir-validation.js';

/**
 * Issue 15, the audit log as an investigator needs it: `auditLog` searched by time range, decision,
 * reason, actor, patient and field, paged with sealed cursors; exported as FHIR R4 AuditEvent
 * resources and as CSV, streamed; the privacy officer's own searches and exports are in the log;
 * every event records the version of the rules that decided it.
 */

interface Row {
  id: string;
  at: string;
  actorId: string | null;
  patientId: string | null;
  fields: string[];
  decision: string;
  reason: string | null;
  rulesVersion: string | null;
  filters: string | null;
  cursor: string;
}

const ROW = 'id at actorId patientId fields decision reason rulesVersion filters cursor';
const SEARCH = `query Search($patientId: ID, $actorId: ID, $first: Int, $after: String, $from: String, $to: String, $decision: String, $reason: String, $field: String) {
  auditLog(patientId: $patientId, actorId: $actorId, first: $first, after: $after, from: $from, to: $to, decision: $decision, reason: $reason, field: $field) { ${ROW} }
}`;
const READ = 'query Read($id: ID!) { patient(id: $id) { lastName } }';
/** p-caron restricts his address and e-mail from receptionists (r-2): an ALLOW and a DENY RESTRICTED event. */
const READ_WITH_ADDRESS = 'query ReadWithAddress($id: ID!) { patient(id: $id) { lastName address } }';
const NURSE: Caller = { as: 'nurse.gagnon' };

const HOUR = 3_600_000;

describe.each(testBackends())('searching and exporting the audit log on %s', (backend) => {
  let system: ClinicSystem;
  // The injected clock: the wall clock shifted by `offset`, never the same millisecond twice.
  let offset = 0;
  let last = 0;
  const clock = () => {
    last = Math.max(Date.now() + offset, last + 1);
    return new Date(last);
  };
  let early: Date;
  let later: Date;

  const search = async (variables: Record<string, unknown>, caller: Caller = PRIVACY_OFFICER) => system.query<{ auditLog: Row[] }>(SEARCH, variables, caller);
  const rows = async (variables: Record<string, unknown>) => {
    const res = await search(variables);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data?.auditLog ?? [];
  };
  const exportUrl = (params: Record<string, string>) => `${new URL(system.gateway.url).origin}/audit/export?${new URLSearchParams(params)}`;
  const exportAs = async (caller: Caller | undefined, params: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(exportUrl(params), { headers: { ...(caller?.as ? { authorization: `Bearer ${await system.token(caller.as, { mfa: caller.mfa ?? false })}` } : {}), ...headers } });

  beforeAll(async () => {
    // Before the system starts: its first validation blocks the event loop for seconds.
    prepareFhirValidation();
    system = await startClinicSystem({ backend, clock });
    // Two hours ago: reads by the receptionist, one refused by p-caron's restriction.
    offset = -2 * HOUR;
    early = clock();
    for (const res of [
      await system.query(READ, { id: 'p-lefebvre' }, RECEPTIONIST),
      await system.query(READ_WITH_ADDRESS, { id: 'p-caron' }, RECEPTIONIST),
      await system.query(READ, { id: 'p-dion' }, { ...RECEPTIONIST, headers: { 'apollographql-client-name': '=HYPERLINK("http://evil.example")' } }),
    ]) {
      expect(res.status).toBe(200);
    }
    // Now: a nurse reads a patient (a duty toward p-caron), and reads the log (refused).
    offset = 0;
    later = clock();
    expect((await system.query(READ, { id: 'p-caron' }, NURSE)).status).toBe(200);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it("keeps SPEC's signature: auditLog(patientId, actorId, first), most recent first, one row per event and patient", async () => {
    const res = await system.query<{ auditLog: Row[] }>('query { auditLog(patientId: "p-caron", first: 10) { actorId patientId fields decision reason } }', undefined, PRIVACY_OFFICER);
    expect(res.errors).toBeUndefined();
    expect(res.data?.auditLog).toEqual([
      { actorId: 'e-gagnon', patientId: 'p-caron', fields: ['Patient.lastName', 'Query.patient'], decision: 'ALLOW', reason: null },
      { actorId: 'e-roy', patientId: 'p-caron', fields: ['Patient.address'], decision: 'DENY', reason: 'RESTRICTED' },
      { actorId: 'e-roy', patientId: 'p-caron', fields: ['Patient.lastName', 'Query.patient'], decision: 'ALLOW', reason: null },
    ]);
  });

  it('filters by decision, reason, actor, patient, field and time range; all filters hold together', async () => {
    const who = (list: Row[]) => list.map((r) => `${r.actorId} ${r.patientId} ${r.decision}`);
    expect(who(await rows({ decision: 'DENY', actorId: 'e-roy' }))).toEqual(['e-roy p-caron DENY']);
    expect(who(await rows({ reason: 'RESTRICTED' }))).toEqual(['e-roy p-caron DENY']);
    expect(who(await rows({ field: 'Patient.address' }))).toEqual(['e-roy p-caron DENY']);
    expect(who(await rows({ actorId: 'e-gagnon' }))).toEqual(['e-gagnon p-caron ALLOW']);
    expect(who(await rows({ patientId: 'p-dion' }))).toEqual(['e-roy p-dion ALLOW']);
    // From (inclusive) and to (exclusive), as instants or dates.
    expect(who(await rows({ from: early.toISOString(), to: later.toISOString(), decision: 'ALLOW', field: 'Patient.lastName' }))).toEqual([
      'e-roy p-dion ALLOW',
      'e-roy p-caron ALLOW',
      'e-roy p-lefebvre ALLOW',
    ]);
    expect(who(await rows({ from: later.toISOString(), field: 'Patient.lastName' }))).toEqual(['e-gagnon p-caron ALLOW']);
    expect(await rows({ to: early.toISOString(), field: 'Patient.lastName' })).toEqual([]);
    expect(who(await rows({ from: '2000-01-01', actorId: 'e-gagnon', patientId: 'p-caron', decision: 'ALLOW', field: 'Query.patient' }))).toEqual(['e-gagnon p-caron ALLOW']);
  });

  it('records the version of the rules that decided every event: the compiled policy of this gateway', async () => {
    const list = await rows({ actorId: 'e-roy' });
    expect(list.length).toBe(4);
    expect(CLINIC_POLICY.version).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(new Set(list.map((r) => r.rulesVersion))).toEqual(new Set([CLINIC_POLICY.version]));
  });

  it('pages with opaque cursors: page after page gives exactly the rows of one long page, in order', async () => {
    const all = await rows({ actorId: 'e-roy', first: 100 });
    expect(all.map((r) => r.patientId)).toEqual(['p-dion', 'p-caron', 'p-caron', 'p-lefebvre']);
    const paged: Row[] = [];
    let after: string | undefined;
    for (let page = 0; page < 5; page += 1) {
      const next = await rows({ actorId: 'e-roy', first: 3, ...(after ? { after } : {}) });
      paged.push(...next);
      if (next.length < 3) break;
      after = next.at(-1)?.cursor;
    }
    expect(paged.map((r) => `${r.id} ${r.patientId}`)).toEqual(all.map((r) => `${r.id} ${r.patientId}`));
    // The cursor reveals nothing of the row it names.
    for (const r of all) {
      expect(r.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(r.cursor).not.toContain('caron');
      expect(Buffer.from(r.cursor, 'base64url').toString('latin1')).not.toMatch(/p-|e-roy|\d{3,}/);
    }
  });

  it('pages with auditLogPage too: hasNextPage and endCursor, the same rows, cursors interchangeable with auditLog', async () => {
    const PAGE = 'query Page($actorId: ID, $first: Int, $after: String) { auditLogPage(actorId: $actorId, first: $first, after: $after) { events { id patientId cursor } hasNextPage endCursor } }';
    type Page = { events: { id: string; patientId: string; cursor: string }[]; hasNextPage: boolean; endCursor: string | null };
    const page = async (variables: Record<string, unknown>) => {
      const res = await system.query<{ auditLogPage: Page }>(PAGE, variables, PRIVACY_OFFICER);
      expect(res.errors).toBeUndefined();
      return res.data?.auditLogPage as Page;
    };
    const all = await rows({ actorId: 'e-roy', first: 100 });
    const first = await page({ actorId: 'e-roy', first: 3 });
    expect(first.hasNextPage).toBe(true);
    expect(first.endCursor).toBe(first.events.at(-1)?.cursor);
    const second = await page({ actorId: 'e-roy', first: 3, after: first.endCursor });
    expect(second.hasNextPage).toBe(false);
    expect([...first.events, ...second.events].map((e) => `${e.id} ${e.patientId}`)).toEqual(all.map((r) => `${r.id} ${r.patientId}`));
    // A page's cursor continues the list form of the same search.
    expect((await rows({ actorId: 'e-roy', first: 3, after: first.endCursor })).map((r) => r.id)).toEqual(second.events.map((e) => e.id));
    const empty = await page({ actorId: 'e-nobody', first: 3 });
    expect(empty).toEqual({ events: [], hasNextPage: false, endCursor: null });
    const denied = await system.query(PAGE, { first: 1 }, RECEPTIONIST);
    expect(denied.errors?.map((e) => e.extensions?.reason)).toEqual(['ROLE']);
    expect(denied.data ?? null).toBeNull();
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a cursor of another search', { decision: 'DENY' }, 'after'],
    ['a cursor that is not one', { after: 'not-a-cursor' }, 'after'],
  ])('refuses %s with BAD_USER_INPUT', async (_what, variables, field) => {
    const [first] = await rows({ actorId: 'e-roy', first: 1 });
    const res = await search({ after: first?.cursor, ...variables });
    const error = expectOneError(res, 'BAD_USER_INPUT', /^after must be the cursor of a row of this same search$/);
    expect(error.extensions?.field).toBe(field);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a time that is not ISO-8601', { from: 'yesterday' }, 'from', /^from must be an ISO-8601 date/],
    ['an instant without a UTC offset', { to: '2026-11-30T10:00:00' }, 'to', /^to must be an ISO-8601 date/],
    ['from after to', { from: '2026-12-01', to: '2026-11-01' }, 'from', /^from must be before to$/],
    ['an unknown decision', { decision: 'MAYBE' }, 'decision', /^decision must be one of ALLOW, DENY$/],
    ['an unknown reason', { reason: 'BECAUSE' }, 'reason', /^reason must be one of UNAUTHENTICATED, ROLE, NO_DUTY, RESTRICTED, MFA_REQUIRED$/],
    ['a reason with ALLOW', { decision: 'ALLOW', reason: 'ROLE' }, 'reason', /^reason applies to DENY events only$/],
    ['a field that is not a coordinate', { field: 'phone; drop table audit_event' }, 'field', /^field must be a field coordinate/],
    ['a field no rule knows', { field: 'Patient.phnoe' }, 'field', /^field names no field the rules know/],
    ['a malformed patient id', { patientId: 'p-1/../../etc' }, 'patientId', /^patientId must be 1 to 64/],
    ['a malformed actor id', { actorId: 'x'.repeat(65) }, 'actorId', /^actorId must be 1 to 64/],
  ])('refuses %s with BAD_USER_INPUT naming the filter, quoting no value', async (_what, variables, field, message) => {
    const res = await search(variables);
    const error = expectOneError(res, 'BAD_USER_INPUT', message);
    expect(error.extensions?.field).toBe(field);
    expect(res.data).toBeNull();
    expect(personalValuesIn(JSON.stringify(res))).toEqual([]);
  });

  it("records the privacy officer's searches in the log: the filters and the range of events returned, under no patient", async () => {
    const found = await rows({ patientId: 'p-dion', decision: 'ALLOW', first: 5 });
    expect(found).toHaveLength(1);
    const [search] = await rows({ actorId: 'e-fortin', field: 'Query.auditLog', first: 1 });
    expect(search).toMatchObject({ actorId: 'e-fortin', patientId: null, fields: ['Query.auditLog'], decision: 'ALLOW', rulesVersion: CLINIC_POLICY.version });
    const seq = Number(JSON.parse(search?.filters ?? '{}').newestSeq);
    expect(JSON.parse(search?.filters ?? '{}')).toEqual({ kind: 'search', patientId: 'p-dion', decision: 'ALLOW', first: 5, continued: false, rows: 1, newestSeq: seq, oldestSeq: seq });
    // A search of the log is not a read of the record: the patient's own access log does not list it.
    const own = await system.query<{ patient: { accessLog: { role: string }[] } }>('query { patient(id: "p-dion") { accessLog { role } } }', undefined, { as: 'patient.dion', mfa: true });
    expect(own.data?.patient.accessLog.map((e) => e.role)).toEqual(['RECEPTIONIST']);
  });

  it('lets only the privacy officer search the log and read its new fields', async () => {
    const res = await search({ first: 1 }, NURSE);
    expectOneError(res, 'FORBIDDEN', /auditLog/);
    expect(res.errors?.[0]?.extensions?.reason).toBe('ROLE');
    for (const field of ['rulesVersion', 'filters', 'cursor']) {
      const one = await system.query<{ auditLog: Record<string, unknown>[] }>(`query { auditLog(first: 1) { ${field} } }`, undefined, PRIVACY_OFFICER);
      expect(one.errors, field).toBeUndefined();
      expect(one.data?.auditLog[0], field).toHaveProperty(field);
      const denied = await system.query(`query { auditLog(first: 1) { ${field} } }`, undefined, RECEPTIONIST);
      expect(denied.errors?.map((e) => e.extensions?.reason), field).toEqual(['ROLE']);
      expect(denied.data ?? null, field).toBeNull();
    }
  });

  describe('GET /audit/export', () => {
    it('exports FHIR R4 AuditEvent resources in a Bundle that validates against the FHIR R4 schema, one per event, the export itself logged first', async () => {
      const before = await system.gateway.auditStore.auditLog.head();
      const res = await exportAs(PRIVACY_OFFICER, { format: 'fhir' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const bundle = (await res.json()) as Bundle;
      const validation = validateFhirR4(bundle);
      expect(validation.errors).toEqual([]);
      expect(bundle.type).toBe('collection');
      // Every event of the chain as it stood when the export started (the export's own event comes after).
      expect(bundle.entry?.length).toBe(before.seq);
      const events = (bundle.entry ?? []).map((e) => e.resource as unknown as Record<string, unknown> & { entity?: { what?: { reference?: string }; role?: { code?: string } }[] });
      const refused = events.find((e) => e.outcome === '4' && (e.entity ?? []).some((x) => x.what?.reference === 'Patient/p-caron'));
      expect(refused).toMatchObject({
        resourceType: 'AuditEvent',
        type: { code: 'rest' },
        subtype: [{ code: 'read' }],
        action: 'R',
        outcomeDesc: 'refused: RESTRICTED',
        agent: [{ who: { identifier: { value: 'e-roy' } }, role: [{ coding: [{ code: 'RECEPTIONIST' }] }], requestor: true }],
        source: { observer: { display: 'clinic-federation gateway' } },
      });
      expect(JSON.stringify(refused)).toContain(CLINIC_POLICY.version);
      const searches = events.filter((e) => e.action === 'E' && JSON.stringify(e.subtype).includes('"search"'));
      expect(searches.length).toBeGreaterThan(0);
      const [logged] = await rows({ actorId: 'e-fortin', field: 'Query.auditLog', first: 1 });
      expect(JSON.parse(logged?.filters ?? '{}')).toEqual({ kind: 'export', format: 'fhir', upToSeq: before.seq });
    });

    it('exports FHIR NDJSON, one AuditEvent per line, with the filters applied', async () => {
      const res = await exportAs(PRIVACY_OFFICER, { format: 'ndjson', patientId: 'p-caron', decision: 'DENY' });
      expect(res.status).toBe(200);
      const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ resourceType: 'AuditEvent', outcome: '4', entity: expect.arrayContaining([expect.objectContaining({ what: { reference: 'Patient/p-caron' } })]) });
      const bundle = { resourceType: 'Bundle', type: 'collection', entry: lines.map((resource) => ({ resource })) } as unknown as Bundle;
      expect(validateFhirR4(bundle).errors).toEqual([]);
    });

    it('exports CSV with proper quoting, and defuses cells a spreadsheet would run as formulas', async () => {
      const res = await exportAs(PRIVACY_OFFICER, { format: 'csv', actorId: 'e-roy' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-.*\.csv"$/);
      const lines = (await res.text()).split('\r\n').filter((l) => l !== '');
      expect(lines[0]).toBe('seq,id,at,actor_id,role,patient_ids,fields,decision,reason,emergency_access_id,operation_name,client_name,request_id,client_request_id,rules_version,filters');
      expect(lines).toHaveLength(5);
      const dion = lines.find((l) => l.includes(',p-dion,'));
      // The client-chosen name starts with "=": prefixed with a quote, and quoted for its own quotes.
      expect(dion).toContain(',"\'=HYPERLINK(""http://evil.example"")",');
      expect(lines.find((l) => l.includes(',DENY,'))).toContain(',p-caron,Patient.address,DENY,RESTRICTED,');
    });

    it.each<[string, Record<string, string>, string]>([
      ['an unknown format', { format: 'xml' }, 'format'],
      ['a bad time', { format: 'csv', from: 'last week' }, 'from'],
      ['an unknown field', { field: 'Patient.nope' }, 'field'],
    ])('refuses %s with 400, exporting nothing', async (_what, params, field) => {
      const res = await exportAs(PRIVACY_OFFICER, params);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: { extensions: { code: string; field?: string } }[] };
      expect(body.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    });

    it('refuses an unknown or repeated parameter with 400', async () => {
      expect((await exportAs(PRIVACY_OFFICER, { fromm: '2026-01-01' })).status).toBe(400);
      const repeated = await fetch(`${exportUrl({ format: 'csv' })}&decision=ALLOW&decision=DENY`, { headers: { authorization: `Bearer ${await system.token('privacy.fortin')}` } });
      expect(repeated.status).toBe(400);
    });

    it('refuses a caller without a token (401), with a bad token (401) and anyone but the privacy officer (403, logged)', async () => {
      const none = await exportAs(undefined, { format: 'csv' });
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="clinic"');
      const forged = await fetch(exportUrl({ format: 'csv' }), { headers: { authorization: 'Bearer not.a.token' } });
      expect(forged.status).toBe(401);
      const nurse = await exportAs(NURSE, { format: 'csv' });
      expect(nurse.status).toBe(403);
      expect(await nurse.text()).not.toContain('e-roy');
      const refused = await rows({ actorId: 'e-gagnon', decision: 'DENY', field: 'Query.auditLog' });
      expect(refused.map((r) => r.reason)).toEqual(['ROLE']);
    });

    it('streams a large range page by page: every event once, in chain order, with a statement per page and not per event', async () => {
      const store = system.gateway.auditStore;
      const entry = (i: number) => ({
        actorId: 'e-bulk', role: 'RECEPTIONIST', decision: 'ALLOW' as const, reason: null, fields: ['Patient.lastName'], emergencyAccessId: null,
        patientIds: [`p-bulk-${i % 7}`, `p-bulk-${(i + 1) % 7}`], operationName: 'Bulk', clientName: null, requestId: `bulk-${i}`, rulesVersion: CLINIC_POLICY.version,
      });
      for (let batch = 0; batch < 12; batch += 1) await store.auditLog.append(Array.from({ length: 100 }, (_, i) => entry(batch * 100 + i)), clock());
      const statements = store.db.statements.total;
      const res = await exportAs(PRIVACY_OFFICER, { format: 'csv', actorId: 'e-bulk' });
      const lines = (await res.text()).split('\r\n').filter((l) => l !== '').slice(1);
      expect(lines).toHaveLength(1200);
      expect(lines.map((l) => l.split(',')[12])).toEqual(Array.from({ length: 1200 }, (_, i) => `bulk-${i}`));
      expect(lines[0]?.split(',')[5]).toBe('p-bulk-0 p-bulk-1');
      // 3 pages of 500, the head and the export's own event: far fewer than one statement per event.
      expect(store.db.statements.total - statements).toBeLessThan(15);
    });
  });
});
