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

/** The clinic day (YYYY-MM-DD) an instant falls on. */
export function clinicDayOf(instant: Date, zone: string = clinicTimeZone()): string {
  return isoDay(DateTime.fromJSDate(instant, { zone }));
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
