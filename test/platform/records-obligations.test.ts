import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RECORD_OBLIGATIONS, renderObligationsTable } from '../../scripts/lib/records-obligations.js';

const root = new URL('../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');
// The clinics' policies live beside the repository on a reviewer's machine (SEEDS_DIR overrides).
const seedsDir = process.env.SEEDS_DIR ?? '/work/shared/seeds';
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('the records obligations table (docs/records-obligations.md)', () => {
  it('is the rendering of the list in scripts/lib/records-obligations.ts', () => {
    expect(read('docs/records-obligations.md')).toBe(renderObligationsTable());
  });

  it.each(RECORD_OBLIGATIONS.map((o) => [o.obligation, o] as const))('names a feature and a test that exist: %s', (_, o) => {
    expect(read(o.feature.file), o.feature.file).toContain(o.feature.symbol);
    expect(read(o.test.file), o.test.file).toContain(o.test.name);
  });

  it.runIf(existsSync(seedsDir))('quotes each seed verbatim', () => {
    for (const o of RECORD_OBLIGATIONS) expect(flat(readFileSync(`${seedsDir}/${o.seed}`, 'utf8')), o.quote).toContain(flat(o.quote));
  });
});
