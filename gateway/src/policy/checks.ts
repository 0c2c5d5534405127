import { assertId } from '@clinic/service-kit';
import type { Role } from '@clinic/schema';
import type { DutyKind, PatientAccessFacts } from './policy-client.js';
import { employmentEndOf, ownerIdOf, recordIdOf } from './record-keys.js';
import { allow, deny, type DenialReason, type Verdict } from './verdict.js';

/**
 * The vocabulary of the permission rules file. A rule is a list of checks; each check is compiled
 * once, at start-up, for every (role, two-factor) pair into a Step (compiled-policy.ts): it passes
 * or refuses whatever the row, or it asks a synchronous question of the row's policy facts.
 */

/** Who a rule is compiled for: a role (with or without two-factor authentication), or nobody. */
export interface Reader {
  role: Role | undefined;
  mfa: boolean;
  /** `Type.field` the rule guards. */
  coordinate: string;
}

/** What a row step sees: the object being resolved, its arguments, the viewer and the patient's facts. */
export interface RowInput {
  viewerId: string;
  parent: Record<string, unknown> | undefined;
  args: Record<string, unknown>;
  /** The patient the rule's target named (undefined: none, e.g. an id that names no patient). */
  patientId: string | undefined;
  /** The reader's policy facts toward that patient (loaded once per response). */
  facts: PatientAccessFacts | undefined;
  /** The reader's open emergency accesses, by patient; undefined until a step asked for them. */
  emergency: ReadonlyMap<string, OpenEmergencyAccess> | undefined;
  /** The clinic day of the request (YYYY-MM-DD), once per request. */
  today: string;
}

/** An emergency access open for the viewer toward one patient. */
export interface OpenEmergencyAccess {
  id: string;
  patientId: string;
  expiresAt: Date;
}

/** A row step answers this when it needs the reader's emergency accesses (loaded once per request on demand). */
export const NEEDS_EMERGENCY_ACCESSES = Symbol('needs emergency accesses');

export type Step =
  | { kind: 'pass'; because: string }
  | { kind: 'deny'; reason: DenialReason; because: string }
  | {
      kind: 'row';
      /** What must hold, as the access matrix says it ("with duty", "unless restricted"). */
      condition: string;
      /** The patient whose facts the step reads; none for steps that read only the arguments. */
      target: PatientTarget | undefined;
      /**
       * Declared by a step whose verdict does not depend on the target's policy facts (duties,
       * restrictions): only the patient's id. Such facts are then not fetched for it. Absent, the
       * step reads them: forgetting the declaration costs a look-up, never a wrong verdict.
       */
      factsFree?: true;
      test(input: RowInput): Verdict | typeof NEEDS_EMERGENCY_ACCESSES;
      /** For `policy:explain` only: the verdict's reason with the facts behind it (which duty, which restriction). */
      explain?(input: RowInput, verdict: Verdict): string;
    };

/** One named step of a rule. The name is what reviewers read in the matrix and `policy:explain`. */
export interface Check {
  name: string;
  compile(reader: Reader): Step;
  /** The category of information the check guards, when it guards one (shown in the access matrix). */
  category?: string;
  /** Declared by `auditedUnder`: decisions of this rule are recorded in the audit log under that patient. */
  audits?: PatientTarget;
  /** The restriction names a check matches (start-up refuses one that names no field). */
  restrictionNames?: readonly string[];
  /** Allows every reader and records nothing: the field needs no wrapper at run time. */
  decidesNothing?: true;
}

/** What a target needs from the request to find its patient without waiting, or with a batched look-up. */
export interface TargetScope {
  viewerId: string | undefined;
  viewerRole: Role | undefined;
  appointmentOwner(id: string): Promise<string | undefined>;
  invoiceOwner(id: string): Promise<string | undefined>;
  rectificationOwner(id: string): Promise<string | undefined>;
  restrictionOwner(id: string): Promise<string | undefined>;
  patientExists(id: string): Promise<boolean>;
}

/**
 * Which patient a field belongs to. `now` answers at once when the record carries it (its record or
 * owner key); `resolve` may look it up (batched). Targets read from the record must find it (a
 * missing key is refused); targets named by an argument may name nothing (the subgraph refuses).
 */
export interface PatientTarget {
  describe: string;
  fromArgument: boolean;
  /** The patient id at once, or `LOOK_UP` when only `resolve` can tell. */
  now(parent: Record<string, unknown> | undefined, args: Record<string, unknown>, scope: TargetScope): string | undefined | typeof LOOK_UP;
  resolve(parent: Record<string, unknown> | undefined, args: Record<string, unknown>, scope: TargetScope): Promise<string | undefined>;
  /**
   * The patient a patient id argument names, as given (malformed: BAD_USER_INPUT), before anyone
   * knows whether the patient exists. Only `thePatientArgument` has it.
   */
  namedPatientId?(args: Record<string, unknown>): string;
}
export const LOOK_UP = Symbol('look up');

