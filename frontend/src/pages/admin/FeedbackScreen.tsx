// Flagged feedback: the flagged answers with their sources, resolved
// with a note.

import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../../api/client';
import type { FlaggedFeedback } from '../../api/types';
import { citationLabel, formatDate, REASONS, renumberCitations, withoutMarkup } from '../../format';
import { Markdown } from '../../components/Markdown';
import { teacherMessage } from '../../api/errors';
import { Link } from '../../router';

/** The flagged answer with its sources: numbered 1..n in the text and
 * the list (as the teacher saw them), each marker moving focus to its
 * source, which shows the book, chapter, pages and the quoted passage. */
function FlaggedAnswer({ f }: { f: FlaggedFeedback }) {
  const shown = useMemo(() => renumberCitations(f.answer.content, f.answer.citations ?? []), [f.answer]);
  const known = useMemo(() => new Set(shown.citations.map((c) => c.n)), [shown]);
  const id = (n: number) => `flag-${f.message_id}-source-${n}`;
  return (
    <>
      <Markdown text={shown.text} knownCitations={known}
        onCite={(n) => document.getElementById(id(n))?.focus()} />
      {shown.citations.length > 0 && (
        <div className="sources">
          <h4>Sources</h4>
          <ol>
            {shown.citations.map((c) => (
              <li key={c.n} id={id(c.n)} tabIndex={-1}>
                <span className="chip-n" aria-hidden="true">{c.n}</span>
                <span className="visually-hidden">Source {c.n}: </span>
                {citationLabel(c)}
                {c.quote && <blockquote className="quote">{withoutMarkup(c.quote)}</blockquote>}
              </li>
            ))}
          </ol>
        </div>
      )}
    </>
  );
}

export function FeedbackScreen() {
  const [filter, setFilter] = useState<'open' | 'resolved' | 'all'>('open');
  const [items, setItems] = useState<FlaggedFeedback[]>([]);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    try {
      const r = await api.flagged(filter);
      setItems(r.feedback);
    } catch (e) {
      setError(teacherMessage(e, 'Flagged feedback could not be loaded.'));
    }
  }, [filter]);

  useEffect(() => {
    void load();
  }, [load]);

  const resolve = async (f: FlaggedFeedback) => {
    try {
      await api.resolveFlag(f.message_id, (notes[f.message_id] ?? '').trim());
      setStatus('Marked as resolved.');
      await load();
    } catch (e) {
      setError(teacherMessage(e, 'Could not resolve.'));
    }
  };

  const reasonLabel = (r: string) => REASONS.find((x) => x.id === r)?.label ?? r;

  return (
    <section aria-labelledby="feedback-title">
      <h1 id="feedback-title" tabIndex={-1}>Flagged feedback</h1>
      {/* A row: the label beside its select, with a gap (they touched). */}
      <div className="row">
        <label htmlFor="flag-filter">Show</label>
        <select id="flag-filter" value={filter} onChange={(e) => setFilter(e.target.value as typeof filter)}>
          <option value="open">Open</option>
          <option value="resolved">Resolved</option>
          <option value="all">All</option>
        </select>
      </div>
      <p role="status" className="status-text">{status}</p>
      {error && <p role="alert" className="error-text">{error}</p>}
      {items.length === 0 ? <p>Nothing is flagged.</p> : (
        <ul className="flag-list">
          {items.map((f) => (
            <li key={f.message_id} className="card">
              <h2>Flagged by {f.flagged_by.name || f.flagged_by.email} on {formatDate(f.flagged_at)}</h2>
              <p><strong>Rating:</strong> {f.rating === 'down' ? 'Not helpful' : 'Helpful'}
                {f.reasons.length > 0 && <> · <strong>Reasons:</strong> {f.reasons.map(reasonLabel).join(', ')}</>}</p>
              {f.comment && <p><strong>Comment:</strong> {f.comment}</p>}
              {f.question && (<><h3>Question</h3><p className="user-text">{f.question.content}</p></>)}
              {f.deleted && (
                <p className="notice warn" role="note">
                  {f.deleted === 'conversation'
                    ? 'The teacher has since deleted this conversation. The question and answer below are the copies kept with the flag.'
                    : 'This answer has since been replaced (the question was asked again). The answer below is the copy kept with the flag.'}
                </p>
              )}
              <h3>Answer</h3>
              <FlaggedAnswer f={f} />
              {/* Only the admin's own conversations can be opened (anyone
                  else's is a 404 for her too): the server gives the id
                  only then. */}
              {f.conversation_id && (
                <p><Link href={`/c/${f.conversation_id}`}>Open this answer in your conversation</Link></p>
              )}
              {f.status === 'resolved' ? (
                <p className="notice subtle">Resolved{f.resolved_by ? ` by ${f.resolved_by.name}` : ''} on {formatDate(f.resolved_at)}{f.resolution_note ? `: ${f.resolution_note}` : ''}</p>
              ) : (
                <div className="row">
                  <label htmlFor={`note-${f.message_id}`}>Resolution note (optional)</label>
                  <input id={`note-${f.message_id}`} value={notes[f.message_id] ?? ''} maxLength={2000}
                    onChange={(e) => setNotes({ ...notes, [f.message_id]: e.target.value })} />
                  <button type="button" className="primary" onClick={() => void resolve(f)}>Resolve</button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
