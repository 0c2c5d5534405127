import { csvCell } from './audit-search/csv.js';
import type { ChainedEntry } from './audit-store/chained-register.js';
import type { Incident } from './audit-store/entities.js';
import { INCIDENT_FIELD_NAMES, type IncidentHistoryEntry } from './audit-store/incident-register.js';

export const REGISTER_EXPORT_FORMATS = ['CSV', 'JSON'] as const;
export type RegisterExportFormat = (typeof REGISTER_EXPORT_FORMATS)[number];

/** The columns of the register, in the order the Commission's list reads (SPEC §9 fields among them). */
export const INCIDENT_EXPORT_COLUMNS = ['id', 'kind', ...INCIDENT_FIELD_NAMES, 'createdAt'] as const;

const cellOf = (value: unknown): string | number | boolean | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.join(' ');
  return value as string | number | boolean;
};

/** The register as CSV (RFC 4180: every cell quoted where needed, quotes doubled, CRLF rows) or as JSON with each entry's history. */
export function incidentRegisterDocument(format: RegisterExportFormat, incidents: readonly Incident[], history: readonly ChainedEntry<IncidentHistoryEntry>[], exportedAt: Date) {
  const day = exportedAt.toISOString().slice(0, 10);
  const rows = incidents.map((incident) => Object.fromEntries(INCIDENT_EXPORT_COLUMNS.map((column) => [column, cellOf((incident as Record<string, unknown>)[column])])));
  if (format === 'CSV') {
    const lines = [[...INCIDENT_EXPORT_COLUMNS], ...rows.map((row) => INCIDENT_EXPORT_COLUMNS.map((column) => row[column] ?? null))];
    const content = lines.map((cells) => `${cells.map(csvCell).join(',')}\r\n`).join('');
    return { format, contentType: 'text/csv; charset=utf-8', filename: `incident-register-${day}.csv`, entries: incidents.length, content };
  }
  const entries = incidents.map((incident, i) => ({
    ...rows[i],
    categories: incident.categories,
    history: history
      .filter((e) => e.subjectId === incident.id)
      .map((e) => ({ id: e.id, at: e.at.toISOString(), action: e.entry.action, by: e.entry.by, byRole: e.entry.byRole, changes: e.entry.changes, hash: e.hash })),
  }));
  const content = JSON.stringify({ register: 'confidentiality-incidents', exportedAt: exportedAt.toISOString(), entries }, null, 2);
  return { format, contentType: 'application/json', filename: `incident-register-${day}.json`, entries: incidents.length, content };
}
