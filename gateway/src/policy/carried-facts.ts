import type { PatientAccessFacts } from './policy-client.js';
import { accessFactsOf, OWNER_KEY, ownerIdOf, recordIdOf } from './record-keys.js';

const parsed = new WeakMap<object, PatientAccessFacts>();

function factsIn(record: Record<string, unknown> | null | undefined, recordId: string | undefined): PatientAccessFacts | undefined {
  if (!record) return undefined;
  const cached = parsed.get(record);
  if (cached) return cached;
  const facts = accessFactsOf(record, recordId);
  if (facts) parsed.set(record, facts);
  return facts;
}

/**
 * The reader's policy facts that travel with a record: a patient's own, or those of the patient an
 * appointment belongs to (inside its owner key). Undefined when the record came without them.
 */
export function carriedAccessFacts(parent: Record<string, unknown> | undefined): PatientAccessFacts | undefined {
  if (!parent) return undefined;
  return factsIn(parent, recordIdOf(parent)) ?? factsIn(parent[OWNER_KEY] as Record<string, unknown> | null | undefined, ownerIdOf(parent) ?? undefined);
}
