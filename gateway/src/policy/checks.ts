import { assertId } from '@clinic/service-kit';
import type { Role } from '@clinic/schema';
import type { AccessContext } from './access-context.js';
import type { DutyKind } from './policy-client.js';
import { ownerIdOf, recordIdOf } from './record-keys.js';
import { allow, deny, type Verdict } from './verdict.js';

/** What a check sees: the field being resolved, its parent object and arguments, the request's access context. */
export interface CheckInput {
  type: string;
  field: string;
  parent: Record<string, unknown> | undefined;
  args: Record<string, unknown>;
  ctx: AccessContext;
  /** The patients this input's targets resolved to: the checks of one field and its audit record share them. */
  targets?: Map<PatientTarget, Promise<string | undefined>>;
}

/** The patient a target names for this input, resolved once for all the checks of the field. */
export function patientOf(target: PatientTarget, input: CheckInput): Promise<string | undefined> {
  input.targets ??= new Map();
  let patientId = input.targets.get(target);
  if (!patientId) {
    patientId = target.resolve(input);
    input.targets.set(target, patientId);
  }
  return patientId;
}

/** One named step of a rule. The name is what reviewers read and what graphql-shield caches on. */
export interface Check {
  name: string;
  /** True when the verdict depends on the row (the parent object or arguments), not only on the viewer. */
  perRow: boolean;
  evaluate(input: CheckInput): Promise<Verdict>;
  /** What the check means for a role, for the access matrix: always, never, or on a condition. */
  forRole(role: Role): RoleOutcome;
  /** The category of information the check guards, when it guards one (shown in the access matrix). */
  category?: string;
  /** The patient whose record the check is about: the audit log records the decision under it. */
  target?: PatientTarget;
  /**
   * Allows every reader and records nothing: a field ruled by such checks alone needs no wrapper at
   * run time (its decision was taken by the field that reached it).
   */
  decidesNothing?: true;
}

export type RoleOutcome = { kind: 'allow' } | { kind: 'deny' } | { kind: 'if'; condition: string };
const ALLOW: RoleOutcome = { kind: 'allow' };
const DENY: RoleOutcome = { kind: 'deny' };
const onlyIf = (condition: string): RoleOutcome => ({ kind: 'if', condition });

/**
 * Which patient a field belongs to. Targets read from the record being resolved must find it (a
 * missing record key is refused); targets named by a mutation argument may name nothing, and then
 * the subgraph refuses the request as bad input.
 */
export interface PatientTarget {
  describe: string;
  fromArgument: boolean;
  resolve(input: CheckInput): Promise<string | undefined>;
}

/** A condition under which a role reads a category of a patient's record. */
export interface Condition {
  name: string;
  describe: string;
  /** The verdict depends on the field, not only on the reader and the patient (it is then not shared between fields). */
  dependsOnField?: true;
  holds(input: CheckInput, patientId: string): Promise<Verdict>;
}

// ── Conditions ────────────────────────────────────────────────────────────────────────────────

export const always: Condition = {
  name: 'always',
  describe: 'of every patient',
  holds: async () => allow('granted to the role for every patient'),
};

/** Duty (SPEC §5) through any of the given relationships, looked up in the request's batch. */
export function dutyThrough(name: string, describe: string, kinds: DutyKind[]): Condition {
  return {
    name,
    describe,
    async holds({ ctx }, patientId) {
      const facts = await ctx.patientAccess.load(patientId);
      const duty = facts.duties.find((d) => kinds.includes(d.kind));
      if (duty) return allow(`duty toward the patient: ${duty.detail}`);
      // Emergency accesses are looked up only for patients the reader has no other duty toward.
      const emergency = kinds.includes('EMERGENCY_ACCESS') ? await ctx.emergencyAccess.load(patientId) : undefined;
      if (emergency) return allow(`duty toward the patient: emergency access ${emergency.id} until ${emergency.expiresAt.toISOString()}`);
      return deny('NO_DUTY', `no ${describe.replace(/^with /, '')} toward this patient`);
    },
  };
}

/** Only the `id` field of the category (the accountant matches invoices to patients, nothing more). */
export const idOnly: Condition = {
  name: 'idOnly',
  describe: 'the id only',
  dependsOnField: true,
  holds: async ({ field }) => (field === 'id' ? allow('the id alone is granted') : deny('ROLE', 'only the id is granted to the role')),
};

/** The patient reading their own record. */
export const ownRecordOnly: Condition = {
  name: 'ownRecordOnly',
  describe: 'their own record only',
  holds: async ({ ctx }, patientId) =>
    ctx.viewer?.id === patientId ? allow('the patient reads their own record') : deny('ROLE', 'a patient reads only their own record'),
};

// ── Targets ───────────────────────────────────────────────────────────────────────────────────

const stringAt = (value: unknown) => (typeof value === 'string' ? value : undefined);

