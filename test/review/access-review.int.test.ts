import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessReviewSignOffs } from '../../gateway/src/access-review/sign-offs.js';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { clinicDay } from '../support/clinic-time.js';
import { queryOk } from '../support/query-ok.js';

// Issue 15, the yearly access review, on the gateway's injected clock. What the review must list is
// computed here from the demo fixture file itself (so that rows another change adds to the fixture
// are expected too), and the emergency accesses and refusals are the ones this test makes, inside a
// period that begins after the seed (past audit events of the seed fall outside it).

interface Fixture {
  employees: { id: string; role: string; hireDayOffset: number; terminationDayOffset: number | null }[];
  careAssignments: { employeeId: string; patientId: string; fromDayOffset: number; toDayOffset: number | null; renewedDayOffset?: number }[];
  referrals: { consultantId: string; patientId: string; fromDayOffset: number; toDayOffset: number | null }[];
  appointments: { id: string; patientId: string; practitionerId: string; dayOffset: number; status?: string }[];
  accessRestrictions: { id: string; patientId: string; subject: { employeeId?: string; role?: string }; fields: string[]; fromDayOffset: number; toDayOffset: number | null }[];
}
const fixture = JSON.parse(readFileSync(new URL('../../schema/fixtures/demo-clinic.json', import.meta.url), 'utf8')) as Fixture;

const DAY = 86_400_000;
const MINUTE = 60_000;
/** The default lifetime of an unrenewed care assignment (CARE_ASSIGNMENT_LIFETIME_DAYS). */
const LIFETIME_DAYS = 365;
const JUSTIFICATION = 'Patient collapsed in the waiting room, allergies needed now.';

const REVIEW = `query($asOf: String, $since: String, $e: ID) { accessReview(asOf: $asOf, since: $since, employeeId: $e) {
  employeeId role hireDate terminationDate employed lastActivityAt overdue lastReviewedAt
  twoFactor { daysWithMfa daysWithoutMfa lastDayWithMfa lastDayWithoutMfa }
  duties { kind patientId since until ageDays detail }
  restrictions { id patientId fields namedBy from to }
  emergencyAccesses { id patientId openedAt expiresAt justification }
  refusals { eventId at reason fields patientIds }
  lastSignOff { id decision reviewerId at }
} }`;
const OVERDUE = 'query($asOf: String) { overdueAccessReviews(asOf: $asOf) { employeeId role employed terminationDate lastReviewedAt } }';
const SIGN_OFF = 'mutation($e: ID!, $d: AccessReviewDecision!, $n: String!) { signOffAccessReview(employeeId: $e, decision: $d, note: $n) { id employeeId role decision note reviewerId at } }';
const SIGN_OFFS = 'query($e: ID!) { accessReviewSignOffs(employeeId: $e) { id employeeId decision note reviewerId at } }';
const AUDIT = 'query($a: ID) { auditLog(actorId: $a, first: 100) { id at actorId patientId fields decision filters } }';

interface Review {
  employeeId: string;
  role: string;
  employed: boolean;
  lastActivityAt: string | null;
  overdue: boolean;
  lastReviewedAt: string | null;
  twoFactor: { daysWithMfa: number; daysWithoutMfa: number; lastDayWithMfa: string | null; lastDayWithoutMfa: string | null };
  duties: { kind: string; patientId: string; since: string; until: string | null; ageDays: number; detail: string }[];
  restrictions: { id: string; patientId: string; fields: string[]; namedBy: string; from: string; to: string | null }[];
  emergencyAccesses: { id: string; patientId: string; openedAt: string; expiresAt: string; justification: string }[];
  refusals: { eventId: string; at: string; reason: string | null; fields: string[]; patientIds: string[] }[];
  lastSignOff: { id: string; decision: string; reviewerId: string; at: string } | null;
}

/** Open at the seed's day offset 0 (plus a few minutes): begun, not ended, not lapsed. */
const openNow = (from: number, to: number | null) => from <= 0 && (to === null || to > 0);

