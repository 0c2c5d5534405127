import { GraphQLError } from 'graphql';

/** Why a field was refused (SPEC §5): the `extensions.reason` of a FORBIDDEN error. */
export type DenialReason = 'UNAUTHENTICATED' | 'ROLE' | 'NO_DUTY' | 'RESTRICTED' | 'MFA_REQUIRED';

/** A decision and, for reviewers and `policy:explain`, why. `because` never holds personal values. */
export type Verdict = { allow: true; because: string } | { allow: false; reason: DenialReason; because: string };

export const allow = (because: string): Verdict => ({ allow: true, because });
export const deny = (reason: DenialReason, because: string): Verdict => ({ allow: false, reason, because });

/**
 * The error a refused field carries: a code and a reason, never a value. It has no stack: a
 * refusal is an answer, not a fault, and a list can carry one per row (formatting a stack through
 * source maps costs more than deciding the field).
 */
export function forbidden(reason: DenialReason, coordinate: string): GraphQLError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new GraphQLError(`Not allowed to read ${coordinate} (${reason})`, {
      extensions: { code: 'FORBIDDEN', reason },
    });
  } finally {
    Error.stackTraceLimit = limit;
  }
}
