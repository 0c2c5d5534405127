import { describe, expect, it } from 'vitest';
import { REVIEW_KIND } from '../audit-store/review-queue.js';
import { detectCases, type PatientWatchFacts, type ReaderFacts, type WatchedRead } from './read-patterns.js';
import { DEFAULT_WATCH_SETTINGS, watchSettings, type WatchSettings } from './watch-settings.js';

const settings: WatchSettings = { ...DEFAULT_WATCH_SETTINGS, timeZone: 'America/Toronto' };
// Tuesday 2026-11-24, 10:00 in Montréal (UTC-5).
const TEN_AM = new Date('2026-11-24T15:00:00Z');
const minutes = (n: number) => new Date(TEN_AM.getTime() + n * 60_000);

let seq = 0;
const read = (actorId: string, patientId: string, at: Date = TEN_AM, fields: string[] = ['Patient.phone']): WatchedRead => ({
  seq: ++seq,
  at,
  actorId,
  role: 'NURSE',
  patientId,
  fields,
});

const reader = (lastName: string, address: string): ReaderFacts => ({ lastNameKey: `ln:${lastName}`, addressKey: `ad:${address}` });
const patient = (lastName: string, address: string, extra: Partial<PatientWatchFacts> = {}): PatientWatchFacts => ({
  employeeId: null,
  sensitive: false,
  lastNameKey: `ln:${lastName}`,
  addressKey: `ad:${address}`,
  ...extra,
});

const facts = {
  readers: new Map([
    ['e-nurse', reader('gagnon', '5 cartier')],
    ['e-clerk', reader('roy', '9 principale')],
    ['e-other', reader('morin', '15 saint-paul')],
  ]),
  patients: new Map([
    ['p-plain', patient('caron', '1200 mcgill')],
    ['p-clerk', patient('roy', '9 principale', { employeeId: 'e-clerk' })],
    ['p-kin', patient('gagnon', '14 saint-charles')],
    ['p-spouse', patient('hebert', '5 cartier')],
    ['p-vip', patient('lavallee', '1 pins', { sensitive: true })],
  ]),
};

const kinds = (reads: WatchedRead[], s: WatchSettings = settings) => detectCases(reads, facts, s).map((c) => c.kind).sort();

