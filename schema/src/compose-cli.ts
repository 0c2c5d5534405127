// Writes schema/supergraph.graphql, or with --check fails when the kept file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { composeSupergraph, supergraphPath } from './compose.js';

const check = process.argv.includes('--check');
const outcome = composeSupergraph();
if (!outcome.ok) {
  console.error(`compose: composition failed:\n${outcome.errors.map((e) => `  - ${e}`).join('\n')}`);
  process.exit(1);
}
if (check) {
  let kept = '';
  try {
    kept = readFileSync(supergraphPath, 'utf8');
  } catch {
    // a missing file is stale too
  }
  if (kept !== outcome.supergraphSdl) {
    console.error('compose: schema/supergraph.graphql is stale; run `npm run compose` and commit it');
    process.exit(1);
  }
  console.log('compose: supergraph is up to date');
} else {
  writeFileSync(supergraphPath, outcome.supergraphSdl);
  console.log(`compose: wrote ${supergraphPath}`);
}
