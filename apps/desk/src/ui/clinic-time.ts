/**
 * The desk shows and takes days and times as the clinic's, in its time zone (config.json's
 * `timeZone`), whatever the zone of the computer it runs on: a receptionist books 14:30 at the
 * clinic, not 14:30 where the browser thinks it is. Without a zone, the browser's is used.
 */
let clinicZone: string | undefined;

/** Set once the desk has read its configuration. */
export function setClinicTimeZone(zone: string | undefined): void {
  clinicZone = zone;
}

/** A date and time for display, in the clinic's zone. */
export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString('en-CA', { dateStyle: 'medium', timeStyle: 'short', timeZone: clinicZone }) : '');

/** Today in the clinic's zone (YYYY-MM-DD). */
export const clinicToday = (now: Date = new Date()) => now.toLocaleDateString('en-CA', { timeZone: clinicZone });

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: number, zone: string | undefined): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant of a wall-clock time at the clinic (a `datetime-local` value, YYYY-MM-DDTHH:mm), as
 * ISO-8601; undefined for anything else. A time the clock skips (spring forward) lands an hour
 * later; a time it shows twice (fall back) is the first.
 */
export function clinicInstant(local: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return undefined;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  if (Number.isNaN(asUtc)) return undefined;
  // The offset at a first guess, then at the instant it gives: they differ only near a change of offset.
  const first = asUtc - offsetAt(asUtc, clinicZone);
  const second = asUtc - offsetAt(first, clinicZone);
  const shows = (instant: number) => instant + offsetAt(instant, clinicZone) === asUtc;
  // In an hour the clock skips, no instant shows this time: the later reading (as Temporal's "compatible").
  const instant = shows(second) ? second : shows(first) ? first : Math.max(first, second);
  return new Date(instant).toISOString();
}
