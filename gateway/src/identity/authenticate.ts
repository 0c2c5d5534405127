import { GraphQLError } from 'graphql';
import type { Logger } from '@clinic/service-kit';
import { PolicyLookupError, type PatientAccessFacts, type PolicyClient } from '../policy/policy-client.js';
import { EmploymentCheck } from './employment-check.js';
import type { RefusalReason, TokenProblem, TokenVerifier } from './token-verifier.js';
import type { Viewer } from './viewer.js';

type Problem = TokenProblem | 'INACTIVE';

const MESSAGES: Record<Problem, string> = {
  MISSING: 'Authentication required: send Authorization: Bearer <token>',
  MALFORMED: 'The Authorization header is not a Bearer JWT',
  EXPIRED: 'The token has expired',
  INVALID: 'The token is not valid for this clinic',
  INACTIVE: 'The account behind this token is not active',
};

/** RFC 6750 §3: no error code when no credentials were sent; `invalid_token` for every token refused. */
function challenge(problem: Problem): string {
  return problem === 'MISSING' ? 'Bearer realm="clinic"' : 'Bearer error="invalid_token"';
}

function unauthenticated(problem: Problem): GraphQLError {
  return new GraphQLError(MESSAGES[problem], {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', challenge(problem)]]) } },
  });
}

/** Why the token's subject is not honoured (logged; the client only hears INACTIVE). */
export type IdentityRefusal = 'NO_SUCH_EMPLOYEE' | 'EMPLOYMENT_ENDED' | 'ROLE_CHANGED' | 'NO_SUCH_PATIENT';

function asUnavailable(err: unknown): never {
  // Without the record behind the token it cannot be honoured: the whole request waits for it.
  if (err instanceof PolicyLookupError) throw new GraphQLError(err.message, { extensions: { code: err.extensions.code, http: { status: 503 } } });
  throw err;
}

/**
 * Whether the token's subject is a record of the kind its role implies: for a staff role, an
 * employee who exists, is employed today and holds that role; for PATIENT, a patient who exists.
 */
async function identityRefusal(
  viewer: Viewer,
  policy: PolicyClient,
  employment: Pick<EmploymentCheck, 'statusOf'>,
  now: Date,
  onOwnAccessFacts?: (facts: PatientAccessFacts) => void,
): Promise<IdentityRefusal | undefined> {
  if (viewer.role === 'PATIENT') {
    const [facts] = await policy.patientAccess({ id: viewer.id, role: viewer.role }, [viewer.id], now).catch(asUnavailable);
    if (!facts?.exists) return 'NO_SUCH_PATIENT';
    onOwnAccessFacts?.(facts);
    return undefined;
  }
  const status = await employment.statusOf(viewer.id, now).catch(asUnavailable);
  if (!status.exists) return 'NO_SUCH_EMPLOYEE';
  if (!status.active) return 'EMPLOYMENT_ENDED';
  return status.role === viewer.role ? undefined : 'ROLE_CHANGED';
}

export interface AuthenticateOptions {
  verify: TokenVerifier;
  policy: PolicyClient;
  /** The employment check of staff tokens (employment-check.ts); asked of `policy` on every request when omitted. */
  employment?: Pick<EmploymentCheck, 'statusOf'>;
  /** Refusals are logged with why (never the token, never the subject). */
  logger?: Logger;
  requestId?: string;
  /** Told of every refusal (metrics). */
  onRefusal?: (reason: RefusalReason | IdentityRefusal) => void;
  /**
   * Given a patient's policy facts toward their own record, as the identity check loaded them
   * (the same reader, patient and instant the request's rules ask about): the request reuses them
   * instead of asking the patient subgraph again.
   */
  onOwnAccessFacts?: (facts: PatientAccessFacts) => void;
}

/**
 * The request's viewer from its verified token, and nothing else. A token is honoured only while
 * its subject is a record of the kind its role implies (identityRefusal).
 */
export async function authenticate(authorization: string | undefined, options: AuthenticateOptions, now: Date): Promise<Viewer> {
  const { verify, policy, logger, requestId, onRefusal, onOwnAccessFacts } = options;
  const employment = options.employment ?? new EmploymentCheck(policy, 0);
  const verification = await verify(authorization);
  if (!verification.ok) {
    onRefusal?.(verification.reason);
    // A request with no token at all is ordinary (health probes, first page load): not worth a warning.
    if (verification.reason !== 'MISSING') logger?.warn({ requestId, reason: verification.reason, ...verification.details }, 'token refused');
    throw unauthenticated(verification.problem);
  }
  const { viewer } = verification;
  const refusal = await identityRefusal(viewer, policy, employment, now, onOwnAccessFacts);
  if (refusal) {
    onRefusal?.(refusal);
    logger?.warn({ requestId, reason: refusal, role: viewer.role }, 'token refused');
    throw unauthenticated('INACTIVE');
  }
  return viewer;
}
