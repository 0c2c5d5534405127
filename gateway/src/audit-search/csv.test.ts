import { describe, expect, it } from 'vitest';
import { csvCell, csvHeader, csvLine } from './csv.js';

describe('the CSV export of the audit log', () => {
  it.each<[string | number | null, string]>([
    ['plain', 'plain'],
    [null, ''],
    [42, '42'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    // Formula injection (OWASP): a leading = + - @ tab or CR is defused with a quote.
    ['=1+1', "'=1+1"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
  ])('writes %j as %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('writes one line per event, its patients and fields space-separated, with a header of the same columns', () => {
    const line = csvLine({
      seq: 7, id: 'ev-7', at: new Date('2026-11-30T10:00:00Z'), actorId: 'e-roy', role: 'RECEPTIONIST', patientIds: ['p-a', 'p-b'], fields: ['Patient.lastName', 'Query.patient'],
      decision: 'ALLOW', reason: null, emergencyAccessId: null, operationName: '-x', clientName: 'desk', requestId: 'req-1', clientRequestId: null, rulesVersion: 'sha256:ab', filters: null,
    });
    expect(line).toBe("7,ev-7,2026-11-30T10:00:00.000Z,e-roy,RECEPTIONIST,p-a p-b,Patient.lastName Query.patient,ALLOW,,,'-x,desk,req-1,,sha256:ab,\r\n");
    expect(csvHeader().split(',')).toHaveLength(line.split(',').length);
  });
});
