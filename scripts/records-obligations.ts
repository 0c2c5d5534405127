import { writeFileSync } from 'node:fs';
import { renderObligationsTable } from './lib/records-obligations.js';

// Writes docs/records-obligations.md from the list a privacy reviewer follows.
const target = new URL('../docs/records-obligations.md', import.meta.url);
writeFileSync(target, renderObligationsTable());
console.log(`docs:obligations: wrote ${target.pathname}`);
