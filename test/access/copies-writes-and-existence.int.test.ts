import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDecision } from '../support/access-cases.js';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem, type GraphQLResponse } from '../support/clinic-system.js';

const CREATE = 'mutation Create($input: AccessRestrictionInput!) { createAccessRestriction(input: $input) { id } }';
const LIFT = 'mutation Lift($id: ID!) { liftAccessRestriction(id: $id) { id lifted } }';
const AUDIT = 'query Audit($patientId: ID) { auditLog(patientId: $patientId, first: 100) { actorId patientId fields decision reason operationName } }';
const privacyOfficer = { as: 'privacy.fortin' };

type AuditRow = { actorId: string; patientId: string; fields: string[]; decision: string; reason: string | null; operationName: string | null };

/** A response with the id it names taken out, to compare the answer for two ids. */
/** The response with the record id masked, and the request's own id (every error carries it: one per request, about no record). */
const withoutId = (res: GraphQLResponse<unknown>, id: string) =>
  JSON.stringify(res).replaceAll(id, '<id>').replace(/"requestId":"[0-9a-f-]{36}"/g, '"requestId":"<request>"');

describe.each(testBackends())('the same information, writes and existence on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const auditOf = async (patientId: string) => (await system.query<{ auditLog: AuditRow[] }>(AUDIT, { patientId }, privacyOfficer)).data?.auditLog ?? [];

  it("refuses an invoice's diagnosis code to a reader restricted from the patient's diagnoses, on every path to it", async () => {
    const viaInvoice = () => system.query('{ invoice(id: "i-2") { amount diagnosisCode } }', undefined, { as: 'billing.cote' });
    const viaPatient = () => system.query('{ patient(id: "p-caron") { invoices { amount diagnosisCode } } }', undefined, { as: 'billing.cote' });
    expectDecision(await viaInvoice(), ['invoice', 'diagnosisCode'], 'allow');
    const created = await system.query<{ createAccessRestriction: { id: string } }>(
      CREATE,
      { input: { patientId: 'p-caron', role: 'BILLING_AGENT', fields: ['Patient.diagnoses'], reason: 'The patient asked that billing not see diagnoses.' } },
      privacyOfficer,
    );
    expect(created.errors).toBeUndefined();
    const direct = await viaInvoice();
    expectDecision(direct, ['invoice', 'diagnosisCode'], 'RESTRICTED');
    expect(direct.data).toMatchObject({ invoice: { amount: 45 } });
    expect(JSON.stringify(direct)).not.toContain('E11.9');
    const nested = await viaPatient();
    expect(JSON.stringify(nested)).not.toContain('E11.9');
    expect(nested.errors?.filter((e) => e.path?.at(-1) === 'diagnosisCode').map((e) => e.extensions?.reason)).toEqual(['RESTRICTED', 'RESTRICTED']);
    await system.query(LIFT, { id: created.data?.createAccessRestriction.id }, privacyOfficer);
    expectDecision(await viaInvoice(), ['invoice', 'diagnosisCode'], 'allow');
  });

  it('logs lifting a restriction under its patient, before it runs, like creating one', async () => {
    const created = await system.query<{ createAccessRestriction: { id: string } }>(
      CREATE,
      { input: { patientId: 'p-bergeron', employeeId: 'e-roy', fields: ['Patient.phone'], reason: 'Asked at the desk.' } },
      privacyOfficer,
    );
    const lifted = await system.query(LIFT, { id: created.data?.createAccessRestriction.id }, privacyOfficer);
    expect(lifted.errors).toBeUndefined();
    const events = await auditOf('p-bergeron');
    expect(events.filter((e) => e.actorId === 'e-fortin' && e.fields.includes('Mutation.liftAccessRestriction'))).toEqual([
      expect.objectContaining({ patientId: 'p-bergeron', decision: 'ALLOW', operationName: 'Lift' }),
    ]);
    expect(events.some((e) => e.fields.includes('Mutation.createAccessRestriction'))).toBe(true);
  });

  it("answers another patient's invoice exactly like an invoice that does not exist, and logs the attempt", async () => {
    const other = await system.query('{ invoice(id: "i-1") { __typename } }', undefined, { as: 'patient.caron' });
    const missing = await system.query('{ invoice(id: "i-none") { __typename } }', undefined, { as: 'patient.caron' });
    expect(other.status).toBe(missing.status);
    expect(other.data).toEqual({ invoice: null });
    expect(withoutId(other, 'i-1')).toBe(withoutId(missing, 'i-none'));
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // Their own invoice is served.
    expect((await system.query('{ invoice(id: "i-2") { __typename amount } }', undefined, { as: 'patient.caron' })).data).toEqual({ invoice: { __typename: 'Invoice', amount: 45 } });
    const attempts = (await auditOf('p-lefebvre')).filter((e) => e.actorId === 'p-caron');
    expect(attempts).toEqual([expect.objectContaining({ decision: 'DENY', reason: 'ROLE', fields: ['Query.invoice'] })]);
  });
});
