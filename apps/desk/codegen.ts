import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed operations from the committed client-facing schema (schema/api.graphql), no running
 * system needed. `npm run codegen -w @clinic/desk` rewrites src/gql/ (committed; a test fails when
 * it is stale), including persisted-documents.json, the desk's trusted documents manifest.
 */
const config: CodegenConfig = {
  schema: '../../schema/api.graphql',
  documents: ['src/**/*.tsx', 'src/**/*.ts', '!src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' } },
      config: { documentMode: 'string', enumsAsTypes: true, useTypeImports: true, avoidOptionals: false, skipTypename: true },
    },
  },
};
export default config;
