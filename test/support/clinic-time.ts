/**
 * Clinic wall-clock arithmetic for the tests, written on the platform's Intl only so that the
 * expectations do not reuse the calendar code under test. The demo clinic is in America/Toronto.
 */
export const CLINIC_ZONE = 'America/Toronto';

const wallClock = new Intl.DateTimeFormat('en-CA', {
  timeZone: CLINIC_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hourCycle: 'h23',
});

function parts(instant: Date): Record<string, string> {
  return Object.fromEntries(wallClock.formatToParts(instant).map((p) => [p.type, p.value]));
}

/** The clinic day (YYYY-MM-DD) an instant falls on. */
export function clinicDay(instant: Date | string): string {
  const p = parts(new Date(instant));
  return `${p.year}-${p.month}-${p.day}`;
}

/** Today in the clinic. */
export function clinicToday(): string {
  return clinicDay(new Date());
}

/** The clinic wall-clock time (HH:mm:ss.SSS) of an instant. */
export function clinicClock(instant: Date | string): string {
  const p = parts(new Date(instant));
  return `${p.hour}:${p.minute}:${p.second}.${p.fractionalSecond}`;
}

/** "YYYY-MM-DD HH:mm:ss.SSS" on the clinic's wall clock. */
export function inClinic(instant: Date | string): string {
  return `${clinicDay(instant)} ${clinicClock(instant)}`;
}

/** The calendar day `days` after `day` (both YYYY-MM-DD). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Where a seeding day offset lands on the clinic's wall clock: same time of day, `offset` days from the anchor. */
export function seededAt(anchor: Date, offset: number): string {
  return `${addDays(clinicDay(anchor), offset)} ${clinicClock(anchor)}`;
}

/** The clinic's UTC offset on a day (e.g. "-05:00" in winter, "-04:00" in summer), taken at noon. */
export function clinicOffset(day: string): string {
  const name = new Intl.DateTimeFormat('en-CA', { timeZone: CLINIC_ZONE, timeZoneName: 'longOffset' })
    .formatToParts(new Date(`${day}T12:00:00Z`))
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = name?.match(/^GMT([+-]\d{2}:\d{2})$/);
  if (!match?.[1]) throw new Error(`no UTC offset for ${day}: ${name}`);
  return match[1];
}

/** An ISO-8601 instant with the clinic's offset for a wall-clock time (HH:mm) on a clinic day. */
export function clinicInstant(day: string, time: string): string {
  return `${day}T${time}:00${clinicOffset(day)}`;
}