/** What the fixture makes of an employee's duties (subgraph-kept ones) and restrictions at the review's instant. */
function expectedFromFixture(employeeId: string, role: string, appointmentDayOffset: number) {
  const duties = [
    ...fixture.careAssignments
      .filter((c) => c.employeeId === employeeId && openNow(c.fromDayOffset, c.toDayOffset) && -(c.renewedDayOffset ?? c.fromDayOffset) < LIFETIME_DAYS)
      .map((c) => ({ kind: 'CARE_ASSIGNMENT', patientId: c.patientId, fromDayOffset: c.fromDayOffset })),
    ...fixture.referrals
      .filter((r) => r.consultantId === employeeId && openNow(r.fromDayOffset, r.toDayOffset))
      .map((r) => ({ kind: 'ACTIVE_REFERRAL', patientId: r.patientId, fromDayOffset: r.fromDayOffset })),
    ...fixture.appointments
      .filter((a) => a.practitionerId === employeeId && a.dayOffset === appointmentDayOffset && (a.status ?? 'BOOKED') === 'BOOKED')
      .map((a) => ({ kind: 'APPOINTMENT_TODAY', patientId: a.patientId, fromDayOffset: a.dayOffset })),
  ];
  const restrictions = fixture.accessRestrictions
    .filter((r) => openNow(r.fromDayOffset, r.toDayOffset) && (r.subject.employeeId === employeeId || r.subject.role === role))
    .map((r) => ({ id: r.id, patientId: r.patientId, fields: r.fields, namedBy: r.subject.employeeId === employeeId ? 'EMPLOYEE' : 'ROLE' }));
  return { duties, restrictions };
}

const byKindAndPatient = (a: { kind: string; patientId: string }, b: { kind: string; patientId: string }) => `${a.kind} ${a.patientId}`.localeCompare(`${b.kind} ${b.patientId}`);

