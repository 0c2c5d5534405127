import { DateTime } from 'luxon';

// A date, a time to the minute (seconds and milliseconds optional) and an explicit zone: no bare
// date, no local time, nothing `new Date` would guess at.
const ZONED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 instant with a time zone (e.g. 2026-11-25T14:30:00-05:00), or undefined for anything else. */
export function parseZonedInstant(text: unknown): Date | undefined {
  if (typeof text !== 'string' || !ZONED_INSTANT.test(text)) return undefined;
  const parsed = DateTime.fromISO(text, { setZone: true });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}
