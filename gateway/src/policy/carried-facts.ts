import type { PatientAccessFacts } from './policy-client.js';
import { accessFactsOf, OWNER_KEY, ownerIdOf, recordIdOf } from './record-keys.js';

/**
 * The reader's policy facts that travel with a record: a patient's own, or those of the patient an
 * appointment belongs to (inside its owner key). Undefined when the record came without them.
 * Read once per patient and response: the request's policy keeps them (RequestPolicy.factsNow).
 */
export function carriedAccessFacts(parent: Record<string, unknown> | undefined): PatientAccessFacts | undefined {
  if (!parent) return undefined;
  const owner = parent[OWNER_KEY] as Record<string, unknown> | null | undefined;
  return accessFactsOf(parent, recordIdOf(parent)) ?? (owner ? accessFactsOf(owner, ownerIdOf(parent) ?? undefined) : undefined);
}
