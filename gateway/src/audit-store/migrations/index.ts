import type { MigrationEntry } from '@clinic/service-kit';
import { CreateAuditStore } from './0001-create-audit-store.js';
import { DestructionRecords } from './0002-destruction-records.js';
import { EventsNameManyPatients } from './0003-events-name-many-patients.js';
import { ChainedRegisters } from './0004-chained-registers.js';
import { IncidentRegisterContent } from './0005-incident-register-content.js';
import { ReviewQueue } from './0006-review-queue.js';
import { WatchCursorTable } from './0007-watch-cursor.js';
import { RulesVersionAndSearchableFields } from './0008-rules-version-and-searchable-fields.js';
import { AccessReview } from './0010-access-review.js';
import { PatientLookupInBatches } from './0011-patient-lookup-in-batches.js';
import { PatientsInTheirEvent } from './0012-patients-in-their-event.js';
import { FieldLookupInBatches } from './0013-field-lookup-in-batches.js';
import { PatientLookupAsPostings } from './0014-patient-lookup-as-postings.js';

/** Applied in order; a new schema change is a new file here, never an edit of an applied one. */
export const auditStoreMigrations: MigrationEntry[] = [
  { name: '0001-create-audit-store', class: CreateAuditStore },
  { name: '0002-destruction-records', class: DestructionRecords },
  { name: '0003-events-name-many-patients', class: EventsNameManyPatients },
  { name: '0004-chained-registers', class: ChainedRegisters },
  { name: '0005-incident-register-content', class: IncidentRegisterContent },
  { name: '0006-review-queue', class: ReviewQueue },
  { name: '0007-watch-cursor', class: WatchCursorTable },
  { name: '0008-rules-version-and-searchable-fields', class: RulesVersionAndSearchableFields },
  { name: '0010-access-review', class: AccessReview },
  { name: '0011-patient-lookup-in-batches', class: PatientLookupInBatches },
  { name: '0012-patients-in-their-event', class: PatientsInTheirEvent },
  { name: '0013-field-lookup-in-batches', class: FieldLookupInBatches },
  { name: '0014-patient-lookup-as-postings', class: PatientLookupAsPostings },
];
