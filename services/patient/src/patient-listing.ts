import type { SqlEntityManager } from '@clinic/service-kit';
import { isWellFormedId } from '@clinic/service-kit';
import { ROLES, type Role } from '@clinic/schema';
import { runBuilt, textStandIn } from './built-statements.js';
import { AccessRestriction } from './entities.js';

/**
 * A patient listing's derived values (its order, its search matches, its count, its cursors) are
 * made of the patients' names. What the gateway decided about the reader from the permission rules
 * comes with the signed request (`extensions.clinicReader`): who reads, and whether their role
 * reads every patient's name. This subgraph adds what only it knows, the restrictions that name the
 * reader, and never lets a name the reader may not read shape what they get:
 *   - the list is ordered by name only for a reader who may read every listed name, else by id;
 *   - a search by name is refused to a reader whose role does not read names, and never matches a
 *     patient whose name is restricted for the reader (so the count does not count them either).
 * A request without these facts comes from a signed caller outside the gateway's rules (the
 * benchmark's baselines): it is answered as before, by name, as this subgraph decides nothing by role.
 */
export interface ListingReader {
  id: string;
  role: Role;
  namesReadable: boolean;
  /** The fields the search text (`searchName`) and the name order are made of, as the rules file names them. */
  nameFields: string[];
}

export function listingReaderOf(facts: unknown): ListingReader | undefined {
  if (typeof facts !== 'object' || facts === null) return undefined;
  const { id, role, namesReadable, nameFields } = facts as Record<string, unknown>;
  if (!isWellFormedId(id) || typeof role !== 'string' || !(ROLES as readonly string[]).includes(role) || typeof namesReadable !== 'boolean') return undefined;
  if (!Array.isArray(nameFields) || nameFields.length === 0 || !nameFields.every((f) => typeof f === 'string' && /^Patient\.\w+$/.test(f))) return undefined;
  return { id, role: role as Role, namesReadable, nameFields: nameFields as string[] };
}

/**
 * Per request: the patients whose names are restricted for a reader at an instant, asked once
 * however many listings the request holds (they all ask for the same reader at the request's time).
 */
export function namesRestrictedLoaders(em: SqlEntityManager) {
  const asked = new Map<string, Promise<string[]>>();
  return (reader: ListingReader, at: Date): Promise<string[]> => {
    const key = JSON.stringify([reader.id, reader.role, reader.nameFields, at.getTime()]);
    let answer = asked.get(key);
    if (!answer) {
      answer = patientsWithNamesRestrictedFor(em, reader, at);
      asked.set(key, answer);
    }
    return answer;
  };
}

/** Patients with an active restriction naming the reader (by id or role) on one of their names: one SQL statement. */
export async function patientsWithNamesRestrictedFor(em: SqlEntityManager, reader: ListingReader, at: Date): Promise<string[]> {
  const standIns = { reader: textStandIn('reader'), role: textStandIn('role'), at: new Date('2000-01-05T15:00:00Z') };
  const rows = await runBuilt(em, 'names-restricted', standIns, { reader: reader.id, role: reader.role, at }, () =>
    em
      .createQueryBuilder(AccessRestriction)
      .select(['patientId', 'fields'])
      .where({
        lifted: false,
        startsAt: { $lte: standIns.at },
        $and: [{ $or: [{ endsAt: null }, { endsAt: { $gt: standIns.at } }] }, { $or: [{ employeeId: standIns.reader }, { role: standIns.role as Role }] }],
      }),
  );
  const fieldsOf = (fields: unknown): string[] => (Array.isArray(fields) ? fields : typeof fields === 'string' ? (JSON.parse(fields) as string[]) : []);
  return [...new Set(rows.filter((r) => fieldsOf(r.fields).some((f) => reader.nameFields.includes(f))).map((r) => String(r.patient_id)))];
}
