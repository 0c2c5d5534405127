import { useState, type FormEvent } from 'react';
import { send } from '../api/client';
import { ExportMyDataQuery, MyRecordQuery, RequestRectificationMutation, SetConsentMutation } from '../api/operations';
import { useSession } from '../session/session';
import { Guarded, Problems, Status, when } from '../ui/parts';
import { useMutation, useQuery } from '../ui/useOperation';
import { RestrictionRequestForm } from './RestrictionRequestForm';

const RECTIFIABLE = ['firstName', 'lastName', 'dateOfBirth', 'sex', 'phone', 'email', 'address', 'healthInsuranceNumber'];

/** The patient's own record: what is in it, who read it, their download, consent and corrections. */
export function PatientPortal() {
  const session = useSession();
  const record = useQuery(MyRecordQuery, {});
  const consent = useMutation(SetConsentMutation);
  const rectify = useMutation(RequestRectificationMutation);
  const [exportErrors, setExportErrors] = useState<Parameters<typeof Problems>[0]['errors']>([]);
  const [message, setMessage] = useState('');
  const [correction, setCorrection] = useState({ field: 'phone', proposedValue: '', reason: '' });
  const errors = record.result?.errors ?? [];
  const p = record.result?.data?.me.patient;
  const at = (field: string) => ['me', 'patient', field];

  async function download() {
    setMessage('');
    const r = await send(session.connection, ExportMyDataQuery);
    setExportErrors(r.errors);
    if (!r.data) return;
    // The bundle goes straight to a file the patient saves: it is never kept in the browser's storage.
    const url = URL.createObjectURL(new Blob([r.data.exportMyData], { type: 'application/fhir+json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'my-health-record.fhir.json';
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    setMessage('Your record was downloaded (FHIR R4 bundle).');
  }

  async function setConsent(choice: { appointmentReminders?: boolean; newsletter?: boolean }) {
    const r = await consent.run(choice);
    if (r.data) {
      setMessage('Your communication choices were saved.');
      record.reload();
    }
  }

  async function onRectify(event: FormEvent) {
    event.preventDefault();
    const r = await rectify.run({ field: `Patient.${correction.field}`, proposedValue: correction.proposedValue, reason: correction.reason });
    if (r.data?.requestRectification) {
      setMessage('Your correction request was sent to the privacy office.');
      setCorrection({ ...correction, proposedValue: '', reason: '' });
      record.reload();
    }
  }

  return (
    <section aria-labelledby="portal-title">
      <h1 id="portal-title">My health record</h1>
      <Problems errors={errors} />
      {p && (
        <>
          <h2>My information</h2>
          <dl className="facts">
            <dt>Name</dt>
            <dd>
              {p.firstName} {p.lastName}
            </dd>
            <dt>Date of birth</dt>
            <dd>{p.dateOfBirth}</dd>
            <dt>Phone</dt>
            <dd data-field="phone">{p.phone}</dd>
            <dt>E-mail</dt>
            <dd>{p.email}</dd>
            <dt>Address</dt>
            <dd>{p.address}</dd>
            <dt>Insurance number</dt>
            <dd>{p.healthInsuranceNumber}</dd>
            <dt>Allergies</dt>
            <dd>
              <Guarded errors={errors} path={at('allergies')} empty="none known">
                {p.allergies?.join(', ')}
              </Guarded>
            </dd>
            <dt>Medications</dt>
            <dd>
              <Guarded errors={errors} path={at('medications')} empty="none">
                {p.medications?.map((m) => `${m.name} ${m.dosage ?? ''}`.trim()).join('; ')}
              </Guarded>
            </dd>
            <dt>Diagnoses</dt>
            <dd>
              <Guarded errors={errors} path={at('diagnoses')} empty="none">
                {p.diagnoses?.map((d) => `${d.code} ${d.description ?? ''}`.trim()).join('; ')}
              </Guarded>
            </dd>
            <dt>Appointments</dt>
            <dd>
              <Guarded errors={errors} path={at('appointments')} empty="none">
                {p.appointments?.map((a) => `${when(a.startsAt)} ${a.reason ?? ''} (${a.status})`).join('; ')}
              </Guarded>
            </dd>
          </dl>

          <h2>Download my data</h2>
          <button type="button" onClick={() => void download()}>
            Download my record (FHIR)
          </button>
          <Problems errors={exportErrors} />

          <h2>Communication choices</h2>
          <fieldset>
            <legend>Send me</legend>
            <label>
              <input
                type="checkbox"
                name="appointmentReminders"
                checked={p.communicationConsent?.appointmentReminders ?? false}
                onChange={(e) => void setConsent({ appointmentReminders: e.target.checked })}
                disabled={consent.busy}
              />{' '}
              Appointment reminders
            </label>
            <label>
              <input type="checkbox" name="newsletter" checked={p.communicationConsent?.newsletter ?? false} onChange={(e) => void setConsent({ newsletter: e.target.checked })} disabled={consent.busy} />{' '}
              Clinic newsletter
            </label>
          </fieldset>
          <Problems errors={consent.result?.errors ?? []} />

          <h2>Who accessed my record</h2>
          <table>
            <caption>Staff reads of your record, most recent first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Staff member</th>
                <th scope="col">Role</th>
                <th scope="col">Information</th>
              </tr>
            </thead>
            <tbody>
              {(p.accessLog ?? []).slice(0, 25).map((entry, i) => (
                <tr key={i}>
                  <td>{when(entry.at)}</td>
                  <td>{entry.staffName}</td>
                  <td>{entry.role}</td>
                  <td>{entry.categories.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <h2>Ask for a correction</h2>
          <form onSubmit={(e) => void onRectify(e)} className="form">
            <label>
              Field
              <select name="field" value={correction.field} onChange={(e) => setCorrection({ ...correction, field: e.target.value })}>
                {RECTIFIABLE.map((f) => (
                  <option key={f}>{f}</option>
                ))}
              </select>
            </label>
            <label>
              Correct value <input name="proposedValue" value={correction.proposedValue} onChange={(e) => setCorrection({ ...correction, proposedValue: e.target.value })} required />
            </label>
            <label>
              Why <input name="reason" value={correction.reason} onChange={(e) => setCorrection({ ...correction, reason: e.target.value })} required />
            </label>
            <button type="submit" disabled={rectify.busy}>
              Send the request
            </button>
          </form>
          <Problems errors={rectify.result?.errors ?? []} />
          <table>
            <caption>My correction requests</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Correct value</th>
                <th scope="col">Status</th>
                <th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              {(p.rectificationRequests ?? []).map((r) => (
                <tr key={r.id} data-rectification={r.id}>
                  <td>{r.field}</td>
                  <td>{r.proposedValue}</td>
                  <td>{r.status}</td>
                  <td>{r.decisionReason}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <h2>My restrictions</h2>
          <ul>
            {(p.accessRestrictions ?? []).filter((r) => !r.lifted).map((r) => (
              <li key={r.id}>
                {r.fields.join(', ')} hidden from {r.role ?? r.employeeId}: {r.reason}
              </li>
            ))}
          </ul>
          <RestrictionRequestForm />
        </>
      )}
      {message && <Status>{message}</Status>}
    </section>
  );
}
