import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoClinic } from '@clinic/schema';
import { Patient } from '../../services/patient/src/entities.js';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type Caller, type ClinicSystem } from '../support/clinic-system.js';

/**
 * Values computed from protected information are protected like it (issue 12, item 1): a listing's
 * cursors, its order, its search matches and its count are made of the patients' names.
 */
const RECEPTIONIST: Caller = { as: 'reception.roy' };
const ACCOUNTANT: Caller = { as: 'accounting.morin' };
const PRIVACY_OFFICER: Caller = { as: 'privacy.fortin' };

/** A patient whose id sorts first and whose name sorts last: the two orders tell apart. */
const ZED = { id: 'p-aaron', firstName: 'Zoltan', lastName: 'Zylberstein' };

interface Page {
  totalCount?: number;
  edges?: { cursor: string; node?: { id: string } }[];
  nodes?: { id: string; lastName?: string | null }[];
  pageInfo?: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean };
}

const clinic = loadDemoClinic();
const NAMES = [...clinic.patients.flatMap((p) => [p.firstName, p.lastName, p.id]), ZED.firstName, ZED.lastName, ZED.id];

/** Every text a cursor could hide a name in: as sent, and decoded from base64 / base64url. */
const readings = (cursor: string) => [cursor, Buffer.from(cursor, 'base64').toString('latin1'), Buffer.from(cursor, 'base64url').toString('latin1')];