/** A condition under which a role reads a category of a patient's record. */
export interface Condition {
  name: string;
  describe: string;
  /** Compiled for one field: always true, never, or a question for the row. */
  compile(
    reader: Reader,
  ):
    | { kind: 'pass' }
    | { kind: 'deny'; reason: DenialReason; because: string }
    | { kind: 'row'; factsFree?: true; test(input: RowInput): Verdict | typeof NEEDS_EMERGENCY_ACCESSES; explain?(input: RowInput, verdict: Verdict): string };
}

// Verdicts are plain immutable data, made once: a decision on a row allocates nothing.
const GRANTED_FOR_EVERY_PATIENT = allow('granted to the role for every patient');
const ON_DUTY = allow('duty toward the patient');
const ON_DUTY_BY_EMERGENCY = allow('duty toward the patient through an open emergency access');
const OWN_RECORD = allow('the patient reads their own record');
const NOT_OWN_RECORD = deny('ROLE', 'a patient reads only their own record');
const UNRESTRICTED = allow('no restriction names the reader for this field');
const RESTRICTED = deny('RESTRICTED', 'a restriction of the patient names the reader for this field');
const RESTRICTION_LIFTED = allow('an open emergency access lifts the restriction');
const PATIENTS_ARE_NEVER_RESTRICTED = allow('restrictions never apply to the patient');

// Row tests run for every guarded field of every row: plain loops, no closure made per call.
// `policy:explain` reads the same two, so it names the duty or restriction the test found.
/** The reader's first duty toward the patient through one of `kinds`. */
function dutyOfKind(facts: PatientAccessFacts | undefined, kinds: readonly DutyKind[]): PatientAccessFacts['duties'][number] | undefined {
  if (!facts) return undefined;
  for (const duty of facts.duties) if (kinds.includes(duty.kind)) return duty;
  return undefined;
}
/** The patient's first restriction naming the reader for any of `names`. */
function restrictionNaming(facts: PatientAccessFacts | undefined, names: readonly string[]): PatientAccessFacts['restrictions'][number] | undefined {
  if (!facts) return undefined;
  for (const restriction of facts.restrictions) {
    for (const name of names) if (restriction.fields.includes(name)) return restriction;
  }
  return undefined;
}

// ── Conditions ────────────────────────────────────────────────────────────────────────────────

export const always: Condition = {
  name: 'always',
  describe: 'of every patient',
  compile: () => ({ kind: 'pass' }),
};

/** Duty (SPEC §5) through any of the given relationships, read from the patient's facts. */
export function dutyThrough(name: string, describe: string, kinds: DutyKind[]): Condition {
  const noDuty = deny('NO_DUTY', `no ${describe.replace(/^with /, '')} toward this patient`);
  const emergencyCounts = kinds.includes('EMERGENCY_ACCESS');
  return {
    name,
    describe,
    compile: () => ({
      kind: 'row',
      test({ facts, patientId, emergency }) {
        if (dutyOfKind(facts, kinds)) return ON_DUTY;
        if (!emergencyCounts || !patientId) return noDuty;
        // Emergency accesses are asked (once per request) only where no other duty holds.
        if (!emergency) return NEEDS_EMERGENCY_ACCESSES;
        return emergency.has(patientId) ? ON_DUTY_BY_EMERGENCY : noDuty;
      },
      explain({ facts, patientId, emergency }, verdict) {
        const duty = dutyOfKind(facts, kinds);
        if (duty) return `duty toward the patient: ${duty.detail}`;
        const access = patientId ? emergency?.get(patientId) : undefined;
        return access && verdict.allow ? `duty toward the patient: emergency access ${access.id} until ${access.expiresAt.toISOString()}` : verdict.because;
      },
    }),
  };
}

/** Only the `id` field of the category (the accountant matches invoices to patients, nothing more). */
export const idOnly: Condition = {
  name: 'idOnly',
  describe: 'the id only',
  compile: ({ coordinate }) =>
    coordinate.endsWith('.id') ? { kind: 'pass' } : { kind: 'deny', reason: 'ROLE', because: 'only the id is granted to the role' },
};

/** The patient reading their own record. */
export const ownRecordOnly: Condition = {
  name: 'ownRecordOnly',
  describe: 'their own record only',
  compile: () => ({ kind: 'row', factsFree: true, test: ({ viewerId, patientId }) => (patientId !== undefined && viewerId === patientId ? OWN_RECORD : NOT_OWN_RECORD) }),
};

