import { createContext, useContext } from 'react';
import type { ApiConnection } from '../api/client';

export interface SignedInUser {
  id: string;
  role: string;
  mfa: boolean;
  name: string;
}

/** The signed-in session: lives in React state only (a reload signs out; nothing is stored in the browser). */
export interface Session {
  connection: ApiConnection;
  user: SignedInUser;
  /** Signs in again with two-factor authentication (demo: a new token with `mfa`; OIDC: a step-up at the provider). */
  stepUpToMfa(): Promise<void>;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('desk: useSession outside a signed-in session');
  return session;
}