describe.each(testBackends())('values derived from patients\' names on %s', (backend) => {
  let system: ClinicSystem;
  beforeAll(async () => {
    system = await startClinicSystem({ backend, gateway: { limits: { requestsPerMinute: 100_000 } } });
    const em = system.subgraphs.patient.db.fork();
    em.create(Patient, { ...ZED, dateOfBirth: '1990-01-01', sex: 'M', phone: null, email: null, address: null, healthInsuranceNumber: null, lastVisitAt: null, appointmentReminders: false, newsletter: false });
    await em.flush();
  });
  afterAll(async () => {
    await system?.stop();
  });

  const list = async (caller: Caller, args: string, selection = 'totalCount edges { cursor node { id } } nodes { id } pageInfo { startCursor endCursor hasNextPage }') => {
    const res = await system.query<{ patients: Page | null }>(`{ patients${args ? `(${args})` : ''} { ${selection} } }`, {}, caller);
    return res;
  };
  const restrict = async (subject: { employeeId?: string; role?: string }, fields: string[]) => {
    const res = await system.query<{ createAccessRestriction: { id: string } }>(
      'mutation($input: AccessRestrictionInput!) { createAccessRestriction(input: $input) { id } }',
      { input: { patientId: ZED.id, ...subject, fields, reason: 'Patient asked (test)' } },
      PRIVACY_OFFICER,
    );
    const id = res.data?.createAccessRestriction.id;
    if (!id) throw new Error(JSON.stringify(res));
    return async () => {
      const lifted = await system.query('mutation($id: ID!) { liftAccessRestriction(id: $id) { lifted } }', { id }, PRIVACY_OFFICER);
      expect(lifted.errors ?? []).toEqual([]);
    };
  };
  /** The instant from which only the next requests' events are read: the clock moves on first, so earlier tests' events stay out. */
  const eventsFromNowOn = async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return new Date().toISOString();
  };
  const auditedFields = async (actorId: string, since: string) => {
    const res = await system.query<{ auditLog: { at: string; patientId: string; fields: string[]; decision: string }[] }>(
      'query($a: ID) { auditLog(actorId: $a, first: 100) { at patientId fields decision } }',
      { a: actorId },
      PRIVACY_OFFICER,
    );
    const byPatient = new Map<string, Set<string>>();
    for (const e of res.data?.auditLog ?? []) {
      if (e.at < since || e.decision !== 'ALLOW') continue;
      byPatient.set(e.patientId, new Set([...(byPatient.get(e.patientId) ?? []), ...e.fields]));
    }
    return byPatient;
  };

  describe('cursors', () => {
    it.each([['a receptionist', RECEPTIONIST], ['an accountant', ACCOUNTANT]])('the cursors %s gets reveal no name and no id, even decoded', async (_who, caller) => {
      const res = await list(caller, 'first: 10');
      const page = res.data?.patients;
      const cursors = [...(page?.edges ?? []).map((e) => e.cursor), page?.pageInfo?.startCursor, page?.pageInfo?.endCursor].filter((c): c is string => !!c);
      expect(cursors.length).toBeGreaterThan(2);
      for (const cursor of cursors) for (const text of readings(cursor)) for (const name of NAMES) expect(text.toLowerCase()).not.toContain(name.toLowerCase());
    });

    it('one row\'s cursor differs from one reader to another (a cursor is no shared fingerprint of a row)', async () => {
      const a = await list(RECEPTIONIST, 'first: 1', 'edges { cursor node { id } }');
      const b = await list({ as: 'billing.cote' }, 'first: 1', 'edges { cursor node { id } }');
      expect(a.data?.patients?.edges?.[0]?.node).toEqual(b.data?.patients?.edges?.[0]?.node);
      expect(a.data?.patients?.edges?.[0]?.cursor).not.toBe(b.data?.patients?.edges?.[0]?.cursor);
    });

    it('a sealed cursor pages on; a forged one (names in base64, as before) or another reader\'s is refused as bad input', async () => {
      const first = await list(RECEPTIONIST, 'first: 2');
      const after = first.data?.patients?.pageInfo?.endCursor;
      const next = await list(RECEPTIONIST, `first: 2, after: "${after}"`);
      const all = await list(RECEPTIONIST, 'first: 4');
      expect(next.data?.patients?.nodes).toEqual(all.data?.patients?.nodes?.slice(2, 4));
      const forged = Buffer.from(JSON.stringify(['Bergeron', 'Anne', 'p-bergeron'])).toString('base64url');
      for (const [caller, cursor] of [[RECEPTIONIST, forged], [ACCOUNTANT, after], [RECEPTIONIST, `${after}x`]] as const) {
        const res = await list(caller, `first: 2, after: "${cursor}"`);
        expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(res.data?.patients ?? null).toBeNull();
      }
    });
  });

  describe('a reader who may not read names (the accountant)', () => {
    it('gets the rows by id, not by name', async () => {
      const ids = (await list(ACCOUNTANT, 'first: 100')).data?.patients?.nodes?.map((n) => n.id) ?? [];
      expect(ids[0]).toBe(ZED.id);
      expect(ids).toEqual([...ids].sort());
      const byName = (await list(RECEPTIONIST, 'first: 100')).data?.patients?.nodes?.map((n) => n.id) ?? [];
      expect(byName.at(-1)).toBe(ZED.id);
    });

    it('pages on by id with its own cursors', async () => {
      const first = await list(ACCOUNTANT, 'first: 2');
      const next = await list(ACCOUNTANT, `first: 2, after: "${first.data?.patients?.pageInfo?.endCursor}"`);
      const all = (await list(ACCOUNTANT, 'first: 4')).data?.patients?.nodes;
      expect(next.data?.patients?.nodes).toEqual(all?.slice(2, 4));
    });

    it.each(['zylberstein', 'car', 'nobody-has-this-name'])('cannot search by name (%s): refused alike, no count, no ids', async (search) => {
      const res = await list(ACCOUNTANT, `search: "${search}"`);
      expect(res.data?.patients ?? null).toBeNull();
      expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.reason])).toEqual([['FORBIDDEN', 'ROLE']]);
      expect(res.errors?.[0]?.message).not.toMatch(new RegExp(search, 'i'));
    });
  });

  describe.each([
    ['the reader\'s role', { role: 'RECEPTIONIST' }],
    ['the reader by name', { employeeId: 'e-roy' }],
  ])('a restriction on a name, naming %s', (_name, subject) => {
    it.each([['Patient.lastName'], ['Patient.firstName']])('on %s: no search matches it, the count leaves it out, the order is by id; lifted, all come back', async (field) => {
      const nobody = await list(RECEPTIONIST, 'search: "qqqqqq"', 'totalCount nodes { id }');
      expect(nobody.data?.patients).toEqual({ totalCount: 0, nodes: [] });
      const searches = ['zylberstein', 'zoltan', 'zylberstein zoltan', 'zyl'];
      for (const search of searches) expect((await list(RECEPTIONIST, `search: "${search}"`, 'totalCount nodes { id }')).data?.patients?.totalCount, search).toBe(1);

      const lift = await restrict(subject, [field]);
      try {
        for (const search of searches) {
          const res = await list(RECEPTIONIST, `search: "${search}"`, 'totalCount nodes { id } edges { cursor }');
          // Exactly what a name nobody has answers: nothing tells the reader the patient exists.
          expect(res.data?.patients, search).toEqual({ totalCount: 0, nodes: [], edges: [] });
          expect(res.errors ?? []).toEqual([]);
        }
        const ids = (await list(RECEPTIONIST, 'first: 100')).data?.patients?.nodes?.map((n) => n.id) ?? [];
        expect(ids[0]).toBe(ZED.id);
        expect(ids).toEqual([...ids].sort());
        // Other readers are not affected.
        expect((await list({ as: 'billing.cote' }, 'search: "zylberstein"', 'totalCount')).data?.patients?.totalCount).toBe(1);
      } finally {
        await lift();
      }
      expect((await list(RECEPTIONIST, 'search: "zylberstein"', 'totalCount')).data?.patients?.totalCount).toBe(1);
      expect((await list(RECEPTIONIST, 'first: 100')).data?.patients?.nodes?.at(-1)?.id).toBe(ZED.id);
    });
  });

  describe('audit', () => {
    it('a cursor-only listing is audited as a read of the names and ids its order and cursors come from', async () => {
      const since = await eventsFromNowOn();
      const res = await list(RECEPTIONIST, 'first: 3', 'edges { cursor }');
      expect(res.data?.patients?.edges).toHaveLength(3);
      const audited = await auditedFields('e-roy', since);
      const listed = (await list(RECEPTIONIST, 'first: 3', 'nodes { id }')).data?.patients?.nodes?.map((n) => n.id) ?? [];
      for (const id of listed) expect([...(audited.get(id) ?? [])].sort(), id).toEqual(['Patient.firstName', 'Patient.id', 'Patient.lastName']);
    });

    it('every listed row is audited whether its nodes ask for ids, for other fields only, or may be left out', async () => {
      const listed = (await list(RECEPTIONIST, 'first: 3', 'nodes { id }')).data?.patients?.nodes?.map((n) => n.id) ?? [];
      expect(listed).toHaveLength(3);
      for (const selection of ['nodes { id lastName }', 'nodes { phone }', 'totalCount nodes @include(if: false) { id }', 'rows: nodes { phone }']) {
        const since = await eventsFromNowOn();
        const res = await list(RECEPTIONIST, 'first: 3', selection);
        expect(res.errors, selection).toBeUndefined();
        const audited = await auditedFields('e-roy', since);
        for (const id of listed) expect([...(audited.get(id) ?? [])], `${selection}: ${id}`).toEqual(expect.arrayContaining(['Patient.firstName', 'Patient.id', 'Patient.lastName']));
      }
    });

    it('a count-only listing of a reader who reads ids only is audited as a read of the ids', async () => {
      const since = await eventsFromNowOn();
      const res = await list(ACCOUNTANT, 'first: 2', 'totalCount');
      expect(res.data?.patients?.totalCount).toBe(clinic.patients.length + 1);
      const audited = await auditedFields('e-morin', since);
      expect([...audited.values()].map((fields) => [...fields])).toEqual([['Patient.id'], ['Patient.id']]);
    });
  });
});
