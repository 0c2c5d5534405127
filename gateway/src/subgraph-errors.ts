import type { GraphQLFormattedError } from 'graphql';
import type { SubgraphName } from '@clinic/schema';

/** The code of an error caused by a subgraph that is down or too slow. */
export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

export function unavailableMessage(subgraph: string): string {
  return `The ${subgraph} service is unavailable; try again later`;
}

/**
 * Turns the executor's failed or timed-out subgraph calls into a clear, caller-facing error naming
 * the service. The raw error quotes the subgraph request (query and variables): it never reaches
 * the caller.
 */
export function describeSubgraphFailures(subgraphUrls: Record<SubgraphName, string>) {
  const byOrigin = Object.entries(subgraphUrls).map(([name, url]) => [name, new URL(url).origin] as const);
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    if (formatted.extensions?.code !== 'SUBREQUEST_HTTP_ERROR' && !/timeout|aborted/i.test(formatted.message)) return formatted;
    const subgraph = byOrigin.find(([, origin]) => formatted.message.includes(origin))?.[0];
    if (!subgraph) return formatted;
    return { message: unavailableMessage(subgraph), path: formatted.path, locations: formatted.locations, extensions: { code: SERVICE_UNAVAILABLE } };
  };
}
