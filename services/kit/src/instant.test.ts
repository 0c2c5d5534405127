import { describe, expect, it } from 'vitest';
import { parseZonedInstant, strictIsoDateOrInstant, strictIsoDay } from './instant.js';

describe('parseZonedInstant', () => {
  it('reads an ISO-8601 instant with a time zone, to the minute, second or millisecond', () => {
    expect(parseZonedInstant('2026-11-25T14:30:00.123Z')?.toISOString()).toBe('2026-11-25T14:30:00.123Z');
    expect(parseZonedInstant('2026-11-25T14:30-05:00')?.toISOString()).toBe('2026-11-25T19:30:00.000Z');
  });

  it('refuses a bare date, a local time, an impossible date, odd text and non-strings', () => {
    for (const text of ['2026-11-25', '2026-11-25T14:30:00', '2026-02-30T10:00:00Z', '2026-11-25T25:00:00Z', 'now', '1', ' 2026-11-25T14:30:00Z', '', 1_700_000_000_000, null]) {
      expect(parseZonedInstant(text), String(text)).toBeUndefined();
    }
  });
});

describe('strict ISO-8601 dates and times', () => {
  it('reads real instants with their offset, to the millisecond', () => {
    expect(parseZonedInstant('2030-01-15T09:00:00-05:00')?.toISOString()).toBe('2030-01-15T14:00:00.000Z');
    expect(parseZonedInstant('2030-01-15T09:00+05:30')?.toISOString()).toBe('2030-01-15T03:30:00.000Z');
    expect(parseZonedInstant('2030-01-15T09:00:00.5Z')?.toISOString()).toBe('2030-01-15T09:00:00.500Z');
    expect(parseZonedInstant('2030-01-15T09:00:00+14:00')?.toISOString()).toBe('2030-01-14T19:00:00.000Z');
    expect(parseZonedInstant('2030-01-15T09:00:00-12:00')?.toISOString()).toBe('2030-01-15T21:00:00.000Z');
    expect(parseZonedInstant('2028-02-29T12:00:00Z')?.toISOString()).toBe('2028-02-29T12:00:00.000Z');
    // A two-digit year is that year, not 19xx; an offset can carry the instant into the next year.
    expect(parseZonedInstant('0050-03-01T00:00:00Z')?.toISOString()).toBe('0050-03-01T00:00:00.000Z');
    expect(parseZonedInstant('2030-12-31T22:00:00-05:00')?.toISOString()).toBe('2031-01-01T03:00:00.000Z');
    expect(strictIsoDay('0050-02-29')).toBeUndefined();
  });

  it.each([
    '2030-01-15T09:00:00+99:99', '2030-01-15T09:00:00+15:00', '2030-01-15T09:00:00-13:00', '2030-01-15T09:00:00+05:60',
    '2030-01-15T24:00:00Z', '2030-01-15T09:60:00Z', '2030-01-15T09:00:60Z', '2030-02-30T09:00:00Z', '2029-02-29T09:00:00Z',
    '2030-13-01T09:00:00Z', '2030-00-10T09:00:00Z', '2030-01-15T09:00:00', '2030-01-15 09:00:00Z', '2030-01-15T09:00:00+0500',
    '2030-01-15T09:00:00.1234Z', ' 2030-01-15T09:00:00Z', '2030-01-15T09:00:00Z\n', '+002030-01-15T09:00:00Z', '２０３０-01-15T09:00:00Z', '',
  ])('refuses %j', (text) => {
    expect(parseZonedInstant(text)).toBeUndefined();
  });

  it('reads real calendar days and refuses impossible ones', () => {
    expect(strictIsoDay('2028-02-29')).toBe('2028-02-29');
    for (const day of ['2030-02-30', '2029-02-29', '2030-04-31', '2030-13-01', '2030-1-5', '20300115', '2030-01-15T00:00:00Z']) expect(strictIsoDay(day), day).toBeUndefined();
  });

  it('takes a day or an instant where either is allowed, never a shifted value', () => {
    expect(strictIsoDateOrInstant('2026-11-20')?.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(strictIsoDateOrInstant('2026-11-20T10:00:00-05:00')?.toISOString()).toBe('2026-11-20T15:00:00.000Z');
    expect(strictIsoDateOrInstant('2026-11-31')).toBeUndefined();
    expect(strictIsoDateOrInstant('2026-11-20T10:00:00+99:99')).toBeUndefined();
    expect(strictIsoDateOrInstant(20261120)).toBeUndefined();
  });
});
