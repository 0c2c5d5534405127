import { useState, type FormEvent } from 'react';
import { MyRequestsQuery, RequestRestrictionMutation, StaffDirectoryQuery } from '../api/operations';
import type { Role } from '../gql/graphql';
import { Problems, Status, when } from '../ui/parts';
import { useMutation, useQuery } from '../ui/useOperation';

/** Parts of the record a patient may ask to hide, in words (the gateway checks the list again). */
const RESTRICTABLE: readonly { field: string; label: string }[] = [
  { field: 'Patient.phone', label: 'Phone' },
  { field: 'Patient.email', label: 'E-mail' },
  { field: 'Patient.address', label: 'Address' },
  { field: 'Patient.healthInsuranceNumber', label: 'Insurance number' },
  { field: 'Patient.appointments', label: 'Appointments' },
  { field: 'Patient.allergies', label: 'Allergies' },
  { field: 'Patient.medications', label: 'Medications' },
  { field: 'Patient.diagnoses', label: 'Diagnoses' },
  { field: 'Patient.vitals', label: 'Vital signs' },
  { field: 'Patient.documents', label: 'Documents' },
  { field: 'Patient.clinicalNotes', label: 'Clinical notes' },
];
const STAFF_ROLES: readonly Role[] = ['PHYSICIAN', 'NURSE', 'CONSULTANT', 'RECEPTIONIST', 'BILLING_AGENT', 'ACCOUNTANT'];

interface Ask {
  subject: 'role' | 'employee';
  role: Role;
  employeeId: string;
  fields: string[];
  reason: string;
  from: string;
  to: string;
}
const EMPTY: Ask = { subject: 'role', role: 'RECEPTIONIST', employeeId: '', fields: [], reason: '', from: '', to: '' };

/**
 * The patient asks that a staff member or a whole role not see parts of their record (Law 25 right
 * to restrict). The privacy office decides within 30 days; the list below says where each ask is.
 */
export function RestrictionRequestForm() {
  const staff = useQuery(StaffDirectoryQuery, {});
  const requests = useQuery(MyRequestsQuery, {});
  const ask = useMutation(RequestRestrictionMutation);
  const [form, setForm] = useState<Ask>(EMPTY);
  const [message, setMessage] = useState('');
  const people = staff.result?.data?.employees?.nodes ?? [];
  const mine = (requests.result?.data?.myRequests ?? []).filter((r) => r.kind === 'RESTRICTION');
  const nameOf = (id: string | null | undefined) => {
    const person = people.find((e) => e.id === id);
    return person ? `${person.firstName ?? ''} ${person.lastName ?? ''}`.trim() : id;
  };

  function toggle(field: string, on: boolean) {
    setForm({ ...form, fields: on ? [...form.fields, field] : form.fields.filter((f) => f !== field) });
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setMessage('');
    const input = {
      ...(form.subject === 'role' ? { role: form.role } : { employeeId: form.employeeId }),
      fields: form.fields,
      reason: form.reason,
      ...(form.from ? { from: form.from } : {}),
      ...(form.to ? { to: form.to } : {}),
    };
    const r = await ask.run({ input });
    if (r.data?.requestAccessRestriction) {
      setMessage(`Your request was sent to the privacy office; it must be answered by ${when(r.data.requestAccessRestriction.dueAt)}.`);
      setForm(EMPTY);
      requests.reload();
    }
  }

  return (
    <section aria-labelledby="restriction-request-title">
      <h2 id="restriction-request-title">Ask for a restriction</h2>
      <form onSubmit={(e) => void onSubmit(e)} className="form" aria-describedby="restriction-request-help">
        <p id="restriction-request-help">Ask that a staff member, or everyone in a role, not see parts of your record. The privacy office decides within 30 days.</p>
        <fieldset>
          <legend>Who should not see it</legend>
          <label className="choice">
            <input type="radio" name="subject" value="role" checked={form.subject === 'role'} onChange={() => setForm({ ...form, subject: 'role' })} /> Everyone in a role
          </label>
          <label className="choice">
            <input type="radio" name="subject" value="employee" checked={form.subject === 'employee'} onChange={() => setForm({ ...form, subject: 'employee' })} /> One staff member
          </label>
          {form.subject === 'role' ? (
            <label>
              Role
              <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
                {STAFF_ROLES.map((role) => (
                  <option key={role} value={role}>
                    {role.toLowerCase().replace('_', ' ')}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <label>
              Staff member
              <select name="employeeId" value={form.employeeId} onChange={(e) => setForm({ ...form, employeeId: e.target.value })} required>
                <option value="">Choose…</option>
                {people.map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.firstName} {e.lastName}
                    {e.jobTitle ? `, ${e.jobTitle}` : ''}
                  </option>
                ))}
              </select>
            </label>
          )}
        </fieldset>
        <fieldset>
          <legend>What they should not see</legend>
          {RESTRICTABLE.map(({ field, label }) => (
            <label key={field} className="choice">
              <input type="checkbox" name="fields" value={field} checked={form.fields.includes(field)} onChange={(e) => toggle(field, e.target.checked)} /> {label}
            </label>
          ))}
        </fieldset>
        <label>
          Reason for the restriction <input name="restrictionReason" value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} required />
        </label>
        <label>
          From (optional) <input type="date" name="from" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </label>
        <label>
          Until (optional) <input type="date" name="to" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </label>
        <button type="submit" disabled={ask.busy || form.fields.length === 0}>
          Send the restriction request
        </button>
      </form>
      <Problems errors={[...(ask.result?.errors ?? []), ...(staff.result?.errors ?? []), ...(requests.result?.errors ?? [])]} />
      {message && <Status>{message}</Status>}
      <table>
        <caption>My restriction requests</caption>
        <thead>
          <tr>
            <th scope="col">Received</th>
            <th scope="col">What</th>
            <th scope="col">Status</th>
            <th scope="col">Answer due</th>
            <th scope="col">Decision</th>
          </tr>
        </thead>
        <tbody>
          {mine.map((r) => (
            <tr key={r.id} data-request={r.id}>
              <td>{when(r.receivedAt)}</td>
              <td>
                {r.restriction?.fields.map((f) => f.replace('Patient.', '')).join(', ')} hidden from {r.restriction?.role ?? nameOf(r.restriction?.employeeId)}
              </td>
              <td>{r.status}</td>
              <td>{when(r.dueAt)}</td>
              <td>
                {r.decisionReason}
                {r.appealNotice && <p>{r.appealNotice}</p>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
