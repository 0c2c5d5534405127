import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './graphiql.css';
import { createGraphiQLFetcher, type Storage } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { StrictMode, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';

/**
 * The developers' GraphQL IDE at the gateway's /graphiql (non-production only), bundled from the
 * installed graphiql package: no CDN, no telemetry. Tabs, queries and answers live in memory only,
 * so no token and no patient data reach the browser's storage.
 */
class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  clear() {
    this.items.clear();
  }
}

const DEFAULT_QUERY = `# Paste a token above (npm run -s token -- reception.roy), then run:
query ReceptionToday {
  me { id role }
  appointments { startsAt reason patient { firstName lastName phone } }
}
`;

function Ide() {
  const [token, setToken] = useState('');
  const tokenRef = useRef(token);
  tokenRef.current = token;
  const storage = useMemo(() => new MemoryStorage(), []);
  const fetcher = useMemo(
    () =>
      createGraphiQLFetcher({
        url: '/graphql',
        fetch: (input, init) => {
          const headers = new Headers(init?.headers);
          const value = tokenRef.current.trim().replace(/^Bearer\s+/i, '');
          if (value && !headers.has('authorization')) headers.set('authorization', `Bearer ${value}`);
          headers.set('apollographql-client-name', 'graphiql');
          return fetch(input, { ...init, headers, cache: 'no-store' });
        },
      }),
    [],
  );
  return (
    <div className="ide">
      <form className="token-bar" onSubmit={(e) => e.preventDefault()}>
        <label>
          Bearer token <input type="password" value={token} onChange={(e) => setToken(e.target.value)} placeholder="npm run -s token -- dr.tremblay --mfa" autoComplete="off" />
        </label>
        <span>Development only: a production gateway serves no IDE.</span>
      </form>
      <div className="editor">
        <GraphiQL fetcher={fetcher} storage={storage} defaultQuery={DEFAULT_QUERY} shouldPersistHeaders={false} />
      </div>
    </div>
  );
}

const root = document.getElementById('graphiql');
if (!root) throw new Error('graphiql: no #graphiql element');
createRoot(root).render(
  <StrictMode>
    <Ide />
  </StrictMode>,
);
