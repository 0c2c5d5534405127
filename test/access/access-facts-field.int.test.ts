import { execute, isObjectType, parse, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSupergraphSdl, type Role } from '@clinic/schema';
import { audienceByOrigin, signedFetch } from '@clinic/service-kit';
import { CLINIC_POLICY, type GatewayContext, type PatientAccessFacts } from '@clinic/gateway';
import { AccessRestriction, Appointment, CareAssignment, Patient } from '../../services/patient/src/entities.js';
import { buildSupergraphSchema } from '../../gateway/src/supergraph-schema.js';
import { accessFactsOf, OWNER_KEY } from '../../gateway/src/policy/record-keys.js';
import { readerFactsOf } from '../../gateway/src/derived-values/patient-listing.js';
import { testBackends } from '../support/backends.js';
import { SIGNING_SECRET, startClinicSystem, type ClinicSystem, type GraphQLResponse } from '../support/clinic-system.js';
import { addDays, clinicInstant, clinicToday } from '../support/clinic-time.js';
import { RECEPTIONIST, physicianWithMfa } from '../support/callers.js';

const EXTRA_PATIENTS = 60;
const pad = (i: number) => String(i).padStart(3, '0');
const extraId = (i: number) => `p-facts-${pad(i)}`;
const DAY_MS = 86_400_000;

const FACTS_OF_PAGE = 'query Facts($first: Int!) { patients(search: "Factstest", first: $first) { nodes { id facts: _accessFacts } } }';
const PAGE_ONLY = 'query Page($first: Int!) { patients(search: "Factstest", first: $first) { nodes { id } } }';
const DEMO_FACTS = 'query Facts { patients(first: 100) { nodes { id facts: _accessFacts } } }';

/**
 * `Patient._accessFacts`: the policy facts of the signed viewer, fetched with the records in the
 * same patient subgraph request. It answers what the patient-access endpoint answers, in a fixed
 * number of SQL statements, for the reader and at the time the gateway signed, and no client can
 * select it.
 */
