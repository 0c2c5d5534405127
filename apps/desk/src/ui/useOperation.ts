import { useCallback, useEffect, useState } from 'react';
import { send, type ApiResult } from '../api/client';
import type { TypedDocumentString } from '../gql/graphql';
import { useSession } from '../session/session';

/** Loads a query now and on `reload()`; every load asks the gateway again (nothing is cached). */
export function useQuery<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables, skip = false) {
  const { connection } = useSession();
  const [result, setResult] = useState<ApiResult<TResult> | null>(null);
  const [loads, setLoads] = useState(0);
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (skip) return;
    let current = true;
    void (send as (c: typeof connection, d: typeof document, v: TVariables) => Promise<ApiResult<TResult>>)(connection, document, JSON.parse(key) as TVariables).then((r) => {
      if (current) setResult(r);
    });
    return () => {
      current = false;
    };
  }, [connection, document, key, loads, skip]);
  const reload = useCallback(() => setLoads((n) => n + 1), []);
  return { result, reload, loading: !skip && result === null };
}

/** Sends a mutation (or an on-demand query) and keeps its last answer. */
export function useMutation<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>) {
  const { connection } = useSession();
  const [result, setResult] = useState<ApiResult<TResult> | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (variables: TVariables) => {
      setBusy(true);
      try {
        const r = await (send as (c: typeof connection, d: typeof document, v: TVariables) => Promise<ApiResult<TResult>>)(connection, document, variables);
        setResult(r);
        return r;
      } finally {
        setBusy(false);
      }
    },
    [connection, document],
  );
  return { run, result, busy };
}
