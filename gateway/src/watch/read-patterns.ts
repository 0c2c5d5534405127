import { clinicWallClock } from '@clinic/schema';
import { REVIEW_KIND, type ReviewCase } from '../audit-store/review-queue.js';
import { minutesOf, type WatchSettings } from './watch-settings.js';

/** An allowed access of a staff member to patients' records, as the audit log holds it. */
export interface WatchedRead {
  seq: number;
  at: Date;
  actorId: string;
  role: string;
  patientId: string;
  fields: readonly string[];
}

/**
 * What the watch compares, never the values themselves: the subgraphs answer digests of the
 * folded last name and address (`matchKey`), so equal digests mean "the same", and nothing else
 * leaves them.
 */
export interface ReaderFacts {
  lastNameKey: string | null;
  addressKey: string | null;
}

export interface PatientWatchFacts {
  /** The employee this patient record belongs to (staff who are also patients), linked at registration. */
  employeeId: string | null;
  /** Flagged sensitive by the privacy officer. */
  sensitive: boolean;
  lastNameKey: string | null;
  addressKey: string | null;
}

export interface WatchFacts {
  readers: ReadonlyMap<string, ReaderFacts>;
  patients: ReadonlyMap<string, PatientWatchFacts>;
}

/** Reading these is finding a patient in the directory, not opening their record (bulk counts records opened). */
const DIRECTORY_FIELDS: ReadonlySet<string> = new Set(['Patient.id', 'Patient.firstName', 'Patient.lastName']);
const opensTheRecord = (read: WatchedRead) => read.fields.some((f) => !DIRECTORY_FIELDS.has(f));

/**
 * The cases the reads show (issue 15), one per pattern and case whatever the number of reads:
 * a case is named by its pattern, reader, patient (when it is about one) and clinic day, so more
 * reads of it that day, or the same reads seen again, name the same case. `reads` may include reads
 * seen before (the bulk window looks back); their cases are named the same and open nothing twice.
 */
export function detectCases(reads: readonly WatchedRead[], facts: WatchFacts, settings: WatchSettings): ReviewCase[] {
  const cases = new Map<string, ReviewCase>();
  const add = (c: ReviewCase) => {
    const seen = cases.get(c.caseKey);
    if (!seen) cases.set(c.caseKey, c);
    else seen.patientIds = [...new Set([...seen.patientIds, ...c.patientIds])].sort();
  };
  const opens = minutesOf(settings.opens);
  const closes = minutesOf(settings.closes);
  for (const read of reads) {
    const clock = clinicWallClock(read.at, settings.timeZone);
    const who = `Reader ${read.actorId} (${read.role})`;
    const one = (kind: ReviewCase['kind'], trigger: string): ReviewCase => ({
      kind,
      caseKey: `${kind}:${read.actorId}:${read.patientId}:${clock.day}`,
      openedAt: read.at,
      actorId: read.actorId,
      patientIds: [read.patientId],
      trigger,
    });
    const patient = facts.patients.get(read.patientId);
    const reader = facts.readers.get(read.actorId);
    if (patient?.employeeId === read.actorId) {
      add(one(REVIEW_KIND.ownRecord, `${who} accessed their own patient record ${read.patientId}`));
    } else {
      if (patient?.employeeId) add(one(REVIEW_KIND.coworkerRecord, `${who} accessed patient record ${read.patientId} of employee ${patient.employeeId}`));
      if (reader?.lastNameKey && reader.lastNameKey === patient?.lastNameKey) add(one(REVIEW_KIND.sameLastName, `${who} accessed patient record ${read.patientId} of a patient with the same last name`));
      if (reader?.addressKey && reader.addressKey === patient?.addressKey) add(one(REVIEW_KIND.sameAddress, `${who} accessed patient record ${read.patientId} of a patient with the same address`));
    }
    if (patient?.sensitive) add(one(REVIEW_KIND.sensitiveRecord, `${who} accessed patient record ${read.patientId}, flagged sensitive`));
    const open = settings.openDays.includes(clock.weekday) && clock.minuteOfDay >= opens && clock.minuteOfDay < closes;
    if (!open) {
      add({
        kind: REVIEW_KIND.offHours,
        caseKey: `${REVIEW_KIND.offHours}:${read.actorId}:${clock.day}`,
        openedAt: read.at,
        actorId: read.actorId,
        patientIds: [read.patientId],
        trigger: `${who} accessed patient records outside opening hours (${settings.opens}-${settings.closes}, clinic time) on ${clock.day}`,
      });
    }
  }
  for (const c of bulkCases(reads, settings)) add(c);
  return [...cases.values()];
}

/** BULK_READS: more than `bulkPatients` distinct records opened by one reader within a sliding window; one case per reader and clinic day. */
function bulkCases(reads: readonly WatchedRead[], settings: WatchSettings): ReviewCase[] {
  const windowMs = settings.bulkWindowMinutes * 60_000;
  const byReader = new Map<string, WatchedRead[]>();
  for (const read of reads) {
    if (!opensTheRecord(read)) continue;
    const list = byReader.get(read.actorId);
    if (list) list.push(read);
    else byReader.set(read.actorId, [read]);
  }
  const cases: ReviewCase[] = [];
  for (const [actorId, list] of byReader) {
    list.sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq);
    const inWindow = new Map<string, number>();
    const flaggedDays = new Set<string>();
    let start = 0;
    for (const read of list) {
      for (let leaving = list[start]; leaving && leaving.at.getTime() <= read.at.getTime() - windowMs; leaving = list[start]) {
        const left = (inWindow.get(leaving.patientId) ?? 1) - 1;
        if (left === 0) inWindow.delete(leaving.patientId);
        else inWindow.set(leaving.patientId, left);
        start += 1;
      }
      inWindow.set(read.patientId, (inWindow.get(read.patientId) ?? 0) + 1);
      if (inWindow.size <= settings.bulkPatients) continue;
      const day = clinicWallClock(read.at, settings.timeZone).day;
      if (flaggedDays.has(day)) continue;
      flaggedDays.add(day);
      cases.push({
        kind: REVIEW_KIND.bulkReads,
        caseKey: `${REVIEW_KIND.bulkReads}:${actorId}:${day}`,
        openedAt: read.at,
        actorId,
        patientIds: [...inWindow.keys()].sort(),
        trigger: `Reader ${actorId} (${read.role}) opened the records of ${inWindow.size} patients within ${settings.bulkWindowMinutes} minutes (more than ${settings.bulkPatients})`,
      });
    }
  }
  return cases;
}
