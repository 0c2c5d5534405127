import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type Caller, type ClinicSystem, type GraphQLResponse } from '../support/clinic-system.js';
import { addDays, clinicToday } from '../support/clinic-time.js';
import { BILLING_AGENT, RECEPTIONIST, authorizationOf } from '../support/callers.js';
import { expectOneError, personalValuesIn, personalValuesOfDemoClinic } from '../support/graphql-errors.js';

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Who asks, per root field: someone allowed to read what each request selects, so that only the
 * bad input is refused. The receptionist reads patients, employees' directory and the schedule;
 * invoices are the billing agent's.
 */
const READER: Record<string, Caller> = { patient: RECEPTIONIST, patients: RECEPTIONIST, employee: RECEPTIONIST, employees: RECEPTIONIST, appointments: RECEPTIONIST, invoice: BILLING_AGENT };
const readerOf = (field: string): Caller => READER[field] ?? RECEPTIONIST;

describe.each(testBackends())('bad input through the gateway on %s', (backend) => {
  let system: ClinicSystem;

  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** Posts a raw body to the gateway, as the receptionist. */
  async function post(body: string, contentType = 'application/json'): Promise<{ status: number; body: GraphQLResponse }> {
    const authorization = await authorizationOf(system, RECEPTIONIST);
    const response = await fetch(system.gateway.url, { method: 'POST', headers: { 'content-type': contentType, authorization }, body });
    return { status: response.status, body: (await response.json()) as GraphQLResponse };
  }

  describe('unknown ids', () => {
    it.each([
      ['patient', `{ patient(id: "p-nobody") { id firstName } }`, /^No patient with id "p-nobody"$/],
      ['employee', `{ employee(id: "e-nobody") { id lastName } }`, /^No employee with id "e-nobody"$/],
      ['invoice', `{ invoice(id: "i-nobody") { id amount } }`, /^No invoice with id "i-nobody"$/],
    ])('answers an unknown %s id with null data and a NOT_FOUND error at its path', async (field, query, message) => {
      const res = await system.query(query, undefined, readerOf(field));
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ [field]: null });
      const error = expectOneError(res, 'NOT_FOUND', message);
      expect(error.path).toEqual([field]);
    });

    it('still answers the other fields of a request when one id is unknown', async () => {
      const res = await system.query(`{ missing: patient(id: "p-nobody") { id } found: patient(id: "p-caron") { lastName } }`, undefined, RECEPTIONIST);
      expect(res.data).toEqual({ missing: null, found: { lastName: 'Caron' } });
      expect(expectOneError(res, 'NOT_FOUND', /p-nobody/).path).toEqual(['missing']);
    });
  });

  describe('malformed ids', () => {
    it.each([
      ['patient', 'p caron'],
      ['patient', ''],
      ['employee', "e-roy' OR '1'='1"],
      ['invoice', 'i'.repeat(65)],
      ['invoice', 'i-1/../../etc'],
    ])('refuses a malformed %s id %j with BAD_USER_INPUT', async (field, id) => {
      const res = await system.query(`query($id: ID!) { ${field}(id: $id) { id } }`, { id }, readerOf(field));
      expect(res.data).toEqual({ [field]: null });
      expectOneError(res, 'BAD_USER_INPUT', /^id must be 1 to 64 letters, digits, "-" or "_"$/);
    });
  });

  describe('pagination arguments', () => {
    it.each([
      ['patients', 101],
      ['patients', 0],
      ['patients', -1],
      ['employees', 101],
      ['employees', 0],
    ])('refuses %s(first: %i) with BAD_USER_INPUT', async (field, first) => {
      const res = await system.query(`query($first: Int) { ${field}(first: $first) { totalCount } }`, { first }, readerOf(field));
      expectOneError(res, 'BAD_USER_INPUT', /^first must be between 1 and 100$/);
      // patients and employees are nullable since access control (SPEC §13): the refused field is null.
      expect(res.data).toEqual({ [field]: null });
    });

    it.each([
      ['not base64 JSON', 'not-a-cursor'],
      ['a JSON object', cursorOf({ lastName: 'Caron' })],
      ['a query operator', cursorOf([{ $gt: '' }, 'Jean', 'p-caron'])],
      ['the wrong number of values', cursorOf(['Caron'])],
      ['a null value', cursorOf([null, 'Jean', 'p-caron'])],
      ['an oversized string', 'A'.repeat(5000)],
    ])('refuses a forged after cursor (%s) on patients and employees with BAD_USER_INPUT', async (_what, after) => {
      for (const field of ['patients', 'employees']) {
        const res = await system.query(`query($after: String) { ${field}(first: 2, after: $after) { totalCount } }`, { after }, readerOf(field));
        expectOneError(res, 'BAD_USER_INPUT', /^after is not a cursor returned by this API$/);
      }
    });

    it('refuses a search of more than 100 characters or more than five words', async () => {
      const long = await system.query(`query($s: String) { patients(search: $s) { totalCount } }`, { s: 'a'.repeat(101) }, RECEPTIONIST);
      expectOneError(long, 'BAD_USER_INPUT', /^search must be at most 100 characters$/);
      const wordy = await system.query(`query($s: String) { patients(search: $s) { totalCount } }`, { s: 'a b c d e f' }, RECEPTIONIST);
      expectOneError(wordy, 'BAD_USER_INPUT', /^search must have at most 5 words$/);
    });
  });

  describe('days', () => {
    it.each(['tomorrow', '2026-02-30', '2026-13-01', '2026-1-5', '2026-01-05T00:00', '05/01/2026', ''])('refuses appointments(day: %j) with BAD_USER_INPUT', async (day) => {
      const res = await system.query(`query($day: String) { appointments(day: $day) { id } }`, { day }, RECEPTIONIST);
      expectOneError(res, 'BAD_USER_INPUT', /^day must be a calendar date YYYY-MM-DD$/);
      expect(res.data ?? null).toBeNull();
    });

    it('accepts the last day of a leap February', async () => {
      const res = await system.query(`{ appointments(day: "2028-02-29") { id } }`, undefined, RECEPTIONIST);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ appointments: [] });
    });
  });

  describe('requests that are not GraphQL', () => {
    it('answers a syntactically invalid query with a 400 and a parse error', async () => {
      const res = await system.query(`{ patient(id: "p-caron" { id } }`, undefined, RECEPTIONIST);
      expect(res.status).toBe(400);
      expectOneError(res, 'GRAPHQL_PARSE_FAILED', /^Syntax Error: /);
      expect(res.data).toBeUndefined();
    });

    it('answers an unknown field with a 400 and a validation error', async () => {
      const res = await system.query(`{ patient(id: "p-caron") { id socialSecurityNumber } }`, undefined, RECEPTIONIST);
      expect(res.status).toBe(400);
      expectOneError(res, 'GRAPHQL_VALIDATION_FAILED', /^Cannot query field "socialSecurityNumber" on type "Patient"\.$/);
    });

    it('answers a variable of the wrong type with a 400 and BAD_USER_INPUT', async () => {
      const res = await system.query(`query($first: Int) { patients(first: $first) { totalCount } }`, { first: 'ten' }, RECEPTIONIST);
      expect(res.status).toBe(400);
      expectOneError(res, 'BAD_USER_INPUT', /^Variable "\$first" got invalid value "ten"/);
    });

    it('answers a body that is not JSON, or has no query, with a 400, never a 500', async () => {
      const broken = await post('{"query": ');
      expect(broken.status).toBe(400);
      expect(broken.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
      const empty = await post(JSON.stringify({ variables: {} }));
      expect(empty.status).toBe(400);
      expect(empty.body.errors?.[0]?.message).toMatch(/query/i);
      const notAString = await post(JSON.stringify({ query: 42 }));
      expect(notAString.status).toBe(400);
    });
  });

  it('never quotes personal values of the clinic in error messages', async () => {
    expect(personalValuesOfDemoClinic()).toEqual(expect.arrayContaining(['Caron', 'CARJ62072118', 'jean.caron@example.org', '046 454 286']));
    const today = clinicToday();
    const failures: GraphQLResponse[] = await Promise.all([
      system.query(`{ patient(id: "p-nobody") { id } }`, undefined, RECEPTIONIST),
      system.query(`{ patient(id: "p caron") { id } }`, undefined, RECEPTIONIST),
      system.query(`{ employee(id: "e-nobody") { id } }`, undefined, RECEPTIONIST),
      system.query(`{ invoice(id: "i-nobody") { id } }`, undefined, BILLING_AGENT),
      system.query(`{ patients(first: 500) { totalCount } }`, undefined, RECEPTIONIST),
      system.query(`query($s: String) { patients(search: $s) { totalCount } }`, { s: 'Jean Caron CARJ62072118 514-555-2002 jean.caron@example.org McGill' }, RECEPTIONIST),
      system.query(`{ patients(first: 2, after: "forged") { totalCount } }`, undefined, RECEPTIONIST),
      system.query(`{ appointments(day: "yesterday") { id } }`, undefined, RECEPTIONIST),
      system.query(`{ patient(id: "p-caron") { lastName sin } }`, undefined, RECEPTIONIST),
      system.query(`mutation { bookAppointment(input: { patientId: "p-caron", practitionerId: "e-nguyen", startsAt: "2020-01-01T10:00:00-05:00" }) { id } }`, undefined, RECEPTIONIST),
      system.query(`mutation { bookAppointment(input: { patientId: "p-lefebvre", practitionerId: "e-tremblay", startsAt: "${addDays(today, 60)}T10:00:00" }) { id } }`, undefined, RECEPTIONIST),
      system.query(`mutation($r: String) { bookAppointment(input: { patientId: "p-lefebvre", practitionerId: "e-tremblay", startsAt: "${addDays(today, 60)}T10:00:00Z", reason: $r }) { id } }`, { r: 'x'.repeat(300) }, RECEPTIONIST),
      system.query(`mutation { cancelAppointment(id: "a-nobody") { id } }`, undefined, RECEPTIONIST),
    ]);
    // A double booking names an existing appointment of a real patient and practitioner.
    const a2 = await system.query<{ appointments: { startsAt: string }[] }>(`{ appointments(day: "${addDays(today, 1)}") { startsAt } }`, undefined, RECEPTIONIST);
    const startsAt = a2.data?.appointments[0]?.startsAt;
    expect(startsAt).toBeDefined();
    failures.push(await system.query(`mutation($at: String!) { bookAppointment(input: { patientId: "p-caron", practitionerId: "e-tremblay", startsAt: $at }) { id } }`, { at: startsAt }, RECEPTIONIST));

    const messages = failures.flatMap((res) => res.errors?.map((e) => e.message) ?? []);
    expect(messages).toHaveLength(failures.length);
    expect(failures.every((res) => res.errors?.[0]?.extensions?.code !== 'INTERNAL_SERVER_ERROR')).toBe(true);
    expect(messages.filter((m) => personalValuesIn(m).length > 0)).toEqual([]);
  });
});
