import { useState } from 'react';
import { CloseReviewItemMutation, ReviewItemsQuery } from '../api/operations';
import { Problems, Status, when } from '../ui/parts';
import { useMutation, useQuery } from '../ui/useOperation';

/**
 * The privacy office's review queue: emergency accesses, reads the watch flagged (own or a
 * coworker's record, same last name or address, sensitive records, bulk and off-hours reads) and
 * repeated refusals. Not incidents: closing an item as misuse opens one in the register.
 */
export function ReviewQueuePanel() {
  const queue = useQuery(ReviewItemsQuery, {});
  const close = useMutation(CloseReviewItemMutation);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');
  const page = queue.result?.data?.reviewItems;

  async function onClose(id: string, outcome: 'APPROPRIATE' | 'MISUSE') {
    setMessage('');
    const r = await close.run({ id, outcome, note: notes[id] ?? null });
    const closed = r.data?.closeReviewItem;
    if (closed) {
      setMessage(closed.outcome === 'MISUSE' ? `Closed as misuse; incident ${closed.incidentId ?? ''} opened in the register.` : 'Closed as appropriate.');
      queue.reload();
    }
  }

  return (
    <section aria-labelledby="review-queue-title">
      <h2 id="review-queue-title">Review queue</h2>
      <Problems errors={queue.result?.errors ?? []} />
      {page && <p>{page.totalCount === 0 ? 'Nothing to review.' : `${page.totalCount} open item${page.totalCount === 1 ? '' : 's'}.`}</p>}
      <ul className="cards">
        {(page?.nodes ?? []).map((item) => (
          <li key={item.id} className="card" data-review-item={item.id}>
            <p>
              <strong>{item.kind}</strong> — {item.actorId ?? 'unknown reader'}, {when(item.openedAt)}
              {item.patientIds.length > 0 && <> (patients {item.patientIds.join(', ')})</>}
            </p>
            <p>{item.trigger}</p>
            <label>
              Review note <input name={`review-note-${item.id}`} value={notes[item.id] ?? ''} onChange={(e) => setNotes({ ...notes, [item.id]: e.target.value })} />
            </label>
            <div className="actions">
              <button type="button" onClick={() => void onClose(item.id, 'APPROPRIATE')} disabled={close.busy}>
                Appropriate
              </button>
              <button type="button" className="danger" onClick={() => void onClose(item.id, 'MISUSE')} disabled={close.busy}>
                Misuse: open an incident
              </button>
            </div>
          </li>
        ))}
      </ul>
      <Problems errors={close.result?.errors ?? []} />
      {message && <Status>{message}</Status>}
    </section>
  );
}
