import { GraphQLError } from 'graphql';
import { PolicyLookupError, type PolicyClient } from '../policy/policy-client.js';
import type { TokenProblem, TokenVerifier } from './token-verifier.js';
import type { Viewer } from './viewer.js';

const MESSAGES: Record<TokenProblem | 'INACTIVE', string> = {
  MISSING: 'Authentication required: send Authorization: Bearer <token>',
  MALFORMED: 'The Authorization header is not a Bearer JWT',
  EXPIRED: 'The token has expired',
  INVALID: 'The token is not valid for this clinic',
  INACTIVE: 'The account behind this token is not active',
};

function unauthenticated(problem: TokenProblem | 'INACTIVE'): GraphQLError {
  return new GraphQLError(MESSAGES[problem], { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/**
 * The request's viewer from its verified token, and nothing else. A staff token is honoured only
 * while its employee exists, is employed and still holds the token's role.
 */
export async function authenticate(authorization: string | undefined, verify: TokenVerifier, policy: PolicyClient, now: Date): Promise<Viewer> {
  const verification = await verify(authorization);
  if (!verification.ok) throw unauthenticated(verification.problem);
  const { viewer } = verification;
  if (viewer.role !== 'PATIENT') {
    const status = await policy.employeeStatus(viewer.id, now).catch((err: unknown) => {
      // Without the employee record the token cannot be honoured: the whole request waits for it.
      if (err instanceof PolicyLookupError) throw new GraphQLError(err.message, { extensions: { code: err.extensions.code, http: { status: 503 } } });
      throw err;
    });
    if (!status.exists || !status.active || status.role !== viewer.role) throw unauthenticated('INACTIVE');
  }
  return viewer;
}