export const theParentPatient: PatientTarget = {
  describe: 'the patient',
  fromArgument: false,
  resolve: async ({ parent }) => recordIdOf(parent),
};
export const thePatientOfTheAppointment: PatientTarget = {
  describe: "the appointment's patient",
  fromArgument: false,
  resolve: async ({ parent, ctx }) => ownerOf(parent, ctx.appointmentOwner),
};
export const thePatientOfTheInvoice: PatientTarget = {
  describe: "the invoice's patient",
  fromArgument: false,
  resolve: async ({ parent, ctx }) => ownerOf(parent, ctx.invoiceOwner),
};
/** The owner fetched with the record (see record-keys.ts); asked of the owning subgraph only when it was not. */
function ownerOf(parent: Record<string, unknown> | undefined, owners: AccessContext['appointmentOwner'] | AccessContext['invoiceOwner']): Promise<string | undefined> | string | undefined {
  const owner = ownerIdOf(parent);
  if (owner !== undefined) return owner ?? undefined;
  const id = recordIdOf(parent);
  return id ? owners.load(id) : undefined;
}
export const thePatientOfTheRectificationRequest: PatientTarget = {
  describe: "the rectification request's patient",
  fromArgument: false,
  resolve: async ({ parent, ctx }) => {
    const id = recordIdOf(parent);
    return id ? ctx.rectificationOwner.load(id) : undefined;
  },
};
/**
 * The verified viewer's own record, for a patient exercising a right over it (SPEC §10): no
 * argument names the patient, so no client can choose another one. Nobody else has such a record.
 */
export const theViewerAsPatient: PatientTarget = {
  describe: "the viewer's own record",
  fromArgument: false,
  resolve: async ({ ctx }) => {
    const viewer = ctx.viewer;
    if (viewer?.role !== 'PATIENT') return undefined;
    return (await ctx.patientAccess.load(viewer.id)).exists ? viewer.id : undefined;
  },
};
/** An id given in an argument: malformed ids are bad input, before any look-up. */
function idArgument(args: Record<string, unknown>, path: string): string {
  const keys = path.split('.');
  const id = stringAt(keys.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], args));
  return assertId(id ?? '', keys.at(-1));
}

export function thePatientArgument(path: string): PatientTarget {
  return {
    describe: `the patient named by ${path}`,
    fromArgument: true,
    resolve: async ({ args, ctx }) => {
      const id = idArgument(args, path);
      return (await ctx.patientAccess.load(id)).exists ? id : undefined;
    },
  };
}
export function thePatientOfTheRectificationArgument(arg: string): PatientTarget {
  return {
    describe: `the patient of the rectification request named by ${arg}`,
    fromArgument: true,
    resolve: async ({ args, ctx }) => ctx.rectificationOwner.load(idArgument(args, arg)),
  };
}
export function thePatientOfTheAppointmentArgument(arg: string): PatientTarget {
  return {
    describe: `the patient of the appointment named by ${arg}`,
    fromArgument: true,
    resolve: async ({ args, ctx }) => ctx.appointmentOwner.load(idArgument(args, arg)),
  };
}

/** When the target cannot be found: a record being resolved must have one; an argument may name nothing. */
function missingTarget(target: PatientTarget): Verdict {
  return target.fromArgument
    ? allow(`${target.describe} does not exist: the subgraph refuses the request as bad input`)
    : deny('ROLE', `${target.describe} is unknown`);
}

// ── Checks ────────────────────────────────────────────────────────────────────────────────────

// Verdicts are plain immutable data: those taken on every field of every row are made once.
const VERIFIED_TOKEN = allow('verified token');
const NO_VERIFIED_TOKEN = deny('UNAUTHENTICATED', 'no verified token');
const PATIENTS_ARE_NEVER_RESTRICTED = allow('restrictions never apply to the patient');

export const isAuthenticated: Check = {
  name: 'isAuthenticated',
  perRow: false,
  evaluate: async ({ ctx }) => (ctx.viewer ? VERIFIED_TOKEN : NO_VERIFIED_TOKEN),
  forRole: () => ALLOW,
};

/** Types that exist only inside a record (a medication, a payment) take the decision of the field that reached them. */
export const decidedByTheFieldThatReachedIt: Check = {
  name: 'decidedByTheFieldThatReachedIt',
  perRow: false,
  decidesNothing: true,
  evaluate: async () => allow('the field that reached this object was allowed'),
  forRole: () => ALLOW,
};

/** Declares which patient a request is about, for the audit log; decides nothing. */
export function concernsPatient(target: PatientTarget): Check {
  return {
    name: `concerns(${target.describe})`,
    target,
    perRow: true,
    evaluate: async () => allow(`the request concerns ${target.describe}`),
    forRole: () => ALLOW,
  };
}

/** A patient may name only themself; other roles are checked field by field. */
export function patientsNameOnlyThemselves(arg: string): Check {
  return {
    name: `patientsNameOnlyThemselves(${arg})`,
    perRow: true,
    evaluate: async ({ ctx, args }) =>
      ctx.viewer?.role !== 'PATIENT' || args[arg] === ctx.viewer.id ? allow(`${arg} is acceptable for the role`) : deny('ROLE', 'a patient reads only their own record'),
    forRole: (role) => (role === 'PATIENT' ? onlyIf(`${arg} is their own id`) : ALLOW),
  };
}

