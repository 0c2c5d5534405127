import type { AuditEventRecord } from '../audit-store/audit-log.js';

export const CSV_COLUMNS = [
  'seq', 'id', 'at', 'actor_id', 'role', 'patient_ids', 'fields', 'decision', 'reason', 'emergency_access_id',
  'operation_name', 'client_name', 'request_id', 'client_request_id', 'rules_version', 'filters',
] as const;

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before one) as a
 * formula: such text is prefixed with an apostrophe, so text typed into a register or chosen by a
 * client never runs in the privacy officer's spreadsheet (OWASP, CSV injection). Every export's CSV goes through here.
 */
export function guardedCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled; a
 * cell a spreadsheet would run as a formula (names the client chose, such as the operation name,
 * can start with one) is disarmed first (`guardedCell`).
 */
export function csvCell(value: string | number | boolean | null): string {
  const text = guardedCell(value);
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
