import { linkSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * Creates a file with this content unless it exists, atomically: processes starting together (the
 * subgraphs and the gateway of `npm start`) all end up reading the same complete content.
 */
export function createFileOnce(path: string, content: () => string, mode = 0o600): void {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, content(), { mode });
  try {
    linkSync(temporary, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(temporary);
  }
}
