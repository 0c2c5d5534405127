import type { AuditEventRecord } from '../audit-store/audit-log.js';

export const CSV_COLUMNS = [
  'seq', 'id', 'at', 'actor_id', 'role', 'patient_ids', 'fields', 'decision', 'reason', 'emergency_access_id',
  'operation_name', 'client_name', 'request_id', 'client_request_id', 'rules_version', 'filters',
] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled. A
 * cell a spreadsheet would run as a formula (starting with = + - @, tab or carriage return: names
 * the client chose, such as the operation name, can) is prefixed with a single quote (OWASP).
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvHeader = () => `${CSV_COLUMNS.join(',')}\r\n`;

/** One event as one CSV line; its patients and fields space-separated. */
export function csvLine(e: AuditEventRecord): string {
  const cells = [
    e.seq, e.id, e.at.toISOString(), e.actorId, e.role, e.patientIds.join(' '), e.fields.join(' '), e.decision, e.reason, e.emergencyAccessId,
    e.operationName, e.clientName, e.requestId, e.clientRequestId, e.rulesVersion, e.filters,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}
