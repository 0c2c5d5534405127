import { GraphQLError } from 'graphql';

/** Why a field was refused (SPEC §5): the `extensions.reason` of a FORBIDDEN error. */
export type DenialReason = 'UNAUTHENTICATED' | 'ROLE' | 'NO_DUTY' | 'RESTRICTED' | 'MFA_REQUIRED';

/** A decision and, for reviewers and `policy:explain`, why. `because` never holds personal values. */
export type Verdict = { allow: true; because: string } | { allow: false; reason: DenialReason; because: string };

export const allow = (because: string): Verdict => ({ allow: true, because });
export const deny = (reason: DenialReason, because: string): Verdict => ({ allow: false, reason, because });

/** The error a refused field carries: a code and a reason, never a value. */
export function forbidden(reason: DenialReason, coordinate: string): GraphQLError {
  return new GraphQLError(`Not allowed to read ${coordinate} (${reason})`, {
    extensions: { code: 'FORBIDDEN', reason },
  });
}
