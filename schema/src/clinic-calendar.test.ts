import { describe, expect, it } from 'vitest';
import { ClinicCalendar, clinicDayBounds, clinicDayContaining, clinicDayOf } from './clinic-calendar.js';

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

describe('clinicDayContaining', () => {
  it('answers the day an instant falls on with its bounds, the same from memory as computed, on both sides of midnight', () => {
    const first = clinicDayContaining(new Date('2026-11-24T10:00:00Z'), zone);
    expect(first).toEqual({ day: '2026-11-24', start: new Date('2026-11-24T05:00:00.000Z'), end: new Date('2026-11-25T05:00:00.000Z') });
    // Within the same day: the remembered answer.
    expect(clinicDayContaining(new Date('2026-11-25T04:59:59.999Z'), zone)).toBe(first);
    expect(clinicDayContaining(new Date('2026-11-25T05:00:00.000Z'), zone)?.day).toBe('2026-11-25');
    expect(clinicDayContaining(new Date('2026-11-24T04:59:59.999Z'), zone)?.day).toBe('2026-11-23');
    expect(clinicDayOf(new Date('2026-11-24T23:59:00Z'), zone)).toBe('2026-11-24');
  });

  it('keeps the days of each time zone apart, and spans a 23-hour day when the clocks go forward', () => {
    expect(clinicDayContaining(new Date('2026-11-24T10:00:00Z'), 'UTC')?.start).toEqual(new Date('2026-11-24T00:00:00.000Z'));
    expect(clinicDayContaining(new Date('2026-11-24T10:00:00Z'), zone)?.start).toEqual(new Date('2026-11-24T05:00:00.000Z'));
    const spring = clinicDayContaining(new Date('2026-03-08T12:00:00Z'), zone);
    expect(spring && (spring.end.getTime() - spring.start.getTime()) / 3_600_000).toBe(23);
  });

  it('has no day for an invalid instant or one beyond year 9999', () => {
    expect(clinicDayContaining(new Date(Number.NaN), zone)).toBeUndefined();
    expect(clinicDayContaining(new Date('+010000-01-01T12:00:00Z'), zone)).toBeUndefined();
  });
});
