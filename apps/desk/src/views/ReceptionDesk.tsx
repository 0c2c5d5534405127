import { useState, type FormEvent } from 'react';
import { BookAppointmentMutation, CancelAppointmentMutation, PractitionersQuery, ScheduleQuery, SearchPatientsQuery } from '../api/operations';
import { Guarded, Problems, Status, fullName, when } from '../ui/parts';
import { useMutation, useQuery } from '../ui/useOperation';
import { clinicInstant, clinicToday } from '../ui/clinic-time';

/** Reception: today's schedule, patient search, booking and cancelling (the API's errors shown as they are). */
export function ReceptionDesk() {
  // The clinic's day, whatever the zone of this computer (ui/clinic-time.ts).
  const [day, setDay] = useState(() => clinicToday());
  const schedule = useQuery(ScheduleQuery, { day });
  const [search, setSearch] = useState('');
  const [searched, setSearched] = useState<string | null>(null);
  const found = useQuery(SearchPatientsQuery, { search: searched ?? '', first: 20 }, searched === null);
  const practitioners = useQuery(PractitionersQuery, {});
  const book = useMutation(BookAppointmentMutation);
  const cancel = useMutation(CancelAppointmentMutation);
  const [booking, setBooking] = useState({ patientId: '', practitionerId: '', startsAt: '', reason: '' });
  const [message, setMessage] = useState('');

  const errors = schedule.result?.errors ?? [];
  const appointments = schedule.result?.data?.appointments ?? [];
  const clinicians = (practitioners.result?.data?.employees?.nodes ?? []).filter((e) => e.role === 'PHYSICIAN' || e.role === 'NURSE' || e.role === 'CONSULTANT');

  async function onBook(event: FormEvent) {
    event.preventDefault();
    setMessage('');
    const startsAt = booking.startsAt ? (clinicInstant(booking.startsAt) ?? '') : '';
    const r = await book.run({ input: { patientId: booking.patientId, practitionerId: booking.practitionerId, startsAt, reason: booking.reason || null } });
    if (r.data?.bookAppointment) {
      setMessage(`Booked for ${when(r.data.bookAppointment.startsAt)}.`);
      schedule.reload();
    }
  }

  async function onCancel(id: string) {
    setMessage('');
    const r = await cancel.run({ id });
    if (r.data?.cancelAppointment) {
      setMessage('Appointment cancelled.');
      schedule.reload();
    }
  }

  return (
    <section aria-labelledby="reception-title">
      <h1 id="reception-title">Reception desk</h1>

      <h2>Schedule</h2>
      <label>
        Day <input type="date" value={day} onChange={(e) => setDay(e.target.value)} />
      </label>
      <button type="button" onClick={schedule.reload}>
        Refresh
      </button>
      <Problems errors={errors} />
      <table>
        <caption>Appointments of {day}</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Patient</th>
            <th scope="col">Phone</th>
            <th scope="col">Insurance number</th>
            <th scope="col">Practitioner</th>
            <th scope="col">Reason</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {appointments.map((a, i) => (
            <tr key={a.id} data-appointment={a.id}>
              <td>{when(a.startsAt)}</td>
              <td>
                <Guarded errors={errors} path={['appointments', i, 'patient', 'lastName']}>
                  {fullName(a.patient)}
                </Guarded>
              </td>
              <td data-field="phone">
                <Guarded errors={errors} path={['appointments', i, 'patient', 'phone']}>
                  {a.patient?.phone}
                </Guarded>
              </td>
              <td data-field="healthInsuranceNumber">
                <Guarded errors={errors} path={['appointments', i, 'patient', 'healthInsuranceNumber']}>
                  {a.patient?.healthInsuranceNumber}
                </Guarded>
              </td>
              <td>
                <Guarded errors={errors} path={['appointments', i, 'practitioner', 'lastName']}>
                  {fullName(a.practitioner)}
                </Guarded>
              </td>
              <td>{a.reason}</td>
              <td>{a.status}</td>
              <td>
                {a.status === 'BOOKED' && (
                  <button type="button" onClick={() => void onCancel(a.id)} aria-label={`Cancel the appointment of ${fullName(a.patient)} at ${when(a.startsAt)}`}>
                    Cancel
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {schedule.result && appointments.length === 0 && <p>No appointment this day.</p>}

      <h2>Find a patient</h2>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setSearched(search);
        }}
      >
        <label>
          Name <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      <Problems errors={found.result?.errors ?? []} />
      {found.result?.data?.patients && (
        <table>
          <caption>{found.result.data.patients.totalCount} patients found</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Date of birth</th>
              <th scope="col">Phone</th>
              <th scope="col">Insurance number</th>
              <th scope="col">Book</th>
            </tr>
          </thead>
          <tbody>
            {found.result.data.patients.nodes.map((p, i) => (
              <tr key={p.id} data-patient={p.id}>
                <td>{fullName(p)}</td>
                <td>{p.dateOfBirth}</td>
                <td data-field="phone">
                  <Guarded errors={found.result?.errors ?? []} path={['patients', 'nodes', i, 'phone']}>
                    {p.phone}
                  </Guarded>
                </td>
                <td>
                  <Guarded errors={found.result?.errors ?? []} path={['patients', 'nodes', i, 'healthInsuranceNumber']}>
                    {p.healthInsuranceNumber}
                  </Guarded>
                </td>
                <td>
                  <button type="button" onClick={() => setBooking((b) => ({ ...b, patientId: p.id }))} aria-label={`Book for ${fullName(p)}`}>
                    Book
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Book an appointment</h2>
      <form onSubmit={(e) => void onBook(e)} className="form">
        <label>
          Patient id <input name="patientId" value={booking.patientId} onChange={(e) => setBooking({ ...booking, patientId: e.target.value })} required />
        </label>
        <label>
          Practitioner
          <select name="practitionerId" value={booking.practitionerId} onChange={(e) => setBooking({ ...booking, practitionerId: e.target.value })} required>
            <option value="">Choose…</option>
            {clinicians.map((c) => (
              <option key={c.id} value={c.id}>
                {fullName(c)} ({c.jobTitle})
              </option>
            ))}
          </select>
        </label>
        <label>
          Starts at <input name="startsAt" type="datetime-local" value={booking.startsAt} onChange={(e) => setBooking({ ...booking, startsAt: e.target.value })} required />
        </label>
        <label>
          Reason <input name="reason" value={booking.reason} onChange={(e) => setBooking({ ...booking, reason: e.target.value })} />
        </label>
        <button type="submit" disabled={book.busy}>
          Book
        </button>
      </form>
      <Problems errors={[...(book.result?.errors ?? []), ...(cancel.result?.errors ?? [])]} />
      {message && <Status>{message}</Status>}
    </section>
  );
}