// ── Targets ───────────────────────────────────────────────────────────────────────────────────

const stringAt = (value: unknown) => (typeof value === 'string' ? value : undefined);

export const theParentPatient: PatientTarget = {
  describe: 'the patient',
  fromArgument: false,
  now: (parent) => recordIdOf(parent),
  resolve: async (parent) => recordIdOf(parent),
};

/** The owner fetched with the record (see record-keys.ts); asked of the owning subgraph only when it was not. */
function ownedRecord(describe: string, owner: (scope: TargetScope, id: string) => Promise<string | undefined>): PatientTarget {
  return {
    describe,
    fromArgument: false,
    now(parent) {
      const known = ownerIdOf(parent);
      if (known !== undefined) return known ?? undefined;
      return recordIdOf(parent) ? LOOK_UP : undefined;
    },
    async resolve(parent, _args, scope) {
      const known = ownerIdOf(parent);
      if (known !== undefined) return known ?? undefined;
      const id = recordIdOf(parent);
      return id ? owner(scope, id) : undefined;
    },
  };
}
export const thePatientOfTheAppointment = ownedRecord("the appointment's patient", (scope, id) => scope.appointmentOwner(id));
export const thePatientOfTheInvoice = ownedRecord("the invoice's patient", (scope, id) => scope.invoiceOwner(id));
export const thePatientOfTheRectificationRequest: PatientTarget = {
  describe: "the rectification request's patient",
  fromArgument: false,
  now: (parent) => (recordIdOf(parent) ? LOOK_UP : undefined),
  resolve: async (parent, _args, scope) => {
    const id = recordIdOf(parent);
    return id ? scope.rectificationOwner(id) : undefined;
  },
};

/**
 * The verified viewer's own record, for a patient exercising a right over it (SPEC §10): no
 * argument names the patient, so no client can choose another one. Nobody else has such a record.
 */
export const theViewerAsPatient: PatientTarget = {
  describe: "the viewer's own record",
  fromArgument: false,
  now: (_parent, _args, scope) => (scope.viewerRole === 'PATIENT' ? LOOK_UP : undefined),
  resolve: async (_parent, _args, scope) => {
    if (scope.viewerRole !== 'PATIENT' || !scope.viewerId) return undefined;
    return (await scope.patientExists(scope.viewerId)) ? scope.viewerId : undefined;
  },
};

/** An id given in an argument: malformed ids are bad input, before any look-up. */
function idArgument(args: Record<string, unknown>, path: string): string {
  const keys = path.split('.');
  const id = stringAt(keys.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], args));
  return assertId(id ?? '', keys.at(-1));
}

function argumentTarget(describe: string, lookUp: (id: string, scope: TargetScope) => Promise<string | undefined>, path: string): PatientTarget {
  return {
    describe,
    fromArgument: true,
    now: () => LOOK_UP,
    resolve: async (_parent, args, scope) => lookUp(idArgument(args, path), scope),
  };
}
export const thePatientArgument = (path: string): PatientTarget => ({
  ...argumentTarget(`the patient named by ${path}`, async (id, scope) => ((await scope.patientExists(id)) ? id : undefined), path),
  namedPatientId: (args) => idArgument(args, path),
});
export const thePatientOfTheRectificationArgument = (arg: string) =>
  argumentTarget(`the patient of the rectification request named by ${arg}`, (id, scope) => scope.rectificationOwner(id), arg);
export const thePatientOfTheAppointmentArgument = (arg: string) =>
  argumentTarget(`the patient of the appointment named by ${arg}`, (id, scope) => scope.appointmentOwner(id), arg);
export const thePatientOfTheRestrictionArgument = (arg: string) =>
  argumentTarget(`the patient of the restriction named by ${arg}`, (id, scope) => scope.restrictionOwner(id), arg);

// ── Checks ────────────────────────────────────────────────────────────────────────────────────

const PASS = (because: string): Step => ({ kind: 'pass', because });
const DENY = (reason: DenialReason, because: string): Step => ({ kind: 'deny', reason, because });

export const isAuthenticated: Check = {
  name: 'isAuthenticated',
  compile: ({ role }) => (role ? PASS('verified token') : DENY('UNAUTHENTICATED', 'no verified token')),
};

/** Types that exist only inside a record (a medication, a payment) take the decision of the field that reached them. */
export const decidedByTheFieldThatReachedIt: Check = {
  name: 'decidedByTheFieldThatReachedIt',
  decidesNothing: true,
  compile: () => PASS('the field that reached this object was allowed'),
};

