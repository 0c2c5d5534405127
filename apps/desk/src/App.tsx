import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { UserManager } from 'oidc-client-ts';
import { send } from './api/client';
import { MeQuery } from './api/operations';
import { loadDeskConfig, type DeskConfig } from './session/config';
import { setClinicTimeZone } from './ui/clinic-time';
import { DemoSignIn } from './session/DemoSignIn';
import { createUserManager, isSignInCallback, signInWithMfa } from './session/oidc';
import { SessionContext, type Session, type SignedInUser } from './session/session';
import { fullName } from './ui/parts';
import { NurseStation } from './views/NurseStation';
import { PatientPortal } from './views/PatientPortal';
import { PhysicianChart } from './views/PhysicianChart';
import { PrivacyOffice } from './views/PrivacyOffice';
import { ReceptionDesk } from './views/ReceptionDesk';

/** The desk's views and the roles whose work they are (other roles may open them and see what the API answers). */
const VIEWS: { id: string; title: string; roles: string[]; render: () => ReactNode }[] = [
  { id: 'reception', title: 'Reception desk', roles: ['RECEPTIONIST'], render: () => <ReceptionDesk /> },
  { id: 'nurse', title: 'Nurse station', roles: ['NURSE', 'PHYSICIAN'], render: () => <NurseStation /> },
  { id: 'chart', title: 'Physician chart', roles: ['PHYSICIAN', 'NURSE', 'CONSULTANT'], render: () => <PhysicianChart /> },
  { id: 'portal', title: 'My health record', roles: ['PATIENT'], render: () => <PatientPortal /> },
  { id: 'privacy', title: 'Privacy office', roles: ['PRIVACY_OFFICER'], render: () => <PrivacyOffice /> },
];

/** The provider's code is redeemed once, even when React runs the effect twice (StrictMode). */
let signInCompletion: Promise<{ access_token: string }> | undefined;
const completeSignIn = (oidc: UserManager) => (signInCompletion ??= oidc.signinRedirectCallback());

function useHashView(): string {
  const read = () => window.location.hash.replace(/^#\/?/, '');
  const [view, setView] = useState(read);
  useEffect(() => {
    const onChange = () => setView(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return view;
}

function Shell(props: { session: Session }) {
  const { user } = props.session;
  const view = useHashView();
  const mine = VIEWS.filter((v) => v.roles.includes(user.role));
  const current = VIEWS.find((v) => v.id === view) ?? mine[0];
  useEffect(() => {
    if (current) document.title = `${current.title} · Clinic desk`;
  }, [current]);
  return (
    <SessionContext.Provider value={props.session}>
      <a href="#main" className="skip" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header className="top">
        <p className="brand">Clinic desk</p>
        <nav aria-label="Views">
          <ul>
            {mine.map((v) => (
              <li key={v.id}>
                <a href={`#/${v.id}`} aria-current={current?.id === v.id ? 'page' : undefined}>
                  {v.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p className="who" data-role={user.role}>
          {user.name} · {user.role}
          {user.mfa ? ' · two-factor' : ''}
        </p>
        {!user.mfa && (
          <button type="button" onClick={() => void props.session.stepUpToMfa()}>
            Use two-factor sign-in
          </button>
        )}
        <button type="button" onClick={props.session.signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {current ? current.render() : <p>The desk has no view for the {user.role} role.</p>}
      </main>
    </SessionContext.Provider>
  );
}

export function App() {
  const [config, setConfig] = useState<DeskConfig | null>(null);
  const [problem, setProblem] = useState<string | undefined>();
  const [token, setToken] = useState<string | null>(null);
  const [user, setUser] = useState<SignedInUser | null>(null);
  const [demoUsername, setDemoUsername] = useState<string | null>(null);

  useEffect(() => {
    loadDeskConfig().then(
      (loaded) => {
        setClinicTimeZone(loaded.timeZone);
        setConfig(loaded);
      },
      () => setProblem('The desk cannot read its configuration.'),
    );
  }, []);

  const oidc: UserManager | null = useMemo(() => (config?.signIn.mode === 'oidc' ? createUserManager(config.signIn) : null), [config]);

  // OIDC: coming back from the provider with a code, or sent there to sign in.
  useEffect(() => {
    if (!oidc) return;
    const refused = new URLSearchParams(window.location.search).get('error');
    if (refused) {
      window.history.replaceState(null, '', window.location.pathname + window.location.hash);
      setProblem(`The identity provider refused the sign-in (${refused.slice(0, 60)}).`);
      return;
    }
    if (isSignInCallback()) {
      completeSignIn(oidc)
        .then((signedIn) => {
          window.history.replaceState(null, '', window.location.pathname + window.location.hash);
          setToken(signedIn.access_token);
        })
        .catch((err: unknown) => {
          console.error('desk: sign-in callback failed', err);
          setProblem('Sign-in at the identity provider failed.');
        });
    }
  }, [oidc]);

  // Who the token says we are, as the gateway verified it.
  useEffect(() => {
    if (!token || !config) return;
    void send({ graphqlUrl: config.graphqlUrl, token }, MeQuery).then((r) => {
      const me = r.data?.me;
      if (!me) {
        setToken(null);
        setProblem(r.errors[0]?.message ?? 'The gateway refused this sign-in.');
        return;
      }
      setUser({ id: me.id, role: me.role, mfa: me.mfa, name: fullName(me.employee ?? me.patient) || me.id });
    });
  }, [token, config]);

  const signOut = useCallback(() => {
    setToken(null);
    setUser(null);
    setDemoUsername(null);
    if (oidc) void oidc.removeUser();
  }, [oidc]);

  const stepUpToMfa = useCallback(async () => {
    if (config?.signIn.mode === 'oidc' && oidc) return signInWithMfa(oidc, config.signIn);
    if (!demoUsername) return;
    const response = await fetch('/dev/demo-token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: demoUsername, mfa: true }) });
    if (response.ok) {
      setUser(null);
      setToken(((await response.json()) as { token: string }).token);
    }
  }, [config, oidc, demoUsername]);

  if (!config) return <main id="main">{problem ? <p role="alert">{problem}</p> : <p>Loading…</p>}</main>;
  if (token && user) return <Shell session={{ connection: { graphqlUrl: config.graphqlUrl, token }, user, stepUpToMfa, signOut }} />;
  if (token) return <main id="main"><p role="status">Signing in…</p></main>;
  if (config.signIn.mode === 'demo') {
    return (
      <DemoSignIn
        error={problem}
        onToken={(t) => {
          setProblem(undefined);
          setToken(t);
        }}
        onUsername={setDemoUsername}
      />
    );
  }
  return (
    <main id="main" className="sign-in">
      <h1>Clinic desk</h1>
      {problem && <p role="alert">{problem}</p>}
      <button type="button" onClick={() => void oidc?.signinRedirect()}>
        Sign in with the clinic's identity provider
      </button>
    </main>
  );
}
