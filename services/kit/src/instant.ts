/**
 * Strict ISO-8601 date and time input, one parser for every date or time a client (or the gateway)
 * sends: real calendar days, hours 00-23, minutes and seconds 00-59, and a UTC offset that exists
 * (-12:00 to +14:00, minutes 00-59). JavaScript's Date and luxon both accept impossible values
 * (`2026-02-30`, `+99:99`) and shift them silently; nothing here is shifted. No time-zone rules
 * are needed (an offset is arithmetic), so none are loaded: this runs on every request.
 */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;
const MAX_OFFSET_MINUTES = { '+': 14 * 60, '-': 12 * 60 } as const;

/**
 * The instant of these UTC calendar parts, when every part names something that exists (month
 * 1-12, a day of that month, hour 0-23, minute and second 0-59): plain UTC arithmetic, then the
 * parts read back, since Date rolls impossible values over (February 30 into March 2). Years
 * 0-99 stay themselves (Date.UTC would read them as 1900-1999).
 */
function existingUtc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): number | undefined {
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date.getTime() : undefined;
}

/** A calendar day YYYY-MM-DD that exists (no 2026-02-30), or undefined. */
export function strictIsoDay(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const m = DAY.exec(text);
  if (!m) return undefined;
  return existingUtc(Number(m[1]), Number(m[2]), Number(m[3])) === undefined ? undefined : text;
}

/** An ISO-8601 instant with a time zone (Z or ±HH:MM, e.g. 2026-11-25T14:30:00-05:00), every part in range, or undefined. */
export function parseZonedInstant(text: unknown): Date | undefined {
  if (typeof text !== 'string') return undefined;
  const m = INSTANT.exec(text);
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second = '0', fraction = '0', zone, sign, offsetHours, offsetMinutes] = m;
  let offset = 0;
  if (zone !== 'Z') {
    const hours = Number(offsetHours);
    const minutes = Number(offsetMinutes);
    if (minutes > 59) return undefined;
    offset = hours * 60 + minutes;
    if (offset > MAX_OFFSET_MINUTES[sign as '+' | '-']) return undefined;
    if (sign === '-') offset = -offset;
  }
  // The wall-clock parts must exist as written (hour 24, minute 60 and February 30 are refused).
  const wallClock = existingUtc(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second), Number(fraction.padEnd(3, '0')));
  return wallClock === undefined ? undefined : new Date(wallClock - offset * 60_000);
}

/** A date (YYYY-MM-DD, read as midnight UTC) or a full instant, strictly; undefined otherwise. */
export function strictIsoDateOrInstant(text: unknown): Date | undefined {
  const day = strictIsoDay(text);
  return day ? new Date(`${day}T00:00:00Z`) : parseZonedInstant(text);
}
