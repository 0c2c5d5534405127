import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../codegen';

const deskRoot = fileURLToPath(new URL('..', import.meta.url));

describe("the desk's generated operations (src/gql/)", () => {
  it('are what GraphQL Code Generator writes from schema/api.graphql today (run `npm run codegen -w @clinic/desk` when this fails)', async () => {
    const files = (await generate({ ...config, cwd: deskRoot, silent: true }, false)) as { filename: string; content: string }[];
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(join(deskRoot, file.filename), 'utf8'), file.filename).toBe(file.content);
  });

  it('register every operation as a trusted document named by the SHA-256 of its text', async () => {
    const { createHash } = await import('node:crypto');
    const manifest = JSON.parse(readFileSync(join(deskRoot, 'src/gql/persisted-documents.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(manifest).length).toBeGreaterThanOrEqual(25);
    for (const [id, text] of Object.entries(manifest)) expect(id).toBe(`sha256:${createHash('sha256').update(text).digest('hex')}`);
  });
});
