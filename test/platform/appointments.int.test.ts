import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Appointment } from '../../services/patient/src/entities.js';
import { testBackends } from '../support/backends.js';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { addDays, clinicInstant, clinicToday, inClinic } from '../support/clinic-time.js';
import { RECEPTIONIST } from '../support/callers.js';
import { expectOneError } from '../support/graphql-errors.js';

interface ScheduledAppointment {
  id: string;
  startsAt: string;
  reason: string | null;
  status: string;
  patient: { id: string; lastName: string };
  practitioner: { id: string; lastName: string };
}

const APPOINTMENT_FIELDS = 'id startsAt reason status patient { id lastName } practitioner { id lastName }';

const BOOK = `mutation Book($input: BookAppointmentInput!) { bookAppointment(input: $input) { ${APPOINTMENT_FIELDS} } }`;
const CANCEL = `mutation Cancel($id: ID!) { cancelAppointment(id: $id) { ${APPOINTMENT_FIELDS} } }`;

interface BookInput {
  patientId: string;
  practitionerId: string;
  startsAt: string;
  reason?: string | null;
}

// Every request is the receptionist's: she reads every day's schedule and every patient's
// appointments (SCHEDULE, with the patient's IDENTITY and the practitioner's directory entry), and
// books and cancels appointments.
describe.each(testBackends())('appointments through the gateway on %s', (backend) => {
  let system: ClinicSystem;
  // Bookings go to days from +30 on, so they never touch the fixture's days (0, 1, 7, 14).
  const today = clinicToday();
  const day = (offset: number) => addDays(today, offset);

  beforeAll(async () => {
    system = await startClinicSystem({ backend });
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function schedule(dayArg?: string): Promise<ScheduledAppointment[]> {
    const res = await system.query<{ appointments: ScheduledAppointment[] }>(
      `query Schedule($day: String) { appointments(day: $day) { ${APPOINTMENT_FIELDS} } }`,
      dayArg === undefined ? {} : { day: dayArg },
      RECEPTIONIST,
    );
    expect(res.errors).toBeUndefined();
    return res.data?.appointments ?? [];
  }

  async function appointmentsOf(patientId: string): Promise<ScheduledAppointment[]> {
    const res = await system.query<{ patient: { appointments: ScheduledAppointment[] } }>(
      `query Of($id: ID!) { patient(id: $id) { appointments { ${APPOINTMENT_FIELDS} } } }`,
      { id: patientId },
      RECEPTIONIST,
    );
    expect(res.errors).toBeUndefined();
    return res.data?.patient.appointments ?? [];
  }

  async function book(input: BookInput) {
    return system.query<{ bookAppointment: ScheduledAppointment }>(BOOK, { input }, RECEPTIONIST);
  }

  async function bookOk(input: BookInput): Promise<ScheduledAppointment> {
    const res = await book(input);
    expect(res.errors).toBeUndefined();
    return res.data?.bookAppointment as ScheduledAppointment;
  }

  /** Every appointment row in the patient subgraph's database, read directly. */
  async function storedAppointments() {
    const rows = await system.subgraphs.patient.db.fork().find(Appointment, {}, { orderBy: { id: 'asc' } });
    return rows.map((a) => ({ id: a.id, patientId: a.patientId, practitionerId: a.practitionerId, startsAt: a.startsAt.toISOString(), reason: a.reason, status: a.status }));
  }

  describe('the schedule of a day', () => {
    it("defaults to today in the clinic's time zone: the walk-in at 10:30", async () => {
      const appointments = await schedule();
      expect(appointments.map((a) => ({ ...a, startsAt: inClinic(a.startsAt) }))).toEqual([
        {
          id: 'a-1',
          startsAt: `${today} 10:30:00.000`,
          reason: 'Walk-in: foot wound',
          status: 'BOOKED',
          patient: { id: 'p-caron', lastName: 'Caron' },
          practitioner: { id: 'e-nguyen', lastName: 'Nguyen' },
        },
      ]);
      expect(appointments[0]?.startsAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });

    it("defaults to the clinic's today late in the evening, when it is already tomorrow in UTC", async () => {
      // 23:30 in the clinic is 03:30 or 04:30 UTC on the next day. The services run in this process, so
      // faking Date (and nothing else) moves their clock too.
      const lateEvening = new Date(clinicInstant(today, '23:30'));
      expect(lateEvening.toISOString().slice(0, 10)).toBe(day(1));
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(lateEvening);
        expect((await schedule()).map((a) => a.id)).toEqual(['a-1']);
      } finally {
        vi.useRealTimers();
      }
    });

    it('gives the same schedule for today named explicitly', async () => {
      expect((await schedule(today)).map((a) => a.id)).toEqual(['a-1']);
    });

    it('returns the schedule of an explicit day: tomorrow, in a week, in two weeks', async () => {
      const tomorrow = await schedule(day(1));
      expect(tomorrow.map((a) => [a.id, inClinic(a.startsAt), a.reason, a.patient.lastName, a.practitioner.lastName])).toEqual([
        ['a-2', `${day(1)} 09:00:00.000`, 'Follow-up', 'Lefebvre', 'Tremblay'],
      ]);
      const nextWeek = await schedule(day(7));
      expect(nextWeek.map((a) => [a.id, inClinic(a.startsAt), a.reason, a.patient.lastName, a.practitioner.lastName])).toEqual([
        ['a-3', `${day(7)} 14:00:00.000`, 'Asthma review', 'Bergeron', 'Nguyen'],
      ]);
      const inTwoWeeks = await schedule(day(14));
      expect(inTwoWeeks.map((a) => [a.id, inClinic(a.startsAt), a.reason, a.patient.lastName, a.practitioner.lastName])).toEqual([
        ['a-4', `${day(14)} 11:15:00.000`, 'Dermatology consult', 'Ouellet', 'Pelletier'],
      ]);
    });

    it('returns an empty list for a day without appointments', async () => {
      expect(await schedule(day(2))).toEqual([]);
      expect(await schedule('1999-01-01')).toEqual([]);
    });

    it("cuts days at the clinic's midnight, not UTC's, and orders a day by start time", async () => {
      const d = day(40);
      const late = await bookOk({ patientId: 'p-dion', practitionerId: 'e-tremblay', startsAt: clinicInstant(d, '23:30'), reason: 'Late' });
      const early = await bookOk({ patientId: 'p-dion', practitionerId: 'e-tremblay', startsAt: clinicInstant(d, '00:00'), reason: 'Early' });
      const nextMorning = await bookOk({ patientId: 'p-dion', practitionerId: 'e-tremblay', startsAt: clinicInstant(day(41), '00:00'), reason: 'Next' });
      expect((await schedule(d)).map((a) => a.id)).toEqual([early.id, late.id]);
      expect((await schedule(day(41))).map((a) => a.id)).toEqual([nextMorning.id]);
      expect(await schedule(day(39))).toEqual([]);
    });
  });

  describe('booking and cancelling', () => {
    it('books an appointment that then appears in the patient record and in the day schedule', async () => {
      const d = day(30);
      const startsAt = clinicInstant(d, '15:00');
      const booked = await bookOk({ patientId: 'p-bergeron', practitionerId: 'e-gagnon', startsAt, reason: 'Vaccination' });
      expect(booked).toEqual({
        id: expect.stringMatching(/^a-[0-9a-f-]{36}$/),
        startsAt: new Date(startsAt).toISOString(),
        reason: 'Vaccination',
        status: 'BOOKED',
        patient: { id: 'p-bergeron', lastName: 'Bergeron' },
        practitioner: { id: 'e-gagnon', lastName: 'Gagnon' },
      });
      expect(await appointmentsOf('p-bergeron')).toEqual([
        expect.objectContaining({ id: 'a-3', status: 'BOOKED' }),
        booked,
      ]);
      expect(await schedule(d)).toEqual([booked]);
      expect((await storedAppointments()).find((a) => a.id === booked.id)).toEqual({
        id: booked.id,
        patientId: 'p-bergeron',
        practitionerId: 'e-gagnon',
        startsAt: booked.startsAt,
        reason: 'Vaccination',
        status: 'BOOKED',
      });
    });

    it('accepts an instant in UTC and a reason of exactly 255 characters, and an omitted reason as null', async () => {
      const utc = `${day(31)}T18:00:00Z`;
      const long = await bookOk({ patientId: 'p-ouellet', practitionerId: 'e-bouchard', startsAt: utc, reason: 'r'.repeat(255) });
      expect(long.startsAt).toBe(new Date(utc).toISOString());
      expect(long.reason).toHaveLength(255);
      const bare = await bookOk({ patientId: 'p-ouellet', practitionerId: 'e-bouchard', startsAt: `${day(31)}T19:00:00Z` });
      expect(bare.reason).toBeNull();
    });

    it('cancels an appointment: status CANCELLED in the answer, the patient record and the database', async () => {
      const booked = await bookOk({ patientId: 'p-caron', practitionerId: 'e-tremblay', startsAt: clinicInstant(day(32), '10:00'), reason: 'Check-up' });
      const res = await system.query<{ cancelAppointment: ScheduledAppointment }>(CANCEL, { id: booked.id }, RECEPTIONIST);
      expect(res.errors).toBeUndefined();
      expect(res.data?.cancelAppointment).toEqual({ ...booked, status: 'CANCELLED' });
      expect((await appointmentsOf('p-caron')).find((a) => a.id === booked.id)?.status).toBe('CANCELLED');
      expect((await storedAppointments()).find((a) => a.id === booked.id)?.status).toBe('CANCELLED');
    });

    it('cancels a seeded appointment and frees its slot for another booking', async () => {
      const before = (await schedule(day(14)))[0] as ScheduledAppointment;
      expect(before.id).toBe('a-4');
      const res = await system.query<{ cancelAppointment: ScheduledAppointment }>(CANCEL, { id: 'a-4' }, RECEPTIONIST);
      expect(res.data?.cancelAppointment).toMatchObject({ id: 'a-4', status: 'CANCELLED', practitioner: { lastName: 'Pelletier' } });
      const rebooked = await bookOk({ patientId: 'p-lefebvre', practitionerId: 'e-pelletier', startsAt: before.startsAt, reason: 'Skin check' });
      expect(rebooked).toMatchObject({ startsAt: before.startsAt, status: 'BOOKED', patient: { id: 'p-lefebvre' } });
    });
  });

  describe('invalid bookings and cancellations', () => {
    const valid = (): BookInput => ({ patientId: 'p-caron', practitionerId: 'e-nguyen', startsAt: clinicInstant(day(50), '11:00'), reason: 'Follow-up' });

    it.each<[string, Partial<BookInput>, RegExp]>([
      ['an unknown patient', { patientId: 'p-nobody' }, /^No patient with id "p-nobody"$/],
      ['a malformed patient id', { patientId: 'p caron!' }, /^patientId must be 1 to 64 letters, digits/],
      ['a malformed practitioner id', { practitionerId: "e-nguyen'; DROP TABLE appointment; --" }, /^practitionerId must be 1 to 64 letters, digits/],
      ['a start without a time zone', { startsAt: '2031-01-15T10:00:00' }, /^startsAt must be an ISO-8601 date and time with a time zone/],
      ['a start that is only a date', { startsAt: '2031-01-15' }, /^startsAt must be an ISO-8601 date and time with a time zone/],
      ['a start that is not a date', { startsAt: 'next tuesday at ten' }, /^startsAt must be an ISO-8601 date and time with a time zone/],
      ['a start on a day that does not exist', { startsAt: '2031-02-30T10:00:00-05:00' }, /^startsAt must be an ISO-8601 date and time with a time zone/],
      ['a start in the past', { startsAt: '2020-01-15T10:00:00-05:00' }, /^startsAt must be in the future$/],
      ['a reason over 255 characters', { reason: 'x'.repeat(256) }, /^reason must be at most 255 characters$/],
    ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_what, change, message) => {
      const stored = await storedAppointments();
      const res = await book({ ...valid(), ...change });
      expectOneError(res, 'BAD_USER_INPUT', message);
      expect(res.errors?.[0]?.path).toEqual(['bookAppointment']);
      expect(res.data ?? null).toBeNull();
      expect(await storedAppointments()).toEqual(stored);
    });

    it('refuses to double-book a practitioner at the same instant, whatever the patient or offset notation', async () => {
      const a3 = (await schedule(day(7)))[0] as ScheduledAppointment;
      expect(a3).toMatchObject({ id: 'a-3', practitioner: { id: 'e-nguyen' } });
      const stored = await storedAppointments();
      const utcNotation = await book({ patientId: 'p-dion', practitionerId: 'e-nguyen', startsAt: a3.startsAt, reason: 'Clash' });
      expectOneError(utcNotation, 'BAD_USER_INPUT', /^The practitioner already has an appointment at that time$/);
      const clinicNotation = await book({ patientId: 'p-bergeron', practitionerId: 'e-nguyen', startsAt: clinicInstant(day(7), '14:00') });
      expectOneError(clinicNotation, 'BAD_USER_INPUT', /^The practitioner already has an appointment at that time$/);
      expect(await storedAppointments()).toEqual(stored);
      expect((await schedule(day(7))).map((a) => a.id)).toEqual(['a-3']);
      expect((await appointmentsOf('p-dion')).map((a) => a.reason)).not.toContain('Clash');
    });

    it('books a slot once when several bookings for the same practitioner and instant arrive together', async () => {
      const startsAt = clinicInstant(day(34), '13:00');
      const patients = ['p-caron', 'p-dion', 'p-lefebvre', 'p-ouellet', 'p-bergeron', 'p-caron', 'p-dion', 'p-lefebvre'];
      const results = await Promise.all(patients.map((patientId) => book({ patientId, practitionerId: 'e-tremblay', startsAt, reason: 'Race' })));
      const booked = results.filter((r) => r.errors === undefined);
      expect(booked).toHaveLength(1);
      for (const refused of results.filter((r) => r.errors !== undefined)) {
        expectOneError(refused, 'BAD_USER_INPUT', /^The practitioner already has an appointment at that time$/);
      }
      const stored = (await storedAppointments()).filter((a) => a.practitionerId === 'e-tremblay' && a.startsAt === new Date(startsAt).toISOString());
      expect(stored.map((a) => a.id)).toEqual([booked[0]?.data?.bookAppointment.id]);
    });

    it('has the database refuse a second booked appointment of a practitioner at the same instant', async () => {
      const em = system.subgraphs.patient.db.fork();
      const a1 = await em.findOneOrFail(Appointment, { id: 'a-1' });
      em.create(Appointment, { id: 'a-direct-clash', patientId: 'p-dion', practitionerId: a1.practitionerId, startsAt: a1.startsAt, reason: null, status: 'BOOKED' });
      await expect(em.flush()).rejects.toThrow();
      expect((await storedAppointments()).map((a) => a.id)).not.toContain('a-direct-clash');
    });

    it('books another practitioner at an instant that is taken for a different one', async () => {
      const a3 = (await schedule(day(7)))[0] as ScheduledAppointment;
      const other = await bookOk({ patientId: 'p-dion', practitionerId: 'e-tremblay', startsAt: a3.startsAt, reason: 'Same time, other doctor' });
      expect(other.practitioner.id).toBe('e-tremblay');
      expect((await schedule(day(7))).map((a) => a.id).sort()).toEqual(['a-3', other.id].sort());
    });

    it('refuses to cancel an unknown appointment', async () => {
      const stored = await storedAppointments();
      const res = await system.query(CANCEL, { id: 'a-nobody' }, RECEPTIONIST);
      expectOneError(res, 'BAD_USER_INPUT', /^No appointment with id "a-nobody"$/);
      expect(res.data ?? null).toBeNull();
      expect(await storedAppointments()).toEqual(stored);
    });

    it('refuses to cancel with a malformed id', async () => {
      const stored = await storedAppointments();
      const res = await system.query(CANCEL, { id: "a-1' OR '1'='1" }, RECEPTIONIST);
      expectOneError(res, 'BAD_USER_INPUT', /^id must be 1 to 64 letters, digits/);
      expect(await storedAppointments()).toEqual(stored);
    });

    it('refuses to cancel an appointment twice and leaves it cancelled', async () => {
      const booked = await bookOk({ patientId: 'p-lefebvre', practitionerId: 'e-gagnon', startsAt: clinicInstant(day(33), '09:30') });
      expect((await system.query(CANCEL, { id: booked.id }, RECEPTIONIST)).errors).toBeUndefined();
      const stored = await storedAppointments();
      const again = await system.query(CANCEL, { id: booked.id }, RECEPTIONIST);
      expectOneError(again, 'BAD_USER_INPUT', /^The appointment is already cancelled$/);
      expect(again.data ?? null).toBeNull();
      expect(await storedAppointments()).toEqual(stored);
      expect(stored.find((a) => a.id === booked.id)?.status).toBe('CANCELLED');
    });

    it('leaves the fixture appointments untouched after every refused mutation', async () => {
      const stored = await storedAppointments();
      expect(stored.filter((a) => ['a-1', 'a-2', 'a-3'].includes(a.id)).map((a) => [a.id, a.patientId, a.practitionerId, a.status])).toEqual([
        ['a-1', 'p-caron', 'e-nguyen', 'BOOKED'],
        ['a-2', 'p-lefebvre', 'e-tremblay', 'BOOKED'],
        ['a-3', 'p-bergeron', 'e-nguyen', 'BOOKED'],
      ]);
      expect(stored.filter((a) => a.patientId === 'p-caron' && a.practitionerId === 'e-nguyen').map((a) => a.id)).toEqual(['a-1']);
    });
  });
});