describe('the watch over allowed reads (patterns)', () => {
  it('opens nothing for an ordinary read during opening hours', () => {
    expect(kinds([read('e-nurse', 'p-plain')])).toEqual([]);
  });

  it('sees an employee reading their own record: own record only, not a namesake or neighbour', () => {
    const cases = detectCases([read('e-clerk', 'p-clerk')], facts, settings);
    expect(cases.map((c) => [c.kind, c.actorId, c.patientIds])).toEqual([[REVIEW_KIND.ownRecord, 'e-clerk', ['p-clerk']]]);
  });

  it("sees a coworker's record, a patient with the reader's last name, one at the reader's address, a sensitive record", () => {
    expect(kinds([read('e-nurse', 'p-clerk')])).toEqual([REVIEW_KIND.coworkerRecord]);
    expect(kinds([read('e-nurse', 'p-kin')])).toEqual([REVIEW_KIND.sameLastName]);
    expect(kinds([read('e-nurse', 'p-spouse')])).toEqual([REVIEW_KIND.sameAddress]);
    expect(kinds([read('e-other', 'p-vip')])).toEqual([REVIEW_KIND.sensitiveRecord]);
  });

  it('says what it saw in ids and words, never a name or an address', () => {
    const text = detectCases([read('e-nurse', 'p-kin'), read('e-nurse', 'p-spouse'), read('e-clerk', 'p-clerk')], facts, settings)
      .map((c) => c.trigger)
      .join(' ');
    for (const personal of ['gagnon', 'cartier', 'roy', 'principale', 'hebert']) expect(text.toLowerCase()).not.toContain(personal);
    expect(text).toContain('p-kin');
  });

  it('opens one case per pattern, reader, patient and clinic day, however many reads', () => {
    const cases = detectCases([read('e-nurse', 'p-kin'), read('e-nurse', 'p-kin', minutes(30)), read('e-nurse', 'p-kin', minutes(60))], facts, settings);
    expect(cases).toHaveLength(1);
    const nextDay = detectCases([read('e-nurse', 'p-kin', minutes(24 * 60))], facts, settings);
    expect(nextDay[0]?.caseKey).not.toBe(cases[0]?.caseKey);
    // The same reads seen again name the same case (the queue opens a case key once).
    expect(detectCases([read('e-nurse', 'p-kin')], facts, settings)[0]?.caseKey).toBe(cases[0]?.caseKey);
  });

  it('sees reads outside opening hours in the clinic time zone, once per reader and day', () => {
    // 06:59 and 21:00 Montréal are closed; 07:00 and 20:59 are open.
    expect(kinds([read('e-nurse', 'p-plain', minutes(-181))])).toEqual([REVIEW_KIND.offHours]);
    expect(kinds([read('e-nurse', 'p-plain', minutes(-180))])).toEqual([]);
    expect(kinds([read('e-nurse', 'p-plain', minutes(659))])).toEqual([]);
    expect(kinds([read('e-nurse', 'p-plain', minutes(660))])).toEqual([REVIEW_KIND.offHours]);
    const night = detectCases([read('e-nurse', 'p-plain', minutes(720)), read('e-nurse', 'p-kin', minutes(725))], facts, settings).filter((c) => c.kind === REVIEW_KIND.offHours);
    expect(night).toHaveLength(1);
    expect(night[0]?.patientIds).toEqual(['p-kin', 'p-plain']);
    // Closed days: a clinic open Monday to Friday.
    expect(kinds([read('e-nurse', 'p-plain')], { ...settings, openDays: [1, 2, 3, 4, 5] })).toEqual([]);
    expect(kinds([read('e-nurse', 'p-plain', minutes(4 * 24 * 60))], { ...settings, openDays: [1, 2, 3, 4, 5] })).toEqual([REVIEW_KIND.offHours]);
  });

  it('sees bulk reads: more than N distinct records opened within the window, once per reader and day', () => {
    const six = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
    const spread = (gapMinutes: number) => six.map((p, i) => read('e-other', p, minutes(i * gapMinutes)));
    expect(kinds(spread(1))).toEqual([REVIEW_KIND.bulkReads]);
    // Five are not more than five; the same record twice counts once.
    expect(kinds(spread(1).slice(0, 5))).toEqual([]);
    expect(kinds([...spread(1).slice(0, 5), read('e-other', 'p1', minutes(6))])).toEqual([]);
    // Spread over more than the window: never more than five at once.
    expect(kinds(spread(4))).toEqual([]);
    // Directory look-ups (names only) are not opened records.
    expect(kinds(six.map((p) => read('e-other', p, TEN_AM, ['Patient.firstName', 'Patient.lastName'])))).toEqual([]);
    const twelve = [...spread(1), ...six.map((p, i) => read('e-other', `${p}b`, minutes(30 + i)))];
    const bulk = detectCases(twelve, facts, settings).filter((c) => c.kind === REVIEW_KIND.bulkReads);
    expect(bulk).toHaveLength(1);
    expect(bulk[0]?.patientIds).toEqual(six);
    expect(kinds(spread(1), { ...settings, bulkPatients: 6 })).toEqual([]);
  });
});

describe('the watch settings', () => {
  it('has defaults and environment overrides, and refuses nonsense with the variable named', () => {
    expect(watchSettings({ CLINIC_TIME_ZONE: 'America/Toronto' })).toEqual({ ...DEFAULT_WATCH_SETTINGS, timeZone: 'America/Toronto' });
    expect(watchSettings({ WATCH_BULK_PATIENTS: '50', WATCH_BULK_WINDOW_MINUTES: '60', WATCH_OPENING_HOURS: '08:00-17:30', WATCH_OPEN_DAYS: '1-5', WATCH_SCAN_INTERVAL_SECONDS: '0' })).toMatchObject({
      bulkPatients: 50,
      bulkWindowMinutes: 60,
      opens: '08:00',
      closes: '17:30',
      openDays: [1, 2, 3, 4, 5],
      scanIntervalSeconds: 0,
    });
    expect(watchSettings({ WATCH_OPEN_DAYS: '6,7' }).openDays).toEqual([6, 7]);
    expect(() => watchSettings({ WATCH_BULK_PATIENTS: 'many' })).toThrow(/WATCH_BULK_PATIENTS/);
    expect(() => watchSettings({ WATCH_OPENING_HOURS: '18:00-08:00' })).toThrow(/WATCH_OPENING_HOURS/);
    expect(() => watchSettings({ WATCH_OPEN_DAYS: '0,8' })).toThrow(/WATCH_OPEN_DAYS/);
  });
});
