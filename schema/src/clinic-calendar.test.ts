import { describe, expect, it } from 'vitest';
import { ClinicCalendar, clinicDayBounds, clinicDayOf } from './clinic-calendar.js';

const zone = 'America/Toronto';

describe('ClinicCalendar', () => {
  it('reads "today" in the clinic time zone, not in UTC', () => {
    // 01:30 UTC on Nov 24 is still the evening of Nov 23 in Montréal.
    const calendar = new ClinicCalendar(new Date('2026-11-24T01:30:00Z'), zone);
    expect(calendar.today()).toBe('2026-11-23');
    expect(calendar.dayAt(1)).toBe('2026-11-24');
    expect(calendar.dayAt(-3650)).toBe('2016-11-25');
  });

  it('places a wall-clock time on the clinic day, whatever the UTC offset', () => {
    const calendar = new ClinicCalendar(new Date('2026-11-24T01:30:00Z'), zone);
    expect(calendar.instantAtTime(0, '10:30').toISOString()).toBe('2026-11-23T15:30:00.000Z');
    // Across the change to daylight time (8 March 2026) the same wall-clock time moves by an hour in UTC.
    const march = new ClinicCalendar(new Date('2026-03-06T15:00:00Z'), zone);
    expect(march.instantAtTime(0, '10:30').toISOString()).toBe('2026-03-06T15:30:00.000Z');
    expect(march.instantAtTime(7, '10:30').toISOString()).toBe('2026-03-13T14:30:00.000Z');
  });

  it('refuses a malformed time of day', () => {
    const calendar = new ClinicCalendar(new Date('2026-11-24T12:00:00Z'), zone);
    expect(() => calendar.instantAtTime(0, '25:00')).toThrow(/invalid time/);
  });
});

describe('clinicDayBounds', () => {
  it('spans the clinic day from local midnight to the next local midnight', () => {
    expect(clinicDayBounds('2026-11-23', zone)).toEqual({
      start: new Date('2026-11-23T05:00:00.000Z'),
      end: new Date('2026-11-24T05:00:00.000Z'),
    });
  });

  it('returns undefined for anything that is not a calendar date', () => {
    for (const day of ['2026-13-01', '2026-02-30', 'tomorrow', '2026-1-1', '']) {
      expect(clinicDayBounds(day, zone)).toBeUndefined();
    }
  });

  it('agrees with clinicDayOf', () => {
    expect(clinicDayOf(new Date('2026-11-24T04:59:59Z'), zone)).toBe('2026-11-23');
    expect(clinicDayOf(new Date('2026-11-24T05:00:00Z'), zone)).toBe('2026-11-24');
  });
});
