// The reasons dialog for a thumbs-down (or a flag): reasons, an optional
// comment and "flag for urgent review".

import { useState, type FormEvent } from 'react';
import { Dialog } from './Dialog';
import { REASONS } from '../format';
import type { FeedbackReason } from '../api/types';
import { teacherMessage } from '../api/errors';

export interface FeedbackInput {
  reasons: FeedbackReason[];
  comment: string;
  flag: boolean;
}

export function FeedbackDialog({ initial, onSubmit, onClose }: {
  initial: FeedbackInput;
  onSubmit: (f: FeedbackInput) => Promise<void>;
  onClose: () => void;
}) {
  const [reasons, setReasons] = useState<FeedbackReason[]>(initial.reasons);
  const [comment, setComment] = useState(initial.comment);
  const [flag, setFlag] = useState(initial.flag);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const toggle = (r: FeedbackReason) =>
    setReasons((rs) => (rs.includes(r) ? rs.filter((x) => x !== r) : [...rs, r]));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await onSubmit({ reasons, comment: comment.trim(), flag });
    } catch (err) {
      setError(teacherMessage(err, 'The feedback could not be saved.'));
      setBusy(false);
    }
  };

  return (
    <Dialog title="What was wrong with this answer?" onClose={onClose}>
      <form onSubmit={submit} className="stack">
        <fieldset>
          <legend>Reasons (choose any)</legend>
          {REASONS.map((r, i) => (
            <label key={r.id} className="check">
              <input type="checkbox" checked={reasons.includes(r.id)} onChange={() => toggle(r.id)}
                data-autofocus={i === 0 ? true : undefined} />
              {r.label}
            </label>
          ))}
        </fieldset>
        <label htmlFor="feedback-comment">Comment (optional)</label>
        <textarea id="feedback-comment" value={comment} maxLength={2000} rows={3}
          onChange={(e) => setComment(e.target.value)} />
        <label className="check">
          <input type="checkbox" checked={flag} onChange={(e) => setFlag(e.target.checked)} />
          Flag for urgent review by an administrator
        </label>
        {error && <p role="alert" className="error-text">{error}</p>}
        <div className="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy}>Send feedback</button>
        </div>
      </form>
    </Dialog>
  );
}
