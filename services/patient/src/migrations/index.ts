import type { MigrationEntry } from '@clinic/service-kit';
import { CreatePatientRecord } from './0001-create-patient-record.js';
import { OneBookingPerPractitionerSlot } from './0002-one-booking-per-practitioner-slot.js';
import { PatientSearchName } from './0003-patient-search-name.js';
import { RectificationRequests } from './0004-rectification-requests.js';
import { MailingList } from './0005-mailing-list.js';
import { RecordsOnTheLegalClock } from './0006-records-on-the-legal-clock.js';
import { CareRelationshipRenewal } from './0007-care-relationship-renewal.js';
import { RestrictionRequests } from './0008-restriction-requests.js';

/** Applied in order; a new schema change is a new file here, never an edit of an applied one. */
export const migrations: MigrationEntry[] = [
  { name: '0001-create-patient-record', class: CreatePatientRecord },
  { name: '0002-one-booking-per-practitioner-slot', class: OneBookingPerPractitionerSlot },
  { name: '0003-patient-search-name', class: PatientSearchName },
  { name: '0004-rectification-requests', class: RectificationRequests },
  { name: '0005-mailing-list', class: MailingList },
  { name: '0006-records-on-the-legal-clock', class: RecordsOnTheLegalClock },
  { name: '0007-care-relationship-renewal', class: CareRelationshipRenewal },
  { name: '0008-restriction-requests', class: RestrictionRequests },
];
