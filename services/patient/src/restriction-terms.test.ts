import { describe, expect, it } from 'vitest';
import { checkedRestrictionTerms } from './restriction-terms.js';

// 10:00 in Toronto (EST, UTC-5), the demo clinic's time zone.
const at = new Date('2026-01-15T15:00:00Z');
const base = { role: 'RECEPTIONIST', fields: ['Patient.phone'], reason: 'A neighbour works at the desk' };

describe('the terms of a restriction (SPEC §6)', () => {
  it('reads a from day from its start and includes the whole to day, on the clinic calendar', () => {
    const checked = checkedRestrictionTerms({ ...base, from: '2026-02-01', to: '2026-02-28' }, at);
    expect(checked).toMatchObject({ ok: true, terms: { from: '2026-02-01T05:00:00.000Z', to: '2026-03-01T05:00:00.000Z' } });
  });

  it('takes instants with a time zone, and refuses one without', () => {
    expect(checkedRestrictionTerms({ ...base, to: '2026-02-01T12:00:00-05:00' }, at)).toMatchObject({ ok: true, terms: { from: null, to: '2026-02-01T17:00:00.000Z' } });
    expect(checkedRestrictionTerms({ ...base, to: '2026-02-01T12:00:00' }, at)).toMatchObject({ ok: false, argument: 'to' });
    expect(checkedRestrictionTerms({ ...base, to: '2031-03-10T10:00:00+99:99' }, at)).toMatchObject({ ok: false, argument: 'to' });
    expect(checkedRestrictionTerms({ ...base, to: '2031-02-30' }, at)).toMatchObject({ ok: false, argument: 'to' });
  });

  it('refuses an end before the start or in the past, and names exactly one subject', () => {
    expect(checkedRestrictionTerms({ ...base, from: '2026-02-02', to: '2026-02-01' }, at)).toMatchObject({ ok: false, argument: 'to' });
    expect(checkedRestrictionTerms({ ...base, to: '2026-01-14' }, at)).toMatchObject({ ok: false, argument: 'to' });
    expect(checkedRestrictionTerms({ ...base, employeeId: 'e-roy' }, at)).toMatchObject({ ok: false, argument: 'employeeId' });
    expect(checkedRestrictionTerms({ fields: base.fields, reason: base.reason }, at)).toMatchObject({ ok: false, argument: 'employeeId' });
    expect(checkedRestrictionTerms({ ...base, fields: 'Patient.phone' }, at)).toMatchObject({ ok: false, argument: 'fields' });
  });
});
