import { DateTime } from 'luxon';

/**
 * Strict ISO-8601 date and time input, one parser for every date or time a client (or the gateway)
 * sends: real calendar days, hours 00-23, minutes and seconds 00-59, and a UTC offset that exists
 * (-12:00 to +14:00, minutes 00-59). JavaScript's Date and luxon both accept impossible values
 * (`2026-02-30`, `+99:99`) and shift them silently; nothing here is shifted.
 */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;
const MAX_OFFSET_MINUTES = { '+': 14 * 60, '-': 12 * 60 } as const;

/** A calendar day YYYY-MM-DD that exists (no 2026-02-30), or undefined. */
export function strictIsoDay(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const m = DAY.exec(text);
  if (!m) return undefined;
  const day = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, { zone: 'utc' });
  return day.isValid ? text : undefined;
}

/** An ISO-8601 instant with a time zone (Z or ±HH:MM, e.g. 2026-11-25T14:30:00-05:00), every part in range, or undefined. */
export function parseZonedInstant(text: unknown): Date | undefined {
  if (typeof text !== 'string') return undefined;
  const m = INSTANT.exec(text);
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second = '0', fraction = '0', zone, sign, offsetHours, offsetMinutes] = m;
  // luxon reads hour 24 as midnight of the next day: out of range here.
  if (Number(hour) > 23) return undefined;
  let offset = 0;
  if (zone !== 'Z') {
    const hours = Number(offsetHours);
    const minutes = Number(offsetMinutes);
    if (minutes > 59) return undefined;
    offset = hours * 60 + minutes;
    if (offset > MAX_OFFSET_MINUTES[sign as '+' | '-']) return undefined;
    if (sign === '-') offset = -offset;
  }
  const local = DateTime.fromObject(
    { year: Number(year), month: Number(month), day: Number(day), hour: Number(hour), minute: Number(minute), second: Number(second), millisecond: Number(fraction.padEnd(3, '0')) },
    { zone: `UTC${offset === 0 ? '' : `${offset > 0 ? '+' : '-'}${Math.floor(Math.abs(offset) / 60)}:${String(Math.abs(offset) % 60).padStart(2, '0')}`}` },
  );
  // fromObject refuses out-of-range parts (hour 24, minute 60, day 30 of February).
  return local.isValid ? local.toJSDate() : undefined;
}

/** A date (YYYY-MM-DD, read as midnight UTC) or a full instant, strictly; undefined otherwise. */
export function strictIsoDateOrInstant(text: unknown): Date | undefined {
  const day = strictIsoDay(text);
  return day ? new Date(`${day}T00:00:00Z`) : parseZonedInstant(text);
}
