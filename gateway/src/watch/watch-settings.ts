import { clinicTimeZone } from '@clinic/schema';
import { ConfigCheck } from '@clinic/service-kit';

/**
 * THE CLINIC'S WATCH SETTINGS (issue 15): what the watch over allowed reads calls bulk, and when the
 * clinic is open. One reviewed place; each value has an environment override, read through the
 * gateway's configuration (config.ts) and checked at start-up.
 */
export interface WatchSettings {
  /** BULK_READS: a reader opens the records of more than this many distinct patients (WATCH_BULK_PATIENTS)… */
  bulkPatients: number;
  /** …within this many minutes (WATCH_BULK_WINDOW_MINUTES). */
  bulkWindowMinutes: number;
  /** OFF_HOURS: the clinic is open from `opens` to `closes` (clinic time, HH:mm), WATCH_OPENING_HOURS=07:00-21:00… */
  opens: string;
  closes: string;
  /** …on these weekdays, 1 = Monday … 7 = Sunday (WATCH_OPEN_DAYS=1-7 or 1,2,3,4,5). */
  openDays: number[];
  /** The clinic's time zone (CLINIC_TIME_ZONE; the demo clinic's otherwise). */
  timeZone: string;
  /** How often each gateway replica runs the watch over the audit log, in seconds (WATCH_SCAN_INTERVAL_SECONDS); 0 = only on demand. */
  scanIntervalSeconds: number;
}

/**
 * Defaults for a small clinic: a practitioner opens a handful of records an hour, so more than 5
 * distinct records within 15 minutes is worth a look (a larger clinic raises it); the walk-in
 * clinic is open every day from 7:00 to 21:00.
 */
export const DEFAULT_WATCH_SETTINGS: Omit<WatchSettings, 'timeZone'> = {
  bulkPatients: 5,
  bulkWindowMinutes: 15,
  opens: '07:00',
  closes: '21:00',
  openDays: [1, 2, 3, 4, 5, 6, 7],
  scanIntervalSeconds: 60,
};

const HOURS = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

/** Minutes after midnight of an HH:mm time ("24:00" is the end of the day). */
export const minutesOf = (time: string): number => {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

function openDays(raw: string): number[] | undefined {
  const range = /^([1-7])-([1-7])$/.exec(raw);
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    return from <= to ? Array.from({ length: to - from + 1 }, (_, i) => from + i) : undefined;
  }
  const days = raw.split(',').map((d) => d.trim());
  if (days.length === 0 || !days.every((d) => /^[1-7]$/.test(d))) return undefined;
  return [...new Set(days.map(Number))].sort();
}

export function watchSettings(env: NodeJS.ProcessEnv = process.env, given?: ConfigCheck): WatchSettings {
  const check = given ?? new ConfigCheck();
  const settings: WatchSettings = { ...DEFAULT_WATCH_SETTINGS, timeZone: env.CLINIC_TIME_ZONE ?? clinicTimeZone() };
  const integer = (name: string, min: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) {
      check.problem(`${name} must be an integer of at least ${min}, got "${raw}"`);
      return undefined;
    }
    return value;
  };
  settings.bulkPatients = integer('WATCH_BULK_PATIENTS', 1) ?? settings.bulkPatients;
  settings.bulkWindowMinutes = integer('WATCH_BULK_WINDOW_MINUTES', 1) ?? settings.bulkWindowMinutes;
  settings.scanIntervalSeconds = integer('WATCH_SCAN_INTERVAL_SECONDS', 0) ?? settings.scanIntervalSeconds;
  const hours = env.WATCH_OPENING_HOURS;
  if (hours !== undefined) {
    const match = HOURS.exec(hours);
    if (!match || minutesOf(`${match[1]}:${match[2]}`) >= minutesOf(`${match[3]}:${match[4]}`)) check.problem(`WATCH_OPENING_HOURS must look like 07:00-21:00 (opening before closing), got "${hours}"`);
    else [settings.opens, settings.closes] = [`${match[1]}:${match[2]}`, `${match[3]}:${match[4]}`];
  }
  const days = env.WATCH_OPEN_DAYS;
  if (days !== undefined) {
    const parsed = openDays(days);
    if (!parsed) check.problem(`WATCH_OPEN_DAYS must be weekdays 1 (Monday) to 7 (Sunday), as 1-5 or 1,2,3,4,5, got "${days}"`);
    else settings.openDays = parsed;
  }
  if (!given) check.done();
  return settings;
}
