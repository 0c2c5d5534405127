export * from './demo-clinic.js';
export * from './clinic-calendar.js';
export * from './subgraphs.js';
export { composeSupergraph, readSupergraphSdl, supergraphPath, type CompositionOutcome } from './compose.js';
export { supergraphFieldsOf } from './supergraph-fields.js';
