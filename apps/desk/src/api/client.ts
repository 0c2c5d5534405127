import type { TypedDocumentString } from '../gql/graphql';

/** One GraphQL error as the gateway sends it; field refusals carry `extensions.reason`. */
export interface ApiError {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; reason?: string; field?: string };
}

export interface ApiResult<T> {
  data: T | null;
  errors: ApiError[];
  /** HTTP status of the answer (401: the sign-in has expired). */
  status: number;
}

/** Where the gateway is and the current bearer token (kept in memory only: never in web storage). */
export interface ApiConnection {
  graphqlUrl: string;
  token: string;
}

/**
 * Sends a typed operation. It travels with its trusted-document id (the hash GraphQL Code
 * Generator registered), so a gateway that runs only registered operations accepts it.
 */
export async function send<TResult, TVariables>(
  connection: ApiConnection,
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] | [TVariables] : [TVariables]
): Promise<ApiResult<TResult>> {
  const hash = (document.__meta__ as { hash?: string } | undefined)?.hash;
  let response: Response;
  try {
    response = await fetch(connection.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${connection.token}`, 'apollographql-client-name': 'clinic-desk' },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {}, ...(hash ? { documentId: hash } : {}) }),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    return { data: null, errors: [{ message: 'The clinic gateway cannot be reached.', extensions: { code: 'NETWORK' } }], status: 0 };
  }
  const body = (await response.json().catch(() => ({}))) as { data?: TResult | null; errors?: ApiError[] };
  return { data: body.data ?? null, errors: body.errors ?? [], status: response.status };
}

const samePath = (a: readonly (string | number)[] | undefined, b: readonly (string | number)[]) => !!a && a.length === b.length && a.every((part, i) => part === b[i]);

/** The refusal reason of the field at `path`, if the gateway refused it. */
export function refusalAt(errors: readonly ApiError[], path: readonly (string | number)[]): string | undefined {
  const error = errors.find((e) => e.extensions?.code === 'FORBIDDEN' && samePath(e.path, path));
  return error ? (error.extensions?.reason ?? 'ROLE') : undefined;
}

/** Errors that are not field refusals: bad input, unavailable services... shown as they are. */
export function problems(errors: readonly ApiError[]): ApiError[] {
  return errors.filter((e) => e.extensions?.code !== 'FORBIDDEN');
}
