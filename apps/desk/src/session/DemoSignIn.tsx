import { useEffect, useState } from 'react';

interface DemoUser {
  username: string;
  id: string;
  role: string;
  name: string;
  note: string | null;
}

/** Local and demo mode: the demo clinic's users, and a token for one from the gateway's dev key. */
export function DemoSignIn(props: { onToken: (token: string) => void; onUsername: (username: string) => void; error?: string | undefined }) {
  const [users, setUsers] = useState<DemoUser[] | null>(null);
  const [mfa, setMfa] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    fetch('/dev/demo-users', { cache: 'no-store' })
      .then((r) => (r.ok ? (r.json() as Promise<{ users: DemoUser[] }>) : Promise.reject(new Error(String(r.status)))))
      .then((body) => setUsers(body.users))
      .catch(() => setProblem('The demo sign-in is not available on this gateway.'));
  }, []);

  async function signInAs(username: string) {
    const response = await fetch('/dev/demo-token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, mfa }), cache: 'no-store' });
    if (!response.ok) {
      setProblem('The gateway refused this sign-in.');
      return;
    }
    props.onUsername(username);
    props.onToken(((await response.json()) as { token: string }).token);
  }

  return (
    <main id="main" className="sign-in">
      <h1>Sign in to the clinic desk (demo clinic)</h1>
      <p>Local and demo mode: choose a user of the demo clinic. A production desk signs in at the clinic's identity provider instead.</p>
      {(problem ?? props.error) && (
        <p role="alert" className="problems">
          {problem ?? props.error}
        </p>
      )}
      <label className="mfa">
        <input type="checkbox" checked={mfa} onChange={(e) => setMfa(e.target.checked)} name="mfa" /> Signed in with two-factor authentication (MFA)
      </label>
      {users && (
        <table>
          <caption>Demo clinic users</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Sign in</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.username}>
                <td>
                  {u.name}
                  {u.note ? <span className="muted"> ({u.note})</span> : null}
                </td>
                <td>{u.role}</td>
                <td>
                  <button type="button" onClick={() => void signInAs(u.username)} data-username={u.username}>
                    Sign in as {u.username}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
