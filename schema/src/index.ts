export * from './demo-clinic.js';
export * from './clinic-calendar.js';
export * from './subgraphs.js';
export { composeSupergraph, readSupergraphSdl, supergraphPath, type CompositionOutcome } from './compose.js';
export { supergraphFieldsOf } from './supergraph-fields.js';
export { NO_DUTY_NO_RESTRICTION } from './access-facts-wire.js';
