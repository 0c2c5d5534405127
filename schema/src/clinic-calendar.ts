import { DateTime } from 'luxon';
import { loadDemoClinic } from './demo-clinic.js';

/** The clinic's time zone: "today", appointment days and seeding offsets are all read in it. */
export function clinicTimeZone(): string {
  return process.env.CLINIC_TIME_ZONE ?? loadDemoClinic().clinic.timezone;
}

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A calendar of the clinic anchored at one moment (the moment of seeding, or now). */
export class ClinicCalendar {
  readonly zone: string;
  private readonly anchor: DateTime;

  constructor(anchor: Date = new Date(), zone: string = clinicTimeZone()) {
    this.zone = zone;
    this.anchor = DateTime.fromJSDate(anchor, { zone });
    if (!this.anchor.isValid) throw new Error(`clinic-calendar: invalid time zone ${zone}`);
  }

  /** The instant `offset` days from the anchor, same wall-clock time. */
  instantAt(offset: number): Date {
    return this.anchor.plus({ days: offset }).toJSDate();
  }

  /** The calendar day (YYYY-MM-DD) `offset` days from the anchor. */
  dayAt(offset: number): string {
    return isoDay(this.anchor.plus({ days: offset }));
  }

  /** The instant of a wall-clock time (HH:mm) on the day `offset` days from the anchor. */
  instantAtTime(offset: number, time: string): Date {
    if (!TIME_PATTERN.test(time)) throw new Error(`clinic-calendar: invalid time ${time}`);
    const [hour, minute] = time.split(':').map(Number);
    return this.anchor.plus({ days: offset }).set({ hour, minute, second: 0, millisecond: 0 }).toJSDate();
  }

  /** Today in the clinic, as YYYY-MM-DD. */
  today(): string {
    return this.dayAt(0);
  }
}

/** Start (inclusive) and end (exclusive) instants of a clinic day; undefined for a malformed day. */
export function clinicDayBounds(day: string, zone: string = clinicTimeZone()): { start: Date; end: Date } | undefined {
  if (!DAY_PATTERN.test(day)) return undefined;
  const start = DateTime.fromISO(day, { zone }).startOf('day');
  if (!start.isValid) return undefined;
  return { start: start.toJSDate(), end: start.plus({ days: 1 }).toJSDate() };
}

/** A clinic day and its bounds: start inclusive, end exclusive. */
export interface ClinicDay {
  day: string;
  start: Date;
  end: Date;
}

/**
 * Days already computed, by time zone: every request asks for the day of its own instant, and the
 * time-zone rules (luxon) cost more than the rest of a request's policy facts. An instant inside a
 * known day's bounds is on that day. A pure computation, nothing about any patient.
 */
const knownDays = new Map<string, ClinicDay[]>();
const KNOWN_DAYS = 8;

/** The clinic day an instant falls on, with its bounds; undefined for an invalid instant. */
export function clinicDayContaining(instant: Date, zone: string = clinicTimeZone()): ClinicDay | undefined {
  const time = instant.getTime();
  if (Number.isNaN(time)) return undefined;
  let days = knownDays.get(zone);
  const known = days?.find((d) => d.start.getTime() <= time && time < d.end.getTime());
  if (known) return known;
  const local = DateTime.fromJSDate(instant, { zone });
  if (!local.isValid) return undefined;
  const start = local.startOf('day');
  const day: ClinicDay = { day: isoDay(start), start: start.toJSDate(), end: start.plus({ days: 1 }).toJSDate() };
  // Beyond year 9999 a day is no YYYY-MM-DD: no clinic day.
  if (!DAY_PATTERN.test(day.day)) return undefined;
  if (!days) knownDays.set(zone, (days = []));
  if (days.length >= KNOWN_DAYS) days.shift();
  days.push(day);
  return day;
}

/** The clinic day (YYYY-MM-DD) an instant falls on. */
export function clinicDayOf(instant: Date, zone: string = clinicTimeZone()): string {
  const found = clinicDayContaining(instant, zone);
  if (!found) throw new Error('clinic-calendar: invalid date');
  return found.day;
}

function isoDay(value: DateTime): string {
  const day = value.toISODate();
  if (day === null) throw new Error('clinic-calendar: invalid date');
  return day;
}

/** Where an instant falls on the clinic's wall clock: its day, weekday (1 = Monday … 7 = Sunday) and minute of the day. */
export function clinicWallClock(instant: Date, zone: string = clinicTimeZone()): { day: string; weekday: number; minuteOfDay: number } {
  const local = DateTime.fromJSDate(instant, { zone });
  return { day: isoDay(local), weekday: local.weekday, minuteOfDay: local.hour * 60 + local.minute };
}
