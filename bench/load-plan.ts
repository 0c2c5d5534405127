/**
 * What the benchmark adds to the demo clinic: a practice of 100 more patients, each with a full
 * record (allergies, medications, diagnoses, vitals, a document, a note, a care team, invoices), so
 * that the operations return realistic amounts of data and every rule has rows to decide on. The
 * rows are written by load-data.ts (in the subgraphs' thread); the operations read these constants.
 */
export const LOAD_PATIENTS = 100;
/** Patients 0..WARD_SIZE-1 are the ward of the benchmark's nurse (her care assignments), found by this search. */
export const WARD_SIZE = 20;
export const WARD_SEARCH = 'Benchward';
/** Every load patient (ward and the others), found by this search. */
export const ALL_SEARCH = 'Bench';
/** Load patients with an appointment today (15-minute slots, two practitioners). */
export const TODAY_APPOINTMENTS = 30;
/** The physician of record of every load patient, and the nurse of the ward. */
export const PHYSICIAN_ID = 'e-tremblay';
export const WARD_NURSE_ID = 'e-gagnon';
/** A few patients restrict the front desk from their phone number (Law 25 right to restrict): per-row decisions are exercised. */
export const RECEPTION_RESTRICTED = [10, 50];

export const pad = (i: number) => String(i).padStart(3, '0');
export const loadPatientId = (i: number) => `p-bench-${pad(i)}`;
