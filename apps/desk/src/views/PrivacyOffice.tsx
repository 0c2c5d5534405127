import { useState, type FormEvent } from 'react';
import { refusalAt } from '../api/client';
import {
  ApplyRetentionMutation,
  AuditQuery,
  CreateRestrictionMutation,
  DecideRectificationMutation,
  IncidentsQuery,
  LiftRestrictionMutation,
  PendingRectificationsQuery,
  PrivacyPatientsQuery,
  RestrictionsQuery,
  RetentionReportQuery,
} from '../api/operations';
import { NeedsMfa, Problems, Status, fullName, when } from '../ui/parts';
import { useMutation, useQuery } from '../ui/useOperation';
import { PatientRequestsPanel } from './PatientRequestsPanel';
import { ReviewQueuePanel } from './ReviewQueuePanel';

const ROLES = ['PHYSICIAN', 'NURSE', 'CONSULTANT', 'RECEPTIONIST', 'BILLING_AGENT', 'ACCOUNTANT'] as const;
const RESTRICTABLE = ['phone', 'email', 'address', 'healthInsuranceNumber', 'allergies', 'medications', 'diagnoses', 'vitals', 'documents', 'clinicalNotes', 'appointments', 'careTeam', 'invoices', 'balance'];

function AuditLog() {
  const [filter, setFilter] = useState({ patientId: '', actorId: '' });
  const [applied, setApplied] = useState(filter);
  const audit = useQuery(AuditQuery, { patientId: applied.patientId || null, actorId: applied.actorId || null });
  const chain = audit.result?.data?.verifyAuditChain;
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      {chain && (
        <p role="status" data-chain={chain.ok ? 'ok' : 'broken'}>
          Chain of {chain.events} events: {chain.ok ? 'intact' : `broken at event ${chain.firstBrokenEventId}`}
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filter);
        }}
        className="form inline"
      >
        <label>
          Patient id <input name="auditPatient" value={filter.patientId} onChange={(e) => setFilter({ ...filter, patientId: e.target.value })} />
        </label>
        <label>
          Staff id <input name="auditActor" value={filter.actorId} onChange={(e) => setFilter({ ...filter, actorId: e.target.value })} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <Problems errors={audit.result?.errors ?? []} />
      <table>
        <caption>The 50 most recent events</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Patient</th>
            <th scope="col">Fields</th>
            <th scope="col">Decision</th>
            <th scope="col">Emergency access</th>
            <th scope="col">Operation</th>
          </tr>
        </thead>
        <tbody>
          {(audit.result?.data?.auditLog ?? []).map((e) => (
            <tr key={e.id}>
              <td>{when(e.at)}</td>
              <td>
                {e.actorId} ({e.role})
              </td>
              <td>{e.patientId}</td>
              <td>{e.fields.join(', ')}</td>
              <td>
                {e.decision}
                {e.reason ? ` (${e.reason})` : ''}
              </td>
              <td>{e.emergencyAccessId}</td>
              <td>{e.operationName}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Incidents() {
  const incidents = useQuery(IncidentsQuery, {});
  return (
    <section aria-labelledby="incidents-title">
      <h2 id="incidents-title">Incident register</h2>
      <Problems errors={incidents.result?.errors ?? []} />
      <table>
        <caption>Confidentiality incidents, most recent first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Kind</th>
            <th scope="col">Description</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {(incidents.result?.data?.incidents ?? []).map((i) => (
            <tr key={i.id} data-incident-kind={i.kind}>
              <td>{when(i.occurredAt)}</td>
              <td>{i.kind}</td>
              <td>{i.description}</td>
              <td>{i.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Restrictions() {
  const patients = useQuery(PrivacyPatientsQuery, {});
  const [patientId, setPatientId] = useState('');
  const restrictions = useQuery(RestrictionsQuery, { id: patientId }, !patientId);
  const create = useMutation(CreateRestrictionMutation);
  const lift = useMutation(LiftRestrictionMutation);
  const [form, setForm] = useState({ subject: 'role', role: 'RECEPTIONIST', employeeId: '', fields: [] as string[], reason: '', from: '', to: '' });
  const [message, setMessage] = useState('');

  async function onCreate(event: FormEvent) {
    event.preventDefault();
    setMessage('');
    const r = await create.run({
      input: {
        patientId,
        fields: form.fields.map((f) => `Patient.${f}`),
        reason: form.reason,
        ...(form.from ? { from: form.from } : {}),
        ...(form.to ? { to: form.to } : {}),
        ...(form.subject === 'role' ? { role: form.role as (typeof ROLES)[number] } : { employeeId: form.employeeId }),
      },
    });
    if (r.data?.createAccessRestriction) {
      setMessage('Restriction created: it applies from the next request.');
      restrictions.reload();
    }
  }

  async function onLift(id: string) {
    const r = await lift.run({ id });
    if (r.data?.liftAccessRestriction) {
      setMessage('Restriction lifted.');
      restrictions.reload();
    }
  }

  return (
    <section aria-labelledby="restrictions-title">
      <h2 id="restrictions-title">Restrictions</h2>
      <label>
        Patient
        <select name="restrictionPatient" value={patientId} onChange={(e) => setPatientId(e.target.value)}>
          <option value="">Choose…</option>
          {(patients.result?.data?.patients?.nodes ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {fullName(p)}
            </option>
          ))}
        </select>
      </label>
      {patientId && (
        <>
          <Problems errors={[...(restrictions.result?.errors ?? []), ...(lift.result?.errors ?? [])]} />
          <table>
            <caption>Restrictions of this patient</caption>
            <thead>
              <tr>
                <th scope="col">Hidden from</th>
                <th scope="col">Fields</th>
                <th scope="col">Reason</th>
                <th scope="col">Asked by</th>
                <th scope="col">In force</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {(restrictions.result?.data?.patient?.accessRestrictions ?? []).map((r) => (
                <tr key={r.id} data-restriction={r.id}>
                  <td>{r.role ?? r.employeeId}</td>
                  <td>{r.fields.join(', ')}</td>
                  <td>{r.reason}</td>
                  <td>
                    {r.requestedBy === 'PATIENT' ? 'the patient' : 'privacy office'}
                    {r.requestedAt ? `, ${when(r.requestedAt)}` : ''}
                  </td>
                  <td>
                    {r.from ? when(r.from) : ''} – {r.to ? when(r.to) : 'until lifted'}
                  </td>
                  <td>{r.lifted ? 'lifted' : 'active'}</td>
                  <td>
                    {!r.lifted && (
                      <button type="button" onClick={() => void onLift(r.id)} aria-label={`Lift the restriction on ${r.fields.join(', ')}`}>
                        Lift
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <form onSubmit={(e) => void onCreate(e)} className="form">
            <fieldset>
              <legend>Hide from</legend>
              <label>
                <input type="radio" name="subject" value="role" checked={form.subject === 'role'} onChange={() => setForm({ ...form, subject: 'role' })} /> a whole role
              </label>
              <label>
                <input type="radio" name="subject" value="employee" checked={form.subject === 'employee'} onChange={() => setForm({ ...form, subject: 'employee' })} /> one staff member
              </label>
            </fieldset>
            {form.subject === 'role' ? (
              <label>
                Role
                <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
                  {ROLES.map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
              </label>
            ) : (
              <label>
                Staff id <input name="employeeId" value={form.employeeId} onChange={(e) => setForm({ ...form, employeeId: e.target.value })} required />
              </label>
            )}
            <fieldset>
              <legend>Fields to hide</legend>
              <div className="checks">
                {RESTRICTABLE.map((f) => (
                  <label key={f}>
                    <input
                      type="checkbox"
                      name="restrictField"
                      value={f}
                      checked={form.fields.includes(f)}
                      onChange={(e) => setForm({ ...form, fields: e.target.checked ? [...form.fields, f] : form.fields.filter((x) => x !== f) })}
                    />{' '}
                    {f}
                  </label>
                ))}
              </div>
            </fieldset>
            <label>
              Reason <input name="restrictionReason" value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} required />
            </label>
            <label>
              From (optional) <input type="date" name="restrictionFrom" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
            </label>
            <label>
              Until (optional) <input type="date" name="restrictionTo" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
            </label>
            <button type="submit" disabled={create.busy}>
              Create the restriction
            </button>
          </form>
          <Problems errors={create.result?.errors ?? []} />
        </>
      )}
      {message && <Status>{message}</Status>}
    </section>
  );
}

function Rectifications() {
  const pending = useQuery(PendingRectificationsQuery, {});
  const decide = useMutation(DecideRectificationMutation);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');

  async function onDecide(id: string, accept: boolean) {
    const r = await decide.run({ id, accept, reason: reasons[id] ?? '' });
    if (r.data?.decideRectification) {
      setMessage(`Request ${accept ? 'accepted' : 'refused'}.`);
      pending.reload();
    }
  }

  const requests = pending.result?.data?.rectificationRequests ?? [];
  return (
    <section aria-labelledby="rectifications-title">
      <h2 id="rectifications-title">Rectification requests</h2>
      <Problems errors={[...(pending.result?.errors ?? []), ...(decide.result?.errors ?? [])]} />
      {pending.result && requests.length === 0 && <p>No pending request.</p>}
      <ul className="cards">
        {requests.map((r) => (
          <li key={r.id} className="card" data-rectification={r.id}>
            <p>
              <strong>{r.patientId}</strong> asks to set {r.field} to “{r.proposedValue}”: {r.reason} <span className="muted">({when(r.requestedAt)})</span>
            </p>
            <label>
              Decision reason <input name={`decision-${r.id}`} value={reasons[r.id] ?? ''} onChange={(e) => setReasons({ ...reasons, [r.id]: e.target.value })} />
            </label>
            <div className="actions">
              <button type="button" onClick={() => void onDecide(r.id, true)}>
                Accept
              </button>
              <button type="button" onClick={() => void onDecide(r.id, false)}>
                Refuse
              </button>
            </div>
          </li>
        ))}
      </ul>
      {message && <Status>{message}</Status>}
    </section>
  );
}

function Retention() {
  const report = useQuery(RetentionReportQuery, {});
  const apply = useMutation(ApplyRetentionMutation);
  const needsMfa = apply.result && refusalAt(apply.result.errors, ['applyRetention']) === 'MFA_REQUIRED';
  const r = report.result?.data?.retentionReport;
  return (
    <section aria-labelledby="retention-title">
      <h2 id="retention-title">Retention</h2>
      <Problems errors={report.result?.errors ?? []} />
      {r && (
        <table>
          <caption>Due for destruction or anonymization as of {when(r.asOf)}</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Kind of item</th>
              <th scope="col">Count</th>
            </tr>
          </thead>
          <tbody>
            {r.totals.map((t) => (
              <tr key={`${t.rule}-${t.itemKind}`}>
                <td>{t.rule}</td>
                <td>{t.itemKind}</td>
                <td>{t.count}</td>
              </tr>
            ))}
            {r.kept.map((k) => (
              <tr key={`kept-${k.rule}-${k.itemKind}`}>
                <td>{k.rule}</td>
                <td>{k.itemKind} (kept: {k.reason})</td>
                <td>{k.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" className="danger" onClick={() => void apply.run({}).then(() => report.reload())} disabled={apply.busy}>
        Apply the retention rules now
      </button>
      {needsMfa ? <NeedsMfa what="Applying the retention rules" /> : <Problems errors={apply.result?.errors ?? []} />}
      {apply.result?.data?.applyRetention && <Status>Retention run {apply.result.data.applyRetention.status.toLowerCase()}.</Status>}
    </section>
  );
}

/** The privacy office: audit log and its chain, the review queue, incidents, restrictions, rectifications, requests on the legal clock, retention. */
export function PrivacyOffice() {
  return (
    <section aria-labelledby="privacy-title">
      <h1 id="privacy-title">Privacy office</h1>
      <Restrictions />
      <Rectifications />
      <PatientRequestsPanel />
      <ReviewQueuePanel />
      <Incidents />
      <Retention />
      <AuditLog />
    </section>
  );
}
