import { describe, expect, it } from 'vitest';
import type { Incident } from './audit-store/entities.js';
import { guardedCell } from './audit-search/csv.js';
import { INCIDENT_EXPORT_COLUMNS, incidentRegisterDocument } from './incident-register-export.js';

const at = new Date('2026-11-21T15:00:00Z');
const incident = (fields: Partial<Incident>): Incident =>
  ({
    id: 'inc-1', kind: 'MANUAL', description: null, circumstances: null, occurredAt: null, occurredFrom: null, occurredTo: null, occurredApproximately: null,
    discoveredAt: at, categories: [], personsConcerned: null, personsConcernedApproximate: null, seriousRisk: null, seriousRiskReasons: null, caiNotifiedAt: null,
    personsNotifiedAt: null, publicNoticeAt: null, publicNoticeReason: null, measures: null, status: 'OPEN', actorId: null, emergencyAccessId: null, createdAt: at,
    ...fields,
  }) as Incident;

describe('the incident register export', () => {
  it('disarms every cell a spreadsheet would run as a formula, and nothing else', () => {
    for (const text of ['=1+1', '+33', '-2', '@SUM(A1)', '\t=1', '\r=1']) expect(guardedCell(text)).toBe(`'${text}`);
    for (const text of ['Fax sent', '2026-11-21T15:00:00.000Z', 'a=b', '']) expect(guardedCell(text)).toBe(text);
    expect(guardedCell(40)).toBe('40');
    expect(guardedCell(null)).toBe('');
  });

  it('writes RFC 4180 CSV: a header, one CRLF row per entry, quotes doubled, commas and line breaks quoted', () => {
    const doc = incidentRegisterDocument('CSV', [incident({ description: 'Fax "lost", twice\nthen found', categories: ['CLINICAL', 'CONTACT'], personsConcerned: 3 })], [], at);
    expect(doc).toMatchObject({ format: 'CSV', entries: 1, filename: 'incident-register-2026-11-21.csv' });
    const [header, ...rest] = doc.content.split('\r\n');
    expect(header).toBe(INCIDENT_EXPORT_COLUMNS.join(','));
    expect(rest.join('\r\n')).toBe(`inc-1,MANUAL,"Fax ""lost"", twice\nthen found",,,,,,${at.toISOString()},CLINICAL CONTACT,3,,,,,,,,,OPEN,${at.toISOString()}\r\n`);
  });

  it('writes JSON with the categories as a list and each entry with its own history', () => {
    const history = [
      { register: 'incident-history', seq: 1, id: 'ih-1', at, subjectId: 'inc-1', prevHash: 'g', hash: 'h1', entry: { action: 'REPORTED' as const, incidentId: 'inc-1', by: 'e-fortin', byRole: 'PRIVACY_OFFICER', changes: [{ field: 'status', value: 'OPEN' }] } },
      { register: 'incident-history', seq: 2, id: 'ih-2', at, subjectId: 'inc-2', prevHash: 'h1', hash: 'h2', entry: { action: 'REPORTED' as const, incidentId: 'inc-2', by: 'e-fortin', byRole: 'PRIVACY_OFFICER', changes: [] } },
    ];
    const doc = incidentRegisterDocument('JSON', [incident({ categories: ['CLINICAL'] })], history, at);
    const parsed = JSON.parse(doc.content) as { entries: { categories: string[]; history: { id: string; action: string; hash: string }[] }[] };
    expect(parsed.entries[0]?.categories).toEqual(['CLINICAL']);
    expect(parsed.entries[0]?.history).toEqual([expect.objectContaining({ id: 'ih-1', action: 'REPORTED', hash: 'h1' })]);
  });
});
