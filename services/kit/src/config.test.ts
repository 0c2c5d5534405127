import { describe, expect, it } from 'vitest';
import { databaseTarget, servicePort } from './config.js';

describe('databaseTarget', () => {
  it('uses the service SQLite file in the data folder by default', () => {
    const target = databaseTarget('patient', { DATA_DIR: '/tmp/clinic-config-test' });
    expect(target).toEqual({ kind: 'sqlite', file: '/tmp/clinic-config-test/patient.sqlite' });
  });

  it('switches to PostgreSQL with the service variable first, then DATABASE_URL', () => {
    expect(databaseTarget('billing', { BILLING_DATABASE_URL: 'postgres://a/b', DATABASE_URL: 'postgres://c/d' })).toEqual({ kind: 'postgresql', url: 'postgres://a/b' });
    expect(databaseTarget('employee', { DATABASE_URL: 'postgresql://c/d' })).toEqual({ kind: 'postgresql', url: 'postgresql://c/d' });
  });

  it('refuses a URL that is not PostgreSQL', () => {
    expect(() => databaseTarget('patient', { DATABASE_URL: 'mysql://x/y' })).toThrow(/postgres/);
  });
});

describe('servicePort', () => {
  it('defaults to the port named in schema/ and accepts an override', () => {
    expect(servicePort('patient', {})).toBe(4001);
    expect(servicePort('billing', { BILLING_PORT: '5003' })).toBe(5003);
    expect(() => servicePort('billing', { BILLING_PORT: 'http' })).toThrow(/BILLING_PORT/);
  });
});
