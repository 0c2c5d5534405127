import type { PatientAccessFacts } from './policy-client.js';
import { OWNER_KEY } from './record-keys.js';

/** The response key under which the patient subgraph answers the reader's facts with a Patient record. */
export const FACTS_KEY = '__clinicAccess';

const parsed = new WeakMap<object, PatientAccessFacts>();

function factsIn(record: Record<string, unknown> | null | undefined): PatientAccessFacts | undefined {
  const raw = record?.[FACTS_KEY];
  if (typeof raw !== 'string') return undefined;
  const cached = parsed.get(record as object);
  if (cached) return cached;
  const facts = JSON.parse(raw) as PatientAccessFacts;
  parsed.set(record as object, facts);
  return facts;
}

/**
 * The reader's policy facts that travel with a record: a patient's own, or those of the patient an
 * appointment belongs to (inside its owner key). Undefined when the record came without them.
 */
export function carriedAccessFacts(parent: Record<string, unknown> | undefined): PatientAccessFacts | undefined {
  if (!parent) return undefined;
  return factsIn(parent) ?? factsIn(parent[OWNER_KEY] as Record<string, unknown> | null | undefined);
}
