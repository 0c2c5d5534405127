import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Relative link targets of a Markdown file (web and mail links, and in-page anchors, left out). */
function relativeLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1] as string)
    .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'))
    .map((target) => target.split('#')[0] as string);
}

describe('the repository is complete on its own', () => {
  it('has no README or docs link that points outside the repository or at a missing file', () => {
    for (const doc of ['README.md', 'docs/SPEC.md', 'docs/access-matrix.md']) {
      const file = join(ROOT, doc);
      for (const target of relativeLinks(file)) {
        const resolved = resolve(dirname(file), target);
        expect(relative(ROOT, resolved).startsWith('..'), `${doc} links outside the repository: ${target}`).toBe(false);
        expect(existsSync(resolved), `${doc} links to a missing file: ${target}`).toBe(true);
      }
    }
  });

  it('has a LICENSE file with the licence package.json declares (Apache-2.0)', () => {
    const declared = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string }).license;
    expect(declared).toBe('Apache-2.0');
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(license).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(license).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(license).toContain('END OF TERMS AND CONDITIONS');
  });
});