describe.each(testBackends())('the yearly access review on %s', (backend) => {
  let system: ClinicSystem;
  const seededAt = new Date();
  let now = seededAt;
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
    return now;
  };
  /** The test's period: it begins after the seed, so only what this test does falls in it. */
  let periodStart: Date;
  let asOf: Date;
  let emergencyAccessId = '';
  let bouchardLastRead = '';
  const refusalTimes: string[] = [];

  const ok = <T>(query: string, variables: Record<string, unknown>, as: string, mfa = false) => queryOk<T>(system, query, { as, mfa }, variables);
  const review = async (variables: Record<string, unknown> = {}) => (await ok<{ accessReview: Review[] }>(REVIEW, variables, 'privacy.fortin')).accessReview;

  beforeAll(async () => {
    system = await startClinicSystem({ backend, now: seededAt, clock: () => now });
    periodStart = advance(MINUTE);
    advance(MINUTE);
    // A nurse breaks the glass toward a patient she has no duty toward, then reads under it (with two-factor authentication).
    emergencyAccessId = (await ok<{ openEmergencyAccess: { id: string } }>('mutation($p: ID!, $j: String!) { openEmergencyAccess(patientId: $p, justification: $j) { id } }', { p: 'p-dion', j: JUSTIFICATION }, 'nurse.bouchard', true)).openEmergencyAccess.id;
    advance(MINUTE);
    await ok('query { patient(id: "p-dion") { allergies } }', {}, 'nurse.bouchard', true);
    // Two refusals: her reading a record she has no duty toward (without two-factor), the front desk a restricted field.
    advance(MINUTE);
    refusalTimes.push(now.toISOString());
    const noDuty = await system.query('query { patient(id: "p-lefebvre") { diagnoses { code } } }', {}, { as: 'nurse.bouchard' });
    expect(noDuty.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NO_DUTY' });
    bouchardLastRead = now.toISOString();
    advance(MINUTE);
    refusalTimes.push(now.toISOString());
    const restricted = await system.query('query { patient(id: "p-caron") { address } }', {}, { as: 'reception.roy' });
    expect(restricted.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'RESTRICTED' });
    asOf = advance(MINUTE);
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
  });

  it('lists every employee under review with exactly the duties and restrictions of the fixture, and exactly the emergency accesses and refusals of the period', async () => {
    const rows = await review({ asOf: asOf.toISOString(), since: periodStart.toISOString() });
    // Everyone hired by today: employed, and former employees whose access nobody has confirmed revoked.
    expect(rows.map((r) => r.employeeId).sort()).toEqual(fixture.employees.filter((e) => e.hireDayOffset <= 0).map((e) => e.id).sort());
    const appointmentDayOffset = Math.round((Date.parse(clinicDay(asOf)) - Date.parse(clinicDay(seededAt))) / DAY);
    for (const employee of fixture.employees) {
      const row = rows.find((r) => r.employeeId === employee.id);
      expect(row?.role, employee.id).toBe(employee.role);
      expect(row?.employed, employee.id).toBe(employee.terminationDayOffset === null || employee.terminationDayOffset > 0);
      const want = expectedFromFixture(employee.id, employee.role, appointmentDayOffset);
      const emergency = employee.id === 'e-bouchard' ? [{ kind: 'EMERGENCY_ACCESS', patientId: 'p-dion' }] : [];
      expect(row?.duties.map((d) => ({ kind: d.kind, patientId: d.patientId })).sort(byKindAndPatient), employee.id).toEqual(
        [...want.duties.map((d) => ({ kind: d.kind, patientId: d.patientId })), ...emergency].sort(byKindAndPatient),
      );
      // Each duty's age is the days since it began (a day more or less where a daylight-saving change lies between).
      for (const d of want.duties.filter((x) => x.kind !== 'APPOINTMENT_TODAY')) {
        const got = row?.duties.find((x) => x.kind === d.kind && x.patientId === d.patientId);
        expect(Math.abs((got?.ageDays ?? -99) + d.fromDayOffset), `${employee.id} ${d.kind} ${d.patientId}`).toBeLessThanOrEqual(1);
        expect(Math.abs(Date.parse(got?.since ?? '') - (seededAt.getTime() + d.fromDayOffset * DAY))).toBeLessThanOrEqual(3_600_000);
      }
      expect(row?.restrictions.map(({ id, patientId, fields, namedBy }) => ({ id, patientId, fields, namedBy })).sort((a, b) => a.id.localeCompare(b.id)), employee.id).toEqual(
        want.restrictions.sort((a, b) => a.id.localeCompare(b.id)),
      );
      // Nobody but these two did anything refused, nobody but the nurse broke the glass, in the period.
      const refusals = row?.refusals.map((r) => `${r.at} ${r.reason} ${r.fields.join(',')} ${r.patientIds.join(',')}`);
      if (employee.id === 'e-bouchard') expect(refusals).toEqual([`${refusalTimes[0]} NO_DUTY Patient.diagnoses p-lefebvre`]);
      else if (employee.id === 'e-roy') expect(refusals).toEqual([`${refusalTimes[1]} RESTRICTED Patient.address p-caron`]);
      else expect(refusals, employee.id).toEqual([]);
      expect(row?.emergencyAccesses.map((a) => `${a.id} ${a.patientId} ${a.justification}`), employee.id).toEqual(employee.id === 'e-bouchard' ? [`${emergencyAccessId} p-dion ${JUSTIFICATION}`] : []);
    }
    const bouchard = rows.find((r) => r.employeeId === 'e-bouchard');
    expect(bouchard?.lastActivityAt).toBe(bouchardLastRead);
    expect(bouchard?.emergencyAccesses[0]?.expiresAt).toBe(new Date(Date.parse(bouchard?.emergencyAccesses[0]?.openedAt ?? '') + 60 * MINUTE).toISOString());
    // Her requests of the period carried two-factor authentication on one day and not on one day: today, both.
    expect(bouchard?.twoFactor).toEqual({ daysWithMfa: 1, daysWithoutMfa: 1, lastDayWithMfa: clinicDay(asOf), lastDayWithoutMfa: clinicDay(asOf) });
    expect(rows.find((r) => r.employeeId === 'e-gagnon')?.twoFactor).toEqual({ daysWithMfa: 0, daysWithoutMfa: 0, lastDayWithMfa: null, lastDayWithoutMfa: null });
  });

  it('asks for every employee\'s facts in a fixed number of look-ups: the same for the whole staff as for one employee', async () => {
    const count = async (variables: Record<string, unknown>) => {
      const policyBefore = system.policyRequests();
      const sqlBefore = system.sqlStatements();
      const auditBefore = system.gateway.auditStore.db.statements.total;
      await review(variables);
      const policyAfter = system.policyRequests();
      const sqlAfter = system.sqlStatements();
      return {
        patient: policyAfter.patient - policyBefore.patient,
        employee: policyAfter.employee - policyBefore.employee,
        patientSql: sqlAfter.patient - sqlBefore.patient,
        employeeSql: sqlAfter.employee - sqlBefore.employee,
        audit: system.gateway.auditStore.db.statements.total - auditBefore,
      };
    };
    const period = { asOf: asOf.toISOString(), since: periodStart.toISOString() };
    await count(period); // the reviewer's sign-in of the day is noted once
    const everyone = await count(period);
    const one = await count({ ...period, e: 'e-bouchard' });
    expect(everyone.patient).toBe(1);
    // Every employee's duties and restrictions: four statements in the patient subgraph, whatever the number of employees.
    expect(everyone.patientSql).toBe(4);
    expect(everyone).toEqual(one);
  });

  it('records the review under each patient it names, in one event; readableBy in one event under the patients it lists', async () => {
    const rows = await review({ asOf: asOf.toISOString(), since: periodStart.toISOString() });
    const readable = await ok<{ readableBy: { patientId: string }[] }>('query($e: ID!) { readableBy(employeeId: $e) { patientId } }', { e: 'e-gagnon' }, 'privacy.fortin');
    const events = (await ok<{ auditLog: { id: string; patientId: string | null; fields: string[]; decision: string; filters: string | null }[] }>(AUDIT, { a: 'e-fortin' }, 'privacy.fortin')).auditLog;
    const named = (field: string) => {
      const rowsOf = events.filter((e) => e.fields.includes(field) && e.patientId !== null);
      return { events: new Set(rowsOf.map((e) => e.id)).size, patients: rowsOf.map((e) => e.patientId).sort() };
    };
    const reviewed = new Set(rows.flatMap((r) => [...r.duties.map((d) => d.patientId), ...r.restrictions.map((x) => x.patientId), ...r.emergencyAccesses.map((a) => a.patientId), ...r.refusals.flatMap((f) => f.patientIds)]));
    expect(named('Query.readableBy')).toEqual({ events: 1, patients: readable.readableBy.map((p) => p.patientId).sort() });
    // The question itself, naming the employee asked about and no patient.
    const asked = events.filter((e) => e.fields.includes('Query.readableBy') && e.patientId === null);
    expect(asked.map((e) => JSON.parse(e.filters ?? 'null') as unknown)).toEqual([{ employeeId: 'e-gagnon' }]);
    // The first review of this test file was recorded too: the latest is one event naming exactly the patients it named.
    const latestReview = events.find((e) => e.fields.includes('Query.accessReview'));
    expect(events.filter((e) => e.id === latestReview?.id).map((e) => e.patientId).sort()).toEqual([...reviewed].sort());
  });

  it('records sign-offs in a register, lists them, and no longer counts a signed-off employee overdue; a former employee leaves the review once revoked', async () => {
    const overdueBefore = (await ok<{ overdueAccessReviews: { employeeId: string }[] }>(OVERDUE, {}, 'privacy.fortin')).overdueAccessReviews.map((o) => o.employeeId);
    // Never signed off: every employee under review is overdue.
    expect(overdueBefore.sort()).toEqual(fixture.employees.filter((e) => e.hireDayOffset <= 0).map((e) => e.id).sort());
    const signedAt = advance(MINUTE);
    const signed = (await ok<{ signOffAccessReview: { id: string; employeeId: string; role: string; decision: string; reviewerId: string; at: string } }>(SIGN_OFF, { e: 'e-gagnon', d: 'KEEP', n: 'Duties match her assignments; restriction r-1 honoured.' }, 'privacy.fortin')).signOffAccessReview;
    expect(signed).toMatchObject({ employeeId: 'e-gagnon', role: 'NURSE', decision: 'KEEP', reviewerId: 'e-fortin', at: signedAt.toISOString() });
    const list = (await ok<{ accessReviewSignOffs: { id: string; note: string }[] }>(SIGN_OFFS, { e: 'e-gagnon' }, 'privacy.fortin')).accessReviewSignOffs;
    expect(list.map((s) => s.id)).toEqual([signed.id]);
    const overdue = (await ok<{ overdueAccessReviews: { employeeId: string }[] }>(OVERDUE, {}, 'privacy.fortin')).overdueAccessReviews.map((o) => o.employeeId);
    expect(overdue).not.toContain('e-gagnon');
    expect(overdue).toContain('e-bouchard');
    const gagnon = (await review({ e: 'e-gagnon' }))[0];
    expect(gagnon).toMatchObject({ overdue: false, lastReviewedAt: signedAt.toISOString(), lastSignOff: { id: signed.id, decision: 'KEEP', reviewerId: 'e-fortin' } });
    // A review as of before the sign-off does not see it.
    expect((await review({ e: 'e-gagnon', asOf: asOf.toISOString() }))[0]?.overdue).toBe(true);

    // A former employee (employment ended 400 days ago) is reviewed until their access is confirmed revoked.
    const leblanc = (await review({ e: 'e-leblanc' }))[0];
    expect(leblanc).toMatchObject({ employed: false, overdue: true });
    await ok(SIGN_OFF, { e: 'e-leblanc', d: 'REVOKE', n: 'Left the clinic; account and assignments removed.' }, 'privacy.fortin');
    expect(await review({ e: 'e-leblanc' })).toEqual([]);
    expect((await ok<{ overdueAccessReviews: { employeeId: string }[] }>(OVERDUE, {}, 'privacy.fortin')).overdueAccessReviews.map((o) => o.employeeId)).not.toContain('e-leblanc');

    // Twelve months later the sign-off is a year old: overdue again.
    advance(366 * DAY);
    const later = (await ok<{ overdueAccessReviews: { employeeId: string; lastReviewedAt: string | null }[] }>(OVERDUE, {}, 'privacy.fortin')).overdueAccessReviews;
    expect(later.find((o) => o.employeeId === 'e-gagnon')?.lastReviewedAt).toBe(signedAt.toISOString());
    expect(later.find((o) => o.employeeId === 'e-bouchard')?.lastReviewedAt).toBeNull();
  });

  it('refuses bad sign-offs and bad instants with a clear 4xx', async () => {
    const bad = async (query: string, variables: Record<string, unknown>, field: string) => {
      const res = await system.query(query, variables, { as: 'privacy.fortin' });
      expect(res.errors?.[0]?.extensions, JSON.stringify(res.errors)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    };
    await bad(SIGN_OFF, { e: 'e-nobody', d: 'KEEP', n: 'x' }, 'employeeId');
    await bad(SIGN_OFF, { e: 'e-gagnon', d: 'KEEP', n: '   ' }, 'note');
    await bad(SIGN_OFF, { e: 'e-gagnon', d: 'KEEP', n: 'x'.repeat(2001) }, 'note');
    await bad(SIGN_OFF, { e: 'e-fortin', d: 'KEEP', n: 'My own access is fine.' }, 'employeeId');
    await bad(REVIEW, { asOf: 'yesterday' }, 'asOf');
    await bad(REVIEW, { asOf: '2026-02-30' }, 'asOf');
    await bad(REVIEW, { asOf: clinicDay(new Date(now.getTime() + 2 * DAY)) }, 'asOf');
    await bad(REVIEW, { asOf: new Date(now.getTime() + DAY).toISOString() }, 'asOf');
    await bad(REVIEW, { asOf: asOf.toISOString(), since: now.toISOString() }, 'since');
    await bad(SIGN_OFFS, { e: 'e nobody' }, 'employeeId');
    // A day stands for its end (today: now) as asOf, for its start as since.
    expect(await review({ asOf: clinicDay(now), since: clinicDay(now), e: 'e-gagnon' })).toEqual(await review({ e: 'e-gagnon', since: now.toISOString() }));
    const wrongDecision = await system.query(SIGN_OFF, { e: 'e-gagnon', d: 'MAYBE', n: 'x' }, { as: 'privacy.fortin' });
    expect(wrongDecision.status).toBe(400);
  });

  it('is the privacy officer\'s only: every other role and nobody are refused', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [REVIEW, {}, 'accessReview'],
      [OVERDUE, {}, 'overdueAccessReviews'],
      [SIGN_OFFS, { e: 'e-gagnon' }, 'accessReviewSignOffs'],
      [SIGN_OFF, { e: 'e-gagnon', d: 'REVOKE', n: 'Not mine to decide.' }, 'signOffAccessReview'],
    ];
    for (const [query, variables, field] of cases) {
      for (const as of ['nurse.gagnon', 'dr.tremblay', 'hr.lavoie', 'manager.girard']) {
        const res = await system.query(query, variables, { as, mfa: true });
        expect(res.data?.[field as never] ?? null, `${field} ${as}`).toBeNull();
        expect(res.errors?.[0]?.extensions, `${field} ${as}`).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE' });
      }
      const nobody = await system.query(query, variables);
      expect(nobody.errors?.[0]?.extensions?.code, field).toBe('UNAUTHENTICATED');
    }
    // None of those refused sign-offs was recorded.
    expect((await ok<{ accessReviewSignOffs: unknown[] }>(SIGN_OFFS, { e: 'e-gagnon' }, 'privacy.fortin')).accessReviewSignOffs).toHaveLength(1);
  });

  it('reports an edited sign-off through the register\'s verify', async () => {
    const signOffs = new AccessReviewSignOffs(system.gateway.auditStore.registers);
    expect(await signOffs.verify()).toMatchObject({ ok: true, entries: 2, firstBrokenEntryId: null });
    const [first] = (await ok<{ accessReviewSignOffs: { id: string }[] }>(SIGN_OFFS, { e: 'e-gagnon' }, 'privacy.fortin')).accessReviewSignOffs;
    const em = system.gateway.auditStore.db.fork();
    const [row] = await em.getConnection('read').execute<{ entry: unknown }[]>('select entry from register_entry where id = ?', [first?.id]);
    const entry = (typeof row?.entry === 'string' ? JSON.parse(row.entry) : row?.entry) as Record<string, unknown>;
    await em.getConnection('write').execute('update register_entry set entry = ? where id = ?', [JSON.stringify({ ...entry, decision: 'REVOKE' }), first?.id]);
    expect(await signOffs.verify()).toMatchObject({ ok: false, firstBrokenEntryId: first?.id });
  });
});