describe.each(testBackends())('the gateway-only access facts of a patient, on %s', (backend) => {
  let system: ClinicSystem;
  const today = clinicToday();

  beforeAll(async () => {
    // The employment check on every request: the chart test counts it.
    system = await startClinicSystem({ backend, gateway: { employmentRecheckMs: 0 } });
    // Extra patients of nurse Gagnon's: an open care assignment each, an appointment today for every
    // other one, and restrictions naming her by id, by role, lifted, ended or not yet started.
    const em = system.subgraphs.patient.db.fork();
    for (let i = 0; i < EXTRA_PATIENTS; i += 1) {
      em.create(Patient, { id: extraId(i), firstName: `Fay${pad(i)}`, lastName: `Factstest${pad(i)}`, dateOfBirth: '1980-01-01', sex: 'X', appointmentReminders: false, newsletter: false });
    }
    await em.flush();
    const past = new Date(Date.now() - 30 * DAY_MS);
    const restriction = (id: string, patientId: string, subject: { employeeId?: string; role?: Role }, changes: Partial<{ lifted: boolean; startsAt: Date; endsAt: Date }> = {}) =>
      em.create(AccessRestriction, { id, patientId, employeeId: subject.employeeId ?? null, role: subject.role ?? null, fields: ['Patient.phone'], reason: 'Test', startsAt: past, endsAt: null, lifted: false, ...changes });
    for (let i = 0; i < EXTRA_PATIENTS; i += 1) {
      const patientId = extraId(i);
      em.create(CareAssignment, { patientId, employeeId: 'e-gagnon', kind: 'ASSIGNED_NURSE', since: past, until: null });
      if (i % 2 === 0) em.create(Appointment, { id: `a-facts-${pad(i)}`, patientId, practitionerId: 'e-gagnon', startsAt: new Date(clinicInstant(today, `11:${pad(i).slice(1)}`)), reason: 'Facts', status: 'BOOKED' });
      if (i % 3 === 0) restriction(`r-facts-emp-${pad(i)}`, patientId, { employeeId: 'e-gagnon' });
      if (i % 3 === 1) restriction(`r-facts-role-${pad(i)}`, patientId, { role: 'NURSE' });
      restriction(`r-facts-lifted-${pad(i)}`, patientId, { employeeId: 'e-gagnon' }, { lifted: true });
      restriction(`r-facts-ended-${pad(i)}`, patientId, { role: 'NURSE' }, { endsAt: new Date(Date.now() - DAY_MS) });
      restriction(`r-facts-later-${pad(i)}`, patientId, { employeeId: 'e-gagnon' }, { startsAt: new Date(Date.now() + 3 * DAY_MS) });
    }
    await em.flush();
  });
  afterAll(async () => {
    await system?.stop();
  });

  /**
   * Posts to the patient subgraph as the gateway does: signed, with the verified viewer (or none),
   * the reader's role as the gateway tells it (`clinicReader`) and, if given, the request's time.
   */
  async function asGateway<T>(
    viewerId: string | undefined,
    query: string,
    variables: Record<string, unknown>,
    told: { reader?: { id: string; role: Role }; at?: string } = {},
  ): Promise<GraphQLResponse<T>> {
    const clinicReader = told.reader && readerFactsOf({ request: { viewer: { ...told.reader, mfa: false } } } as unknown as GatewayContext);
    const response = await signedFetch(SIGNING_SECRET, { audience: 'patient' })(system.subgraphs.patient.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(viewerId ? { 'x-viewer-id': viewerId } : {}), ...(told.at ? { 'x-gateway-request-time': String(Date.parse(told.at)) } : {}) },
      body: JSON.stringify({ query, variables, ...(clinicReader ? { extensions: { clinicReader } } : {}) }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  }

  async function endpointFacts(reader: { id: string; role: Role }, patientIds: string[], at: string): Promise<PatientAccessFacts[]> {
    const response = await signedFetch(SIGNING_SECRET, { audience: 'patient' })(new URL('/internal/policy/patient-access', system.subgraphs.patient.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reader, patientIds, at }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { patients: PatientAccessFacts[] }).patients;
  }

  type FactsPage = { patients: { nodes: { id: string; facts: string }[] } };
  async function fieldFacts(reader: { id: string; role: Role }, query: string, variables: Record<string, unknown>, at: string): Promise<Map<string, PatientAccessFacts>> {
    const res = await asGateway<FactsPage>(reader.id, query, variables, { reader, at });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    // Read as the gateway reads them (the usual no duty, no restriction travels as an empty text).
    return new Map(res.data?.patients.nodes.map((n) => [n.id, accessFactsOf({ __clinicRecordId: n.id, __clinicAccess: n.facts }) as PatientAccessFacts]));
  }

  const noFacts = (patientId: string): PatientAccessFacts => ({ patientId, exists: true, duties: [], restrictions: [] });

  it("answers the demo clinic's duties and restrictions of each reader, as the patient-access endpoint does", async () => {
    const at = new Date().toISOString();
    const demo = ['p-lefebvre', 'p-caron', 'p-ouellet', 'p-bergeron', 'p-dion'];
    const expected: { reader: { id: string; role: Role }; facts: Record<string, Partial<PatientAccessFacts>> }[] = [
      {
        // Her assignment to p-ouellet ended 30 days ago; r-1 names her on p-lefebvre.
        reader: { id: 'e-gagnon', role: 'NURSE' },
        facts: {
          'p-lefebvre': { duties: [{ kind: 'CARE_ASSIGNMENT', detail: 'open care assignment (ASSIGNED_NURSE)' }], restrictions: [{ id: 'r-1', fields: ['Patient.diagnoses', 'Patient.clinicalNotes', 'Patient.medications'] }] },
          'p-caron': { duties: [{ kind: 'CARE_ASSIGNMENT', detail: 'open care assignment (ASSIGNED_NURSE)' }] },
        },
      },
      { reader: { id: 'e-nguyen', role: 'PHYSICIAN' }, facts: { 'p-caron': { duties: [{ kind: 'APPOINTMENT_TODAY', detail: 'appointment a-1 today' }] }, 'p-bergeron': { duties: [{ kind: 'CARE_ASSIGNMENT', detail: 'open care assignment (PHYSICIAN_OF_RECORD)' }] } } },
      { reader: { id: 'e-pelletier', role: 'CONSULTANT' }, facts: { 'p-ouellet': { duties: [{ kind: 'ACTIVE_REFERRAL', detail: 'active referral' }] } } },
      // r-2 names the receptionist role on p-caron.
      { reader: { id: 'e-roy', role: 'RECEPTIONIST' }, facts: { 'p-caron': { restrictions: [{ id: 'r-2', fields: ['Patient.address', 'Patient.email'] }] } } },
    ];
    for (const { reader, facts } of expected) {
      const fromField = await fieldFacts(reader, DEMO_FACTS, {}, at);
      const want = demo.map((id) => ({ ...noFacts(id), ...facts[id] }));
      expect(demo.map((id) => fromField.get(id)), reader.id).toEqual(want);
      expect(await endpointFacts(reader, demo, at), reader.id).toEqual(want);
    }
  });

  it('answers the same facts as the endpoint for many patients, lifted, ended and future restrictions left out', async () => {
    const at = new Date().toISOString();
    const reader = { id: 'e-gagnon', role: 'NURSE' as const };
    const fromField = await fieldFacts(reader, FACTS_OF_PAGE, { first: EXTRA_PATIENTS }, at);
    const ids = Array.from({ length: EXTRA_PATIENTS }, (_, i) => extraId(i));
    expect([...fromField.keys()]).toEqual(ids);
    expect(ids.map((id) => fromField.get(id))).toEqual(await endpointFacts(reader, ids, at));
    const sample = (i: number) => fromField.get(extraId(i));
    expect(sample(0)).toEqual({
      patientId: extraId(0),
      exists: true,
      duties: [
        { kind: 'CARE_ASSIGNMENT', detail: 'open care assignment (ASSIGNED_NURSE)' },
        { kind: 'APPOINTMENT_TODAY', detail: `appointment a-facts-000 today` },
      ],
      restrictions: [{ id: 'r-facts-emp-000', fields: ['Patient.phone'] }],
    });
    expect(sample(1)?.restrictions).toEqual([{ id: 'r-facts-role-001', fields: ['Patient.phone'] }]);
    expect(sample(1)?.duties.map((d) => d.kind)).toEqual(['CARE_ASSIGNMENT']);
    expect(sample(2)?.restrictions).toEqual([]);
    // Another nurse has no duty here but is named by the role restrictions; the receptionist by none.
    const otherNurse = await fieldFacts({ id: 'e-bouchard', role: 'NURSE' }, FACTS_OF_PAGE, { first: 3 }, at);
    expect([0, 1, 2].map((i) => otherNurse.get(extraId(i))?.restrictions.map((r) => r.id))).toEqual([[], ['r-facts-role-001'], []]);
    // Tomorrow, today's appointment is no duty; the assignment and the restriction still hold.
    const tomorrow = await fieldFacts(reader, FACTS_OF_PAGE, { first: 1 }, new Date(clinicInstant(addDays(today, 1), '12:00')).toISOString());
    expect(tomorrow.get(extraId(0))?.duties.map((d) => d.kind)).toEqual(['CARE_ASSIGNMENT']);
    expect(tomorrow.get(extraId(0))?.restrictions.map((r) => r.id)).toEqual(['r-facts-emp-000']);
    // Once the future restriction has started, it counts.
    const started = await fieldFacts(reader, FACTS_OF_PAGE, { first: 1 }, new Date(Date.now() + 4 * DAY_MS).toISOString());
    expect(started.get(extraId(0))?.restrictions.map((r) => r.id).sort()).toEqual(['r-facts-emp-000', 'r-facts-later-000']);
  });

  it('costs one SQL statement per request whatever the number of patients (one UNION ALL of its four kinds of fact)', async () => {
    const nurse = { id: 'e-gagnon', role: 'NURSE' as const };
    const statementsOf = async (query: string, variables: Record<string, unknown>) => {
      const before = system.sqlStatements().patient;
      const res = await asGateway<FactsPage>(nurse.id, query, variables, { reader: nurse });
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      return system.sqlStatements().patient - before;
    };
    const cost = async (first: number) => (await statementsOf(FACTS_OF_PAGE, { first })) - (await statementsOf(PAGE_ONLY, { first }));
    expect(await cost(5)).toBe(1);
    expect(await cost(50)).toBe(1);
    // Patients met again deeper in the response (an appointment's patient) cost no second batch.
    const twice = 'query Twice { patients(search: "Factstest", first: 10) { nodes { a: _accessFacts appointments { patient { b: _accessFacts } } } } }';
    const withAppointments = 'query Appts { patients(search: "Factstest", first: 10) { nodes { id appointments { patient { id } } } } }';
    expect((await statementsOf(twice, {})) - (await statementsOf(withAppointments, {}))).toBe(1);
  });

  it('needs the signed viewer in the role the gateway verified for it, and a request time on a clinic day', async () => {
    const one = 'query One { patient(id: "p-lefebvre") { id _accessFacts } }';
    const nurse = { id: 'e-gagnon', role: 'NURSE' as const };
    type One = { patient: { _accessFacts: string | null } };
    const refusals = [
      await asGateway<One>(undefined, one, {}, { reader: nurse }),
      await asGateway<One>(nurse.id, one, {}),
      // A role told for another reader than the signed viewer is no role of this one.
      await asGateway<One>(nurse.id, one, {}, { reader: { id: 'e-bouchard', role: 'NURSE' } }),
    ];
    for (const res of refusals) {
      expect(res.data?.patient._accessFacts).toBeNull();
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    }
    const told = await asGateway<One>(nurse.id, one, {}, { reader: nurse });
    expect(told.errors, JSON.stringify(told.errors)).toBeUndefined();
    expect(typeof told.data?.patient._accessFacts).toBe('string');
    // A signed time past the calendar's last day (year 9999) is on no clinic day.
    const response = await signedFetch(SIGNING_SECRET, { audience: 'patient' })(system.subgraphs.patient.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-viewer-id': nurse.id, 'x-gateway-request-time': '9999999999999999' },
      body: JSON.stringify({ query: one, extensions: { clinicReader: readerFactsOf({ request: { viewer: { ...nurse, mfa: false } } } as unknown as GatewayContext) } }),
    });
    const outside = (await response.json()) as GraphQLResponse<One>;
    expect(outside.data?.patient._accessFacts).toBeNull();
    expect(outside.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const unsigned = await fetch(system.subgraphs.patient.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-viewer-id': 'e-gagnon' },
      body: JSON.stringify({ query: one }),
    });
    expect(unsigned.status).toBe(401);
    // The endpoint reads its clock as strictly.
    const loose = await signedFetch(SIGNING_SECRET, { audience: 'patient' })(new URL('/internal/policy/patient-access', system.subgraphs.patient.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reader: { id: 'e-gagnon', role: 'NURSE' }, patientIds: ['p-lefebvre'], at: '2026-11-25' }),
    });
    expect(loose.status).toBe(400);
  });

  it('is not in the schema clients see, and a client selecting it, under any alias, or naming a variable as the gateway does is refused with a 400', async () => {
    const introspection = await system.query<{ __type: { fields: { name: string }[] } }>('{ __type(name: "Patient") { fields { name } } }', undefined, RECEPTIONIST);
    const served = introspection.data?.__type.fields.map((f) => f.name) ?? [];
    expect(served).toEqual(expect.arrayContaining(['id', 'lastName', 'accessLog']));
    expect(served).not.toContain('_accessFacts');
    for (const selection of ['_accessFacts', 'facts: _accessFacts', '__clinicAccess: _accessFacts']) {
      const res = await system.query(`{ patient(id: "p-lefebvre") { id ${selection} } }`, undefined, RECEPTIONIST);
      expect(res.status, selection).toBe(400);
      expect(res.data, selection).toBeUndefined();
      expect(res.errors?.[0]?.extensions?.code, selection).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    const clock = await system.query('query Q($_clinicAt: String) { patients(search: $_clinicAt) { totalCount } }', { _clinicAt: 'x' }, RECEPTIONIST);
    expect(clock.status).toBe(400);
    expect(clock.errors?.[0]?.message).toMatch(/reserved/);
    // A physician of record, with MFA, is refused alike: the field exists for no client.
    const physician = await system.query('{ patient(id: "p-lefebvre") { _accessFacts } }', undefined, physicianWithMfa('dr.tremblay'));
    expect(physician.status).toBe(400);
    expect(physician.errors?.[0]?.message).toMatch(/Cannot query field "_accessFacts" on type "Patient"/);
  });

  it("lets the gateway's own stitched schema ask the patient subgraph for the facts of every patient it fetches, owners and entities included", async () => {
    const schema = buildSupergraphSchema({
      supergraphSdl: readSupergraphSdl(),
      subgraphUrls: system.gatewaySubgraphUrls(),
      subgraphTimeoutMs: 10_000,
      fetch: signedFetch(SIGNING_SECRET, { audience: audienceByOrigin(system.gatewaySubgraphUrls()) }),
      policy: CLINIC_POLICY,
    });
    const seen: { type: string; facts: PatientAccessFacts | undefined }[] = [];
    spyOn(schema, 'Patient', 'lastName', (parent) => seen.push({ type: 'Patient', facts: accessFactsOf(parent) }));
    spyOn(schema, 'Appointment', 'id', (parent) => seen.push({ type: 'Appointment owner', facts: accessFactsOf(parent[OWNER_KEY] as Record<string, unknown>, (parent[OWNER_KEY] as { id: string }).id) }));
    const run = async (query: string, viewer: { id: string; role: Role }) => {
      seen.length = 0;
      const request = { viewer: { ...viewer, mfa: false }, now: new Date(), requestId: `facts-${Math.random()}`, clientName: null };
      const contextValue = { request, access: { plans: CLINIC_POLICY.plansFor(viewer.role, false) } } as unknown as GatewayContext;
      const result = await execute({ schema, document: parse(query), contextValue });
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      return result.data;
    };

    const data = await run('{ patient(id: "p-lefebvre") { lastName appointments { id } } }', { id: 'e-gagnon', role: 'NURSE' });
    // The client's answer is only what it asked for.
    expect(data).toEqual({ patient: { lastName: 'Lefebvre', appointments: [{ id: 'a-2' }] } });
    const nurseFacts = { patientId: 'p-lefebvre', exists: true, duties: [{ kind: 'CARE_ASSIGNMENT', detail: 'open care assignment (ASSIGNED_NURSE)' }], restrictions: [{ id: 'r-1', fields: ['Patient.diagnoses', 'Patient.clinicalNotes', 'Patient.medications'] }] };
    expect(seen).toEqual([
      { type: 'Patient', facts: nurseFacts },
      { type: 'Appointment owner', facts: nurseFacts },
    ]);

    // Two root fields to the patient subgraph are batched into one request: both patients carry facts.
    const requestsBefore = system.subgraphRequests().patient;
    await run('{ a: patient(id: "p-lefebvre") { lastName } b: patient(id: "p-caron") { lastName } }', { id: 'e-gagnon', role: 'NURSE' });
    expect(system.subgraphRequests().patient - requestsBefore).toBe(1);
    expect(seen.map((s) => [s.facts?.patientId, s.facts?.duties.map((d) => d.kind)])).toEqual([
      ['p-lefebvre', ['CARE_ASSIGNMENT']],
      ['p-caron', ['CARE_ASSIGNMENT']],
    ]);

    // An invoice's patient comes from the billing subgraph; its last name, and the facts, from the patient subgraph's _entities.
    // (The billing agent: a receptionist never reads invoices, so minimal disclosure would not even ask for the patient.)
    await run('{ invoice(id: "i-2") { patient { lastName } } }', { id: 'e-cote', role: 'BILLING_AGENT' });
    expect(seen).toEqual([{ type: 'Patient', facts: { patientId: 'p-caron', exists: true, duties: [], restrictions: [] } }]);

    // A day's schedule: every appointment's patient and owner carry the physician's facts.
    await run(`{ appointments(day: "${today}") { id patient { lastName } } }`, { id: 'e-nguyen', role: 'PHYSICIAN' });
    const caron = seen.filter((s) => s.facts?.patientId === 'p-caron');
    expect(caron.map((s) => s.type).sort()).toEqual(['Appointment owner', 'Patient']);
    expect(caron.every((s) => s.facts?.duties.some((d) => d.kind === 'APPOINTMENT_TODAY' && d.detail === 'appointment a-1 today'))).toBe(true);
    expect(seen.every((s) => s.facts !== undefined)).toBe(true);
  });

  it("reads a chart by id with no look-up beside the record's own request: the log names the patient once the record comes back, an unknown id no one", async () => {
    const store = system.gateway.auditStore;
    const before = { lookups: system.gateway.policyLookups(), policy: system.policyRequests().patient, seq: (await store.auditLog.head()).seq };
    const chart = await system.query<{ patient: { lastName: string; allergies: string[] | null } | null }>(
      'query Chart { patient(id: "p-caron") { lastName allergies } }',
      undefined,
      physicianWithMfa('dr.tremblay'),
    );
    expect(chart.data?.patient?.lastName).toBe('Caron');
    // The employment check only; the patient subgraph answered the chart's facts with the record.
    expect(system.gateway.policyLookups() - before.lookups).toBe(1);
    expect(system.policyRequests().patient - before.policy).toBe(0);
    const unknown = await system.query('query Chart { patient(id: "p-nobody") { lastName } }', undefined, physicianWithMfa('dr.tremblay'));
    expect(unknown.data).toEqual({ patient: null });
    const events = (await store.auditLog.search({}, { order: 'asc', limit: 10, fromSeq: before.seq + 1 })).filter((e) => e.operationName === 'Chart');
    expect(events.flatMap((e) => e.patientIds)).toEqual(['p-caron']);
    expect(events.flatMap((e) => e.fields)).toContain('Query.patient');
  });
});

/** Calls `observe` with the parent of every resolution of a field of the stitched schema, then resolves it as before. */
function spyOn(schema: GraphQLSchema, typeName: string, fieldName: string, observe: (parent: Record<string, unknown>) => void): void {
  const type = schema.getType(typeName);
  const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
  const resolve = field?.resolve as GraphQLFieldResolver<unknown, unknown> | undefined;
  if (!field || !resolve) throw new Error(`no resolver for ${typeName}.${fieldName}`);
  field.resolve = (parent, args, ctx, info) => {
    observe(parent as Record<string, unknown>);
    return resolve(parent, args, ctx, info);
  };
}