/**
 * Declares that every decision of the rule is recorded in the audit log under this patient
 * (SPEC §8); decides nothing. Every rule about a patient's information carries one.
 */
export function auditedUnder(target: PatientTarget): Check {
  return { name: `auditedUnder(${target.describe})`, audits: target, compile: () => PASS(`decisions are recorded under ${target.describe}`) };
}

/** A patient may name only themself; other roles are checked field by field. */
export function patientsNameOnlyThemselves(arg: string): Check {
  const acceptable = allow(`${arg} is acceptable for the role`);
  return {
    name: `patientsNameOnlyThemselves(${arg})`,
    compile: ({ role }) =>
      role !== 'PATIENT'
        ? PASS(`${arg} is acceptable for the role`)
        : { kind: 'row', condition: `${arg} is their own id`, target: undefined, test: ({ args, viewerId }) => (args[arg] === viewerId ? acceptable : NOT_OWN_RECORD) },
  };
}

export function isOneOf(roles: readonly Role[]): Check {
  return {
    name: `isOneOf(${roles.join(',')})`,
    compile: ({ role }) => (role && roles.includes(role) ? PASS(`role ${role} is one of ${roles.join(', ')}`) : DENY('ROLE', `reserved to ${roles.join(', ')}`)),
  };
}

/**
 * An argument's value is one the reader's role may give (a physician records only an emergency
 * disclosure; the privacy officer records one on every basis). Roles not in the table are refused.
 */
export function argumentAllowedFor(path: string, allowedByRole: Partial<Record<Role, readonly string[]>>): Check {
  const valueAt = (args: Record<string, unknown>) => path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], args);
  return {
    name: `argumentAllowedFor(${path})`,
    compile: ({ role }) => {
      if (!role) return DENY('UNAUTHENTICATED', 'no verified token');
      const allowed = allowedByRole[role];
      if (!allowed) return DENY('ROLE', `${role} gives no ${path}`);
      const ok = allow(`${path} is one the role may give`);
      const refused = deny('ROLE', `${role} gives only ${path} ${allowed.join(', ')}`);
      return { kind: 'row', condition: `${path} is ${allowed.join(' or ')}`, target: undefined, test: ({ args }) => (allowed.includes(String(valueAt(args))) ? ok : refused) };
    },
  };
}

export const withMfa: Check = {
  name: 'withMfa',
  compile: ({ mfa }) => (mfa ? PASS('two-factor authentication used') : DENY('MFA_REQUIRED', 'requires two-factor authentication')),
};

/** A table of which role reads which category, on which condition. Missing entries are refusals. */
export type AccessTable<C extends string> = Record<Role, Partial<Record<C, Condition>>>;

/** When the target cannot be found: a record being resolved must have one; an argument may name nothing. */
function missingTarget(target: PatientTarget): Verdict {
  return target.fromArgument
    ? allow(`${target.describe} does not exist: the subgraph refuses the request as bad input`)
    : deny('ROLE', `${target.describe} is unknown`);
}

/** The reader's role grants this category of the target patient's record, and the grant's condition holds. */
export function mayReadPatient<C extends string>(table: AccessTable<C>, category: C, target: PatientTarget): Check {
  const missing = missingTarget(target);
  return {
    name: `mayRead(${category} of ${target.describe})`,
    category,
    compile(reader) {
      if (!reader.role) return DENY('UNAUTHENTICATED', 'no verified token');
      const condition = table[reader.role]?.[category];
      if (!condition) return DENY('ROLE', `${reader.role} is not granted ${category}`);
      const compiled = condition.compile(reader);
      if (compiled.kind === 'deny') return DENY(compiled.reason, compiled.because);
      // Even a grant "of every patient" needs the patient to exist: a record without its key is refused.
      const test = compiled.kind === 'pass' ? () => GRANTED_FOR_EVERY_PATIENT : compiled.test;
      const explain = compiled.kind === 'row' ? compiled.explain : undefined;
      return {
        kind: 'row',
        condition: compiled.kind === 'pass' ? '' : condition.describe,
        target,
        // A grant of every patient, or of their own record, needs the patient's id only.
        ...(compiled.kind === 'pass' || compiled.factsFree ? { factsFree: true as const } : {}),
        test: (input) => (input.patientId === undefined ? missing : test(input)),
        explain: (input, verdict) => (input.patientId !== undefined && explain ? explain(input, verdict) : verdict.because),
      };
    },
  };
}

