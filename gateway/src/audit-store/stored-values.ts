// How the audit store's columns read back. The two backends answer in their own types: SQLite
// epoch milliseconds and JSON text, PostgreSQL Date and parsed JSON; integers may come back as
// strings from PostgreSQL.

export const toDate = (v: unknown) => (v instanceof Date ? v : new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as number | string)));

export const toFields = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as string[]) : (v as string[]));

/** An event's `patient_ids` as stored: a JSON array of ids, or undefined when it is not one (an altered row). */
export function patientsIn(v: unknown): string[] | undefined {
  let list: unknown = v;
  if (typeof v === 'string') {
    try {
      list = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  return Array.isArray(list) && list.every((id) => typeof id === 'string') ? list : undefined;
}
