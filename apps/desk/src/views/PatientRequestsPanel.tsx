import { useState } from 'react';
import { refusalAt } from '../api/client';
import { DecidePatientRequestMutation, PatientRequestsQuery } from '../api/operations';
import { NeedsMfa, Problems, Status, when } from '../ui/parts';
import { useMutation, useQuery } from '../ui/useOperation';

/**
 * The privacy office's requests on the legal clock (Law 25 s. 32: answered within 30 days), the
 * pending ones, late ones first flagged: destruction, access, portability, consent withdrawal and
 * restriction requests, decided once with a reason (deciding needs two-factor sign-in).
 * Rectification requests are decided in their own list.
 */
export function PatientRequestsPanel() {
  const register = useQuery(PatientRequestsQuery, {});
  const decide = useMutation(DecidePatientRequestMutation);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');
  const needsMfa = decide.result && refusalAt(decide.result.errors, ['decidePatientRequest']) === 'MFA_REQUIRED';
  const pending = (register.result?.data?.patientRequests ?? []).filter((r) => r.status === 'PENDING' && r.kind !== 'RECTIFICATION');

  async function onDecide(patientId: string, id: string, accept: boolean) {
    setMessage('');
    const r = await decide.run({ patientId, id, accept, reason: reasons[id] ?? '' });
    if (r.data?.decidePatientRequest) {
      setMessage(`Decision recorded. ${r.data.decidePatientRequest.outcome ?? ''}`);
      register.reload();
    }
  }

  return (
    <section aria-labelledby="patient-requests-title">
      <h2 id="patient-requests-title">Requests on the legal clock</h2>
      <Problems errors={register.result?.errors ?? []} />
      {register.result && pending.length === 0 && <p>No pending request.</p>}
      <ul className="cards">
        {pending.map((r) => (
          <li key={r.id} className="card" data-patient-request={r.id}>
            <p>
              <strong>{r.kind}</strong> for {r.patientId} ({r.channel.toLowerCase()}), received {when(r.receivedAt)}; answer due {when(r.dueAt)}
              {r.overdue && <strong className="refusal"> — overdue</strong>}
            </p>
            {r.restriction && (
              <p>
                Hide {r.restriction.fields.join(', ')} from {r.restriction.role ?? r.restriction.employeeId}
                {r.restriction.from ? ` from ${when(r.restriction.from)}` : ''}
                {r.restriction.to ? ` until ${when(r.restriction.to)}` : ''}: {r.restriction.reason}
              </p>
            )}
            {r.details && <p>{r.details}</p>}
            <label>
              Decision reason <input name={`request-decision-${r.id}`} value={reasons[r.id] ?? ''} onChange={(e) => setReasons({ ...reasons, [r.id]: e.target.value })} />
            </label>
            <div className="actions">
              <button type="button" onClick={() => void onDecide(r.patientId, r.id, true)} disabled={decide.busy}>
                Accept
              </button>
              <button type="button" onClick={() => void onDecide(r.patientId, r.id, false)} disabled={decide.busy}>
                Refuse
              </button>
            </div>
          </li>
        ))}
      </ul>
      {needsMfa ? <NeedsMfa what="Deciding a request" /> : <Problems errors={decide.result?.errors ?? []} />}
      {message && <Status>{message}</Status>}
    </section>
  );
}