export function isOneOf(roles: readonly Role[]): Check {
  return {
    name: `isOneOf(${roles.join(',')})`,
    perRow: false,
    evaluate: async ({ ctx }) =>
      ctx.viewer && roles.includes(ctx.viewer.role)
        ? allow(`role ${ctx.viewer.role} is one of ${roles.join(', ')}`)
        : deny('ROLE', `reserved to ${roles.join(', ')}`),
    forRole: (role) => (roles.includes(role) ? ALLOW : DENY),
  };
}

export const withMfa: Check = {
  name: 'withMfa',
  perRow: false,
  evaluate: async ({ ctx }) => (ctx.viewer?.mfa ? allow('two-factor authentication used') : deny('MFA_REQUIRED', 'requires two-factor authentication')),
  forRole: () => onlyIf('with MFA'),
};

/** A table of which role reads which category, on which condition. Missing entries are refusals. */
export type AccessTable<C extends string> = Record<Role, Partial<Record<C, Condition>>>;

/** The reader's role grants this category of the target patient's record, and the grant's condition holds. */
export function mayReadPatient<C extends string>(table: AccessTable<C>, category: C, target: PatientTarget): Check {
  const name = `mayRead(${category} of ${target.describe})`;
  return {
    name,
    category,
    target,
    perRow: true,
    async evaluate(input) {
      const viewer = input.ctx.viewer;
      if (!viewer) return deny('UNAUTHENTICATED', 'no verified token');
      const condition = table[viewer.role][category];
      if (!condition) return deny('ROLE', `${viewer.role} is not granted ${category}`);
      const patientId = await patientOf(target, input);
      if (!patientId) return missingTarget(target);
      if (condition.dependsOnField) return condition.holds(input, patientId);
      // Every field of the category asks the same question of the same patient: answered once per request.
      const key = `${name}|${patientId}`;
      let verdict = input.ctx.decisions.get(key);
      if (!verdict) {
        verdict = condition.holds(input, patientId);
        input.ctx.decisions.set(key, verdict);
      }
      return verdict;
    },
    forRole(role) {
      const condition = table[role][category];
      if (!condition) return DENY;
      return condition === always ? ALLOW : onlyIf(condition.describe);
    },
  };
}

/**
 * No active restriction of the patient names the reader (by id or by role) for this field.
 * A restriction beats every role and duty grant (SPEC §6); only an open emergency access lifts it,
 * and only where `liftedByEmergencyAccess` says so.
 */
export function notRestrictedFor(coordinate: string, target: PatientTarget, liftedByEmergencyAccess = false): Check {
  const unrestricted = allow(`no restriction names the reader for ${coordinate}`);
  return {
    name: `notRestrictedFor(${coordinate} of ${target.describe}${liftedByEmergencyAccess ? ', unless emergency access' : ''})`,
    target,
    perRow: true,
    async evaluate(input) {
      const viewer = input.ctx.viewer;
      if (!viewer) return NO_VERIFIED_TOKEN;
      if (viewer.role === 'PATIENT') return PATIENTS_ARE_NEVER_RESTRICTED;
      const patientId = await patientOf(target, input);
      if (!patientId) return missingTarget(target);
      const facts = await input.ctx.patientAccess.load(patientId);
      const hit = facts.restrictions.find((r) => r.fields.includes(coordinate));
      if (!hit) return unrestricted;
      const emergency = liftedByEmergencyAccess ? await input.ctx.emergencyAccess.load(patientId) : undefined;
      return emergency
        ? allow(`emergency access ${emergency.id} lifts restriction ${hit.id} on ${coordinate}`)
        : deny('RESTRICTED', `restriction ${hit.id} names the reader for ${coordinate}`);
    },
    forRole: (role) => (role === 'PATIENT' ? ALLOW : onlyIf(liftedByEmergencyAccess ? 'unless restricted (emergency access lifts it)' : 'unless restricted')),
  };
}

/** Every employee reads all of their own record; otherwise the role's grants decide. */
export function mayReadEmployee<C extends string>(table: Record<Role, readonly C[]>, category: C): Check {
  return {
    name: `mayReadEmployee(${category})`,
    category,
    perRow: true,
    async evaluate({ ctx, parent }) {
      const viewer = ctx.viewer;
      if (!viewer) return deny('UNAUTHENTICATED', 'no verified token');
      if (viewer.role !== 'PATIENT' && recordIdOf(parent) === viewer.id) return allow('an employee reads all of their own record');
      return table[viewer.role].includes(category) ? allow(`${viewer.role} is granted ${category} of every employee`) : deny('ROLE', `${viewer.role} is not granted ${category}`);
    },
    forRole: (role) => (table[role].includes(category) ? ALLOW : role === 'PATIENT' ? DENY : onlyIf('own record')),
  };
}
