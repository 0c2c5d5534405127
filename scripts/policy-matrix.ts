// `npm run policy:matrix`: writes docs/access-matrix.md from the permission rules file.
import { writeFileSync } from 'node:fs';
import { accessMatrixPath, currentAccessMatrix } from '@clinic/gateway';

writeFileSync(accessMatrixPath, currentAccessMatrix());
console.log(`policy:matrix: wrote ${accessMatrixPath}`);
