import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectDecision } from '../support/access-cases.js';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';

const CREATE = 'mutation Create($input: AccessRestrictionInput!) { createAccessRestriction(input: $input) { id } }';
const LIFT = 'mutation Lift($id: ID!) { liftAccessRestriction(id: $id) { id } }';
/** The gateway's clock runs behind the subgraphs' (two machines, one not synchronised). */
const GATEWAY_BEHIND_MS = 3 * 60_000;

describe.each(testBackends())('one time per request, the gateway\'s, on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend, clock: () => new Date(Date.now() - GATEWAY_BEHIND_MS) });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const bouchardReadsCaron = () => system.query('{ patient(id: "p-caron") { medications { name } } }', undefined, { as: 'nurse.bouchard' });

  it('a restriction is stamped with the gateway\'s request time, so it holds on the next request and lifting it restores access at once', async () => {
    expectDecision(await bouchardReadsCaron(), ['patient', 'medications'], 'allow');
    const created = await system.query<{ createAccessRestriction: { id: string } }>(
      CREATE,
      { input: { patientId: 'p-caron', employeeId: 'e-bouchard', fields: ['Patient.medications'], reason: 'Patient asked at the desk.' } },
      { as: 'privacy.fortin' },
    );
    expectDecision(await bouchardReadsCaron(), ['patient', 'medications'], 'RESTRICTED');
    await system.query(LIFT, { id: created.data?.createAccessRestriction.id }, { as: 'privacy.fortin' });
    expectDecision(await bouchardReadsCaron(), ['patient', 'medications'], 'allow');
  });
});
