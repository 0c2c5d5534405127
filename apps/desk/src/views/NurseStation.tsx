import { useState, type FormEvent } from 'react';
import { RecordVitalMutation, WardBoardQuery } from '../api/operations';
import { Guarded, Problems, Status, fullName, when } from '../ui/parts';
import { useMutation, useQuery } from '../ui/useOperation';

const VITAL_KINDS = ['BLOOD_PRESSURE', 'HEART_RATE', 'TEMPERATURE', 'RESPIRATORY_RATE', 'OXYGEN_SATURATION', 'WEIGHT', 'GLUCOSE'];

/** Latest value of each kind of vital sign. */
function latestVitals(vitals: readonly { kind: string; value: string; recordedAt?: string | null }[]) {
  const latest = new Map<string, { kind: string; value: string; recordedAt?: string | null }>();
  for (const v of vitals) {
    const seen = latest.get(v.kind);
    if (!seen || (v.recordedAt ?? '') > (seen.recordedAt ?? '')) latest.set(v.kind, v);
  }
  return [...latest.values()];
}

/**
 * The ward board: `myPatients` lists only the patients the nurse has a duty toward, so it never
 * meets a "no care relationship" refusal (and never opens a privacy incident).
 */
export function NurseStation() {
  const board = useQuery(WardBoardQuery, {});
  const record = useMutation(RecordVitalMutation);
  const [form, setForm] = useState({ patientId: '', kind: 'BLOOD_PRESSURE', value: '' });
  const [message, setMessage] = useState('');
  const errors = board.result?.errors ?? [];
  const patients = board.result?.data?.myPatients ?? [];

  async function onRecord(event: FormEvent) {
    event.preventDefault();
    setMessage('');
    const r = await record.run(form);
    if (r.data?.recordVital) {
      setMessage(`Recorded ${r.data.recordVital.kind} ${r.data.recordVital.value}.`);
      setForm({ ...form, value: '' });
      board.reload();
    }
  }

  return (
    <section aria-labelledby="nurse-title">
      <h1 id="nurse-title">Nurse station</h1>
      <p>The patients you have a duty toward now: care assignment, appointment today, referral or emergency access.</p>
      <button type="button" onClick={board.reload}>
        Refresh
      </button>
      <Problems errors={errors} />
      {board.result && patients.length === 0 && <p>No patient in your care right now.</p>}
      <ul className="cards">
        {patients.map((p, i) => (
          <li key={p.id} className="card" data-patient={p.id}>
            <h2>{fullName(p)}</h2>
            <h3>Allergies</h3>
            <p data-field="allergies">
              <Guarded errors={errors} path={['myPatients', i, 'allergies']} empty="none known">
                {p.allergies?.join(', ')}
              </Guarded>
            </p>
            <h3>Medications</h3>
            <Guarded errors={errors} path={['myPatients', i, 'medications']} empty="none">
              {p.medications?.length ? (
                <ul>
                  {p.medications.map((m) => (
                    <li key={m.name}>
                      {m.name} {m.dosage}
                    </li>
                  ))}
                </ul>
              ) : null}
            </Guarded>
            <h3>Latest vitals</h3>
            <Guarded errors={errors} path={['myPatients', i, 'vitals']} empty="none recorded">
              {p.vitals?.length ? (
                <ul data-field="vitals">
                  {latestVitals(p.vitals).map((v) => (
                    <li key={v.kind}>
                      {v.kind}: {v.value} <span className="muted">({when(v.recordedAt)})</span>
                    </li>
                  ))}
                </ul>
              ) : null}
            </Guarded>
          </li>
        ))}
      </ul>

      <h2>Record a vital sign</h2>
      <form onSubmit={(e) => void onRecord(e)} className="form">
        <label>
          Patient
          <select name="patientId" value={form.patientId} onChange={(e) => setForm({ ...form, patientId: e.target.value })} required>
            <option value="">Choose…</option>
            {patients.map((p) => (
              <option key={p.id} value={p.id}>
                {fullName(p)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select name="kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
            {VITAL_KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          Value <input name="value" value={form.value} onChange={(e) => setForm({ ...form, value: e.target.value })} required />
        </label>
        <button type="submit" disabled={record.busy}>
          Record
        </button>
      </form>
      <Problems errors={record.result?.errors ?? []} />
      {message && <Status>{message}</Status>}
    </section>
  );
}
