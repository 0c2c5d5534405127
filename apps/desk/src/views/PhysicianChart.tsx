import { useEffect, useRef, useState, type FormEvent } from 'react';
import { AddNoteMutation, ChartPatientsQuery, ChartQuery, NotesQuery, OpenEmergencyAccessMutation, SearchPatientsQuery } from '../api/operations';
import { refusalAt } from '../api/client';
import { Guarded, NeedsMfa, Problems, Status, fullName, when } from '../ui/parts';
import { useMutation, useQuery } from '../ui/useOperation';

const MIN_JUSTIFICATION = 20;

function useNow(everyMs: number) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Break the glass: a justification dialog, then the remaining time of the emergency access. */
function EmergencyAccess(props: { patientId: string; onOpened: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const open = useMutation(OpenEmergencyAccessMutation);
  const [justification, setJustification] = useState('');
  const [expiresAt, setExpiresAt] = useState<string | null>(null);
  const now = useNow(15_000);
  useEffect(() => setExpiresAt(null), [props.patientId]);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const r = await open.run({ patientId: props.patientId, justification });
    if (r.data?.openEmergencyAccess) {
      setExpiresAt(r.data.openEmergencyAccess.expiresAt);
      setJustification('');
      dialog.current?.close();
      props.onOpened();
    }
  }

  // The clock ticks every 15 s; never show more than the 60 minutes an access lasts.
  const minutesLeft = expiresAt ? Math.min(60, Math.max(0, Math.ceil((new Date(expiresAt).getTime() - now) / 60_000))) : 0;
  return (
    <div className="emergency">
      {expiresAt && minutesLeft > 0 ? (
        <p role="status" className="emergency-banner">
          Emergency access open: <strong>{minutesLeft} minutes left</strong> (until {when(expiresAt)}). Every read is audited and reviewed by the privacy office.
        </p>
      ) : (
        <button type="button" className="danger" onClick={() => dialog.current?.showModal()}>
          Emergency access (break the glass)
        </button>
      )}
      <dialog ref={dialog} aria-labelledby="glass-title">
        <form onSubmit={(e) => void onSubmit(e)} className="form">
          <h2 id="glass-title">Break the glass</h2>
          <p>
            Only when the patient's life or safety is at serious risk. The access lasts 60 minutes, is <strong>recorded in the audit log</strong> and{' '}
            <strong>goes to the privacy office for review</strong> (an incident if misused).
          </p>
          <label>
            Justification (at least {MIN_JUSTIFICATION} characters)
            <textarea name="justification" value={justification} onChange={(e) => setJustification(e.target.value)} minLength={MIN_JUSTIFICATION} required rows={3} />
          </label>
          <Problems errors={open.result?.errors ?? []} />
          <div className="actions">
            <button type="submit" className="danger" disabled={open.busy}>
              Open emergency access
            </button>
            <button type="button" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}

function Notes(props: { patientId: string }) {
  const notes = useQuery(NotesQuery, { id: props.patientId });
  const add = useMutation(AddNoteMutation);
  const [text, setText] = useState('');
  const [message, setMessage] = useState('');
  const errors = notes.result?.errors ?? [];
  const reason = refusalAt(errors, ['patient', 'clinicalNotes']);

  async function onAdd(event: FormEvent) {
    event.preventDefault();
    const r = await add.run({ patientId: props.patientId, text });
    if (r.data?.addClinicalNote) {
      setText('');
      setMessage('Note added.');
      notes.reload();
    }
  }

  return (
    <section aria-labelledby="notes-title">
      <h2 id="notes-title">Clinical notes</h2>
      {reason === 'MFA_REQUIRED' ? (
        <NeedsMfa what="Reading and writing clinical notes" />
      ) : (
        <>
          <Guarded errors={errors} path={['patient', 'clinicalNotes']} empty="no notes">
            {notes.result?.data?.patient?.clinicalNotes?.length ? (
              <ul>
                {notes.result.data.patient.clinicalNotes.map((n) => (
                  <li key={n.id}>
                    <span className="muted">
                      {when(n.writtenAt)}, {fullName(n.author)}:
                    </span>{' '}
                    {n.text}
                  </li>
                ))}
              </ul>
            ) : null}
          </Guarded>
          {!reason && (
            <form onSubmit={(e) => void onAdd(e)} className="form">
              <label>
                New note <textarea name="note" value={text} onChange={(e) => setText(e.target.value)} required rows={2} />
              </label>
              <button type="submit" disabled={add.busy}>
                Add note
              </button>
            </form>
          )}
          <Problems errors={add.result?.errors ?? []} />
          {message && <Status>{message}</Status>}
        </>
      )}
    </section>
  );
}

function Chart(props: { patientId: string }) {
  const chart = useQuery(ChartQuery, { id: props.patientId });
  // Opening an emergency access changes what every part of the chart may show: all of it loads again.
  const [accessChanges, setAccessChanges] = useState(0);
  const reloadAll = () => {
    chart.reload();
    setAccessChanges((n) => n + 1);
  };
  const errors = chart.result?.errors ?? [];
  const p = chart.result?.data?.patient;
  const at = (field: string) => ['patient', field];
  return (
    <article aria-labelledby="chart-title" data-chart={props.patientId}>
      <h2 id="chart-title">{p ? fullName(p) : 'Chart'}</h2>
      <EmergencyAccess patientId={props.patientId} onOpened={reloadAll} />
      <Problems errors={errors} />
      {p && (
        <>
          <dl className="facts">
            <dt>Date of birth</dt>
            <dd>{p.dateOfBirth}</dd>
            <dt>Sex</dt>
            <dd>{p.sex}</dd>
            <dt>Phone</dt>
            <dd data-field="phone">
              <Guarded errors={errors} path={at('phone')}>
                {p.phone}
              </Guarded>
            </dd>
            <dt>Address</dt>
            <dd>
              <Guarded errors={errors} path={at('address')}>
                {p.address}
              </Guarded>
            </dd>
            <dt>Insurance number</dt>
            <dd>
              <Guarded errors={errors} path={at('healthInsuranceNumber')}>
                {p.healthInsuranceNumber}
              </Guarded>
            </dd>
            <dt>Allergies</dt>
            <dd data-field="allergies">
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
            <dd data-field="diagnoses">
              <Guarded errors={errors} path={at('diagnoses')} empty="none">
                {p.diagnoses?.map((d) => `${d.code} ${d.description ?? ''}`.trim()).join('; ')}
              </Guarded>
            </dd>
            <dt>Vitals</dt>
            <dd>
              <Guarded errors={errors} path={at('vitals')} empty="none">
                {p.vitals?.map((v) => `${v.kind} ${v.value}`).join('; ')}
              </Guarded>
            </dd>
            <dt>Documents</dt>
            <dd>
              <Guarded errors={errors} path={at('documents')} empty="none">
                {p.documents?.map((d) => `${d.kind}: ${d.title ?? ''}`).join('; ')}
              </Guarded>
            </dd>
            <dt>Care team</dt>
            <dd>
              <Guarded errors={errors} path={at('careTeam')} empty="none">
                {p.careTeam?.map((c) => `${fullName(c.employee)} (${c.kind})`).join('; ')}
              </Guarded>
            </dd>
            <dt>Appointments</dt>
            <dd>
              <Guarded errors={errors} path={at('appointments')} empty="none">
                {p.appointments?.map((a) => `${when(a.startsAt)} ${a.reason ?? ''} (${a.status})`).join('; ')}
              </Guarded>
            </dd>
          </dl>
          <Notes key={accessChanges} patientId={props.patientId} />
        </>
      )}
    </article>
  );
}

/** One patient's whole chart: pick from the patients in your care or find anyone by name. */
export function PhysicianChart() {
  const mine = useQuery(ChartPatientsQuery, {});
  const [search, setSearch] = useState('');
  const [searched, setSearched] = useState<string | null>(null);
  const found = useQuery(SearchPatientsQuery, { search: searched ?? '', first: 20 }, searched === null);
  const [patientId, setPatientId] = useState<string | null>(null);
  const choices = [...(mine.result?.data?.myPatients ?? []), ...(found.result?.data?.patients?.nodes ?? [])].filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i);

  return (
    <section aria-labelledby="chart-view-title">
      <h1 id="chart-view-title">Physician chart</h1>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setSearched(search);
        }}
      >
        <label>
          Find a patient by name <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      <Problems errors={[...(mine.result?.errors ?? []), ...(found.result?.errors ?? [])]} />
      <label>
        Patient
        <select value={patientId ?? ''} onChange={(e) => setPatientId(e.target.value || null)} name="chartPatient">
          <option value="">Choose…</option>
          {choices.map((p) => (
            <option key={p.id} value={p.id}>
              {fullName(p)}
              {mine.result?.data?.myPatients.some((m) => m.id === p.id) ? ' (in your care)' : ''}
            </option>
          ))}
        </select>
      </label>
      {patientId && <Chart key={patientId} patientId={patientId} />}
    </section>
  );
}
