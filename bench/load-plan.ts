/**
 * What the benchmark adds to the demo clinic: a practice of 500 more patients, each with a full
 * record (allergies, medications, diagnoses, vitals, a document, a note, a care team, invoices), so
 * that the operations return realistic amounts of data and every rule has rows to decide on. The
 * rows are written by load-data.ts (in the subgraphs' process); the operations read these constants.
 */
export const LOAD_PATIENTS = 500;
/**
 * The practice in five lists of 100 (the most one page of `Query.patients` holds): patient i is in
 * list floor(i / 100), found by its search, in the order of i (last names `BenchAlpha000` and on).
 */
export const LIST_SIZE = 100;
export const LIST_SEARCHES = ['BenchAlpha', 'BenchBravo', 'BenchCharlie', 'BenchDelta', 'BenchEcho'] as const;
/** Every load patient (every list), found by this search: the first 100 are the first list. */
export const ALL_SEARCH = 'Bench';
/** Patients 0..WARD_SIZE-1 (the first of the first list) are the ward of the benchmark's nurse (her care assignments). */
export const WARD_SIZE = 20;
export const WARD_SEARCH = LIST_SEARCHES[0];
/** Load patients with an appointment today (15-minute slots, two practitioners). */
export const TODAY_APPOINTMENTS = 30;
/** The physician of record of every load patient, and the nurse of the ward. */
export const PHYSICIAN_ID = 'e-tremblay';
export const WARD_NURSE_ID = 'e-gagnon';
/** A few patients, in every list, restrict the front desk from their phone number (Law 25 right to restrict): per-row decisions are exercised. */
export const RECEPTION_RESTRICTED = [10, 50, 150, 250, 350, 450];

export const pad = (i: number) => String(i).padStart(3, '0');
export const loadPatientId = (i: number) => `p-bench-${pad(i)}`;
/** The list (0..4) a load patient is in, and its last name, which puts it there. */
export const listOf = (i: number) => Math.floor(i / LIST_SIZE);
export const loadLastName = (i: number) => `${LIST_SEARCHES[listOf(i)]}${pad(i)}`;
