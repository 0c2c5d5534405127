import { afterEach, describe, expect, it } from 'vitest';
import { clinicInstant, clinicToday, setClinicTimeZone, when } from './clinic-time';

afterEach(() => setClinicTimeZone(undefined));

describe("the desk's days and times are the clinic's", () => {
  it("reads a wall-clock time at the clinic as the instant it is there, whatever the computer's zone", () => {
    setClinicTimeZone('America/Toronto');
    expect(clinicInstant('2026-12-01T14:30')).toBe('2026-12-01T19:30:00.000Z');
    expect(clinicInstant('2026-07-01T14:30')).toBe('2026-07-01T18:30:00.000Z');
    // 02:30 does not exist on the spring-forward night: it lands an hour later, at 03:30 EDT.
    expect(clinicInstant('2026-03-08T02:30')).toBe('2026-03-08T07:30:00.000Z');
    // 01:30 happens twice on the fall-back night: the first, in EDT.
    expect(clinicInstant('2026-11-01T01:30')).toBe('2026-11-01T05:30:00.000Z');
    setClinicTimeZone('Asia/Kolkata');
    expect(clinicInstant('2026-12-01T14:30')).toBe('2026-12-01T09:00:00.000Z');
    for (const bad of ['', '2026-12-01', '2026-12-01 14:30', '2026-13-01T14:30x']) expect(clinicInstant(bad), bad).toBeUndefined();
  });

  it("shows today's date and a time as the clinic's clock says them", () => {
    setClinicTimeZone('America/Toronto');
    // 03:00 UTC on 2 December is still the evening of 1 December in Toronto.
    expect(clinicToday(new Date('2026-12-02T03:00:00Z'))).toBe('2026-12-01');
    expect(when('2026-12-01T19:30:00Z')).toMatch(/2:30/);
    setClinicTimeZone('Pacific/Kiritimati');
    expect(clinicToday(new Date('2026-12-02T03:00:00Z'))).toBe('2026-12-02');
    expect(when(null)).toBe('');
  });
});
