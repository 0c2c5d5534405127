import { GraphQLError } from 'graphql';
import type { ExecutionResult, Executor } from '@graphql-tools/utils';

/** The code of an error caused by a subgraph that is down or too slow. */
export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

export function unavailableMessage(subgraph: string): string {
  return `The ${subgraph} service is unavailable; try again later`;
}

const isFailedCall = (error: { extensions?: Record<string, unknown> }) => error.extensions?.code === 'SUBREQUEST_HTTP_ERROR';

/**
 * Wraps a subgraph's executor so that a call that failed or timed out reads as a clear,
 * caller-facing error naming the service. The raw error quotes the subgraph request (query and
 * variables): it never reaches the caller.
 */
export function withUnavailabilityNamed(executor: Executor, subgraph: string): Executor {
  const unavailable = (path?: readonly (string | number)[]) => new GraphQLError(unavailableMessage(subgraph), { extensions: { code: SERVICE_UNAVAILABLE }, ...(path ? { path } : {}) });
  const wrapped = async (request: Parameters<Executor>[0]) => {
    let result: Awaited<ReturnType<Executor>>;
    try {
      result = await executor(request);
    } catch {
      return { errors: [unavailable()] };
    }
    if (Symbol.asyncIterator in Object(result)) return result;
    const single = result as ExecutionResult;
    if (!single.errors?.some(isFailedCall)) return single;
    return { ...single, errors: single.errors.map((e) => (isFailedCall(e) ? unavailable(e.path) : e)) };
  };
  return wrapped as Executor;
}
