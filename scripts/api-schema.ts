// Writes schema/api.graphql, the client-facing schema typed clients generate their code from.
import { writeFileSync } from 'node:fs';
import { apiSchemaPath, apiSchemaSdl } from '@clinic/gateway';

writeFileSync(apiSchemaPath, apiSchemaSdl());
console.log(`api-schema: wrote ${apiSchemaPath}`);
