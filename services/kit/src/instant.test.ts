import { describe, expect, it } from 'vitest';
import { parseZonedInstant } from './instant.js';

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