/**
 * No active restriction of the patient names the reader (by id or by role) for this information,
 * under any of its names (a field and the fields that hold a copy of it, see permissions.ts).
 * A restriction beats every role and duty grant (SPEC §6); only an open emergency access lifts it,
 * and only where `liftedByEmergencyAccess` says so.
 */
export function notRestrictedFor(names: string | readonly string[], target: PatientTarget, liftedByEmergencyAccess = false): Check {
  const missing = missingTarget(target);
  const restrictionNames = typeof names === 'string' ? [names] : [...names];
  return {
    name: `notRestrictedFor(${restrictionNames.join(', ')} of ${target.describe}${liftedByEmergencyAccess ? ', unless emergency access' : ''})`,
    restrictionNames,
    compile: ({ role }) => {
      if (!role) return DENY('UNAUTHENTICATED', 'no verified token');
      if (role === 'PATIENT') return PASS(PATIENTS_ARE_NEVER_RESTRICTED.because);
      return {
        kind: 'row',
        condition: liftedByEmergencyAccess ? 'unless restricted (emergency access lifts it)' : 'unless restricted',
        target,
        test({ patientId, facts, emergency }) {
          if (patientId === undefined) return missing;
          if (!restrictionNaming(facts, restrictionNames)) return UNRESTRICTED;
          if (!liftedByEmergencyAccess) return RESTRICTED;
          if (!emergency) return NEEDS_EMERGENCY_ACCESSES;
          return emergency.has(patientId) ? RESTRICTION_LIFTED : RESTRICTED;
        },
        explain({ facts, patientId, emergency }, verdict) {
          const hit = restrictionNaming(facts, restrictionNames);
          if (!hit) return verdict.because;
          const name = restrictionNames.find((n) => hit.fields.includes(n));
          const access = patientId ? emergency?.get(patientId) : undefined;
          return verdict.allow && access ? `emergency access ${access.id} lifts restriction ${hit.id} on ${name}` : `restriction ${hit.id} names the reader for ${name}`;
        },
      };
    },
  };
}

/** Every employee reads all of their own record; otherwise the role's grants decide. */
export function mayReadEmployee<C extends string>(table: Record<Role, readonly C[]>, category: C): Check {
  const ownRecord = allow('an employee reads all of their own record');
  const notGranted = deny('ROLE', 'the role is not granted this category of other employees');
  return {
    name: `mayReadEmployee(${category})`,
    category,
    compile: ({ role }) => {
      if (!role) return DENY('UNAUTHENTICATED', 'no verified token');
      if (table[role].includes(category)) return PASS(`${role} is granted ${category} of every employee`);
      if (role === 'PATIENT') return DENY('ROLE', `${role} is not granted ${category}`);
      return { kind: 'row', condition: 'own record', target: undefined, test: ({ parent, viewerId }) => (recordIdOf(parent) === viewerId ? ownRecord : notGranted) };
    },
  };
}

/**
 * A former employee's record (employment ended on or before the clinic day of the request, as the
 * employee subgraph says under the record's key) is read only by `readers`, and only with two-factor
 * authentication when `withMfa`. Every other reader is refused it (ROLE); a reader of `readers`
 * without two-factor authentication is refused it as MFA_REQUIRED. While employed, nothing changes.
 * An employee fetched without the key is refused: whether they still work here is not guessed.
 */
export function formerEmployeesReadOnlyBy(readers: readonly Role[], withMfa: boolean): Check {
  const employed = allow('the employee still works at the clinic');
  const unknown = deny('ROLE', 'whether the employee still works at the clinic is unknown');
  const notTheReader = deny('ROLE', `a former employee's record is read only by ${readers.join(', ')}${withMfa ? ' with two-factor authentication' : ''}`);
  const needsMfa = deny('MFA_REQUIRED', "a former employee's record requires two-factor authentication");
  const formerWith = (refusal: Verdict): ((input: RowInput) => Verdict) => ({ parent, today }) => {
    const ended = employmentEndOf(parent);
    if (ended === undefined) return unknown;
    return ended !== null && ended <= today ? refusal : employed;
  };
  return {
    name: `formerEmployeesReadOnlyBy(${readers.join(',')}${withMfa ? ', with MFA' : ''})`,
    compile: ({ role, mfa }) => {
      if (!role) return DENY('UNAUTHENTICATED', 'no verified token');
      const reader = readers.includes(role);
      if (reader && (mfa || !withMfa)) return PASS(`${role} reads former employees' records${withMfa ? ' with two-factor authentication' : ''}`);
      return reader
        ? { kind: 'row', condition: 'former employees with MFA only', target: undefined, test: formerWith(needsMfa) }
        : { kind: 'row', condition: 'while employed', target: undefined, test: formerWith(notTheReader) };
    },
  };
}
