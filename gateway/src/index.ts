export { startGateway, type GatewayOptions, type RunningGateway } from './create-gateway.js';
export { gatewayConfig, DEFAULT_EMPLOYMENT_RECHECK_MS, type GatewayConfig } from './config.js';
export { tokenVerifierConfig } from './identity/identity-config.js';
export type { GatewayContext } from './context.js';
export { loadOrCreateDevKeys, DEV_AUDIENCE, DEV_ISSUER, DEV_ALGORITHM, type DevKeyPair } from './identity/dev-keys.js';
export { demoUser, demoUsers, mintDevToken, type DemoUser } from './identity/dev-tokens.js';
export { RequestPolicy } from './policy/request-policy.js';
export { CLINIC_POLICY } from './policy/clinic-policy.js';
export { explainDecision } from './policy/explain.js';
export type { PolicyClient, PatientAccessFacts } from './policy/policy-client.js';
export { accessMatrixPath, currentAccessMatrix } from './policy/matrix-file.js';
export { RULES, ROW_FILTERS, PATIENT_ACCESS, EMPLOYEE_ACCESS, PATIENT_FIELD_CATEGORY, EMPLOYEE_FIELD_CATEGORY, REQUIRES_MFA } from './permissions.js';
export { EMPLOYMENT_ENDS_KEY, RECORD_KEY } from './policy/record-keys.js';
export { openAuditStore, type AuditStore } from './audit-store/audit-store.js';
export { apiSchemaPath, apiSchemaSdl, committedApiSchema } from './api-schema.js';
export { loadTrustedDocuments, sha256 } from './plugins/trusted-documents.js';
export { corsOrigins } from './plugins/cors.js';
export { readableBy, whoCanRead } from './policy/reverse-lookups.js';
export { seedAuditHistory } from './audit-store/audit-history-seed.js';
export { REVIEW_KIND, REVIEW_KINDS, type ReviewKind } from './audit-store/review-queue.js';
export { watchSettings, DEFAULT_WATCH_SETTINGS, type WatchSettings } from './watch/watch-settings.js';
export { ReadWatch } from './watch/read-watch.js';
export {
  checkAgainstCheckpoints,
  readPrivateKey,
  readPublicKey,
  takeCheckpoint,
  writeCheckpoint,
  writeKeyPair,
  type CheckpointResult,
  type SignedCheckpoint,
} from './audit-store/checkpoints.js';
