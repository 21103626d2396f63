// One message of a conversation.  Answers: markdown with citation chips,
// the sources list, follow-up and clarification buttons, notices
// ("Quoted from your library" for extractive mode, ungrounded, stopped,
// failed) and feedback controls.

import { useMemo, useState } from 'react';
import { Markdown } from './Markdown';
import { FlagIcon, ThumbDown, ThumbUp } from './Icons';
import { FeedbackDialog, type FeedbackInput } from './FeedbackDialog';
import { citationLabel, formatDate, renumberCitations, splitFollowUps, splitTakeaways, withoutChoices, type ShownCitation } from '../format';
import type { CoachAnswer, Feedback, Message } from '../api/types';
import { teacherMessage } from '../api/errors';

export interface UiMessage extends Message {
  streaming?: boolean;
  stopped?: boolean;
  failed?: { message: string; retry?: () => void };
  /** a saved question's answer is still being written (by another request) */
  pending?: boolean;
  type?: CoachAnswer['type'] | 'error' | null;
  clarification?: CoachAnswer['clarification'];
  notice?: string;
}

export function MessageView({ m, readOnly, onCite, onAsk, onFeedback }: {
  m: UiMessage;
  readOnly?: boolean;
  onCite: (c: ShownCitation, el: HTMLElement) => void;
  onAsk?: (q: string) => void;
  onFeedback?: (messageId: string, body: { rating: 'up' | 'down'; reasons?: FeedbackInput['reasons']; comment?: string; flag?: boolean }) => Promise<Feedback>;
}) {
  const [dialog, setDialog] = useState<null | 'down' | 'flag'>(null);
  const [feedback, setFeedback] = useState<Feedback | null>(m.feedback ?? null);
  const [fbStatus, setFbStatus] = useState('');
  // The sources the answer cites, renumbered 1..n in the text and the list.
  const shown = useMemo(() => (m.role === 'assistant'
    ? renumberCitations(m.content, m.citations ?? [])
    : { text: m.content, citations: [] as ShownCitation[] }), [m.role, m.content, m.citations]);
  // A finished answer: its follow-up questions become buttons, its key
  // takeaways a box of their own, and a clarification's choices are shown
  // once, as buttons, not also as a list in the text.
  const { body, followUps, takeaways } = useMemo(() => {
    if (m.role !== 'assistant' || m.streaming) return { body: shown.text, followUps: [], takeaways: '' };
    const choices = m.clarification?.choices ?? [];
    const text = choices.length > 0 ? withoutChoices(shown.text, choices) : shown.text;
    const f = splitFollowUps(text);
    const t = splitTakeaways(f.body);
    return { body: t.body, followUps: f.followUps, takeaways: t.takeaways };
  }, [shown.text, m.role, m.streaming, m.clarification]);
  const cites = shown.citations;
  const known = useMemo(() => new Set(cites.map((c) => c.n)), [cites]);
  const [whyQuoted, setWhyQuoted] = useState(false);
  const choices = m.clarification?.choices ?? [];
  const question = m.clarification?.question ?? '';

  if (m.role === 'user') {
    return (
      <li className="message user" data-message-id={m.id}>
        <h2 className="visually-hidden">You asked</h2>
        <p className="user-text">{m.content}</p>
      </li>
    );
  }

  const citeByN = (n: number, el: HTMLElement) => {
    const c = cites.find((x) => x.n === n);
    if (c) onCite(c, el);
  };

  const rate = async (rating: 'up' | 'down', extra?: FeedbackInput) => {
    if (!onFeedback) return;
    try {
      const f = await onFeedback(m.id, {
        rating,
        ...(rating === 'down' && extra ? { reasons: extra.reasons, comment: extra.comment || undefined } : {}),
        ...(extra ? { flag: extra.flag } : {}),
      });
      setFeedback(f);
      setFbStatus(f.flagged ? 'Thanks. An administrator will review this answer.' : 'Thanks for your feedback.');
      setDialog(null);
    } catch (e) {
      if (extra) throw e;
      setFbStatus(teacherMessage(e, 'The feedback could not be saved.'));
    }
  };

  const waiting = m.streaming && m.content === '';
  const canRate = !readOnly && !m.streaming && !m.failed && !m.id.startsWith('local-') && onFeedback;

  return (
    <li className="message assistant" data-message-id={m.id}>
      <h2 className="visually-hidden">Coach answered</h2>
      {waiting && (
        // Seen, not heard: the coach page's live region says it in words.
        <div className="typing" aria-hidden="true">
          <span className="dot" aria-hidden="true" /><span className="dot" aria-hidden="true" /><span className="dot" aria-hidden="true" />
        </div>
      )}
      {m.notice && <p className="notice" role="note">{m.notice}</p>}
      {m.mode === 'extractive' && !m.streaming && m.type !== 'clarification' && m.type !== 'refusal' && (
        <div className="notice subtle quoted">
          <span>Quoted from your library</span>{' '}
          <button type="button" className="link-button" aria-expanded={whyQuoted} aria-controls={`why-quoted-${m.id}`}
            onClick={() => setWhyQuoted(!whyQuoted)}>What does this mean?</button>
          {whyQuoted && (
            <p id={`why-quoted-${m.id}`}>
              The AI writer was not used for this answer. Every sentence is quoted word for word from a book in
              your library, and the number after it opens the page it comes from.
            </p>
          )}
        </div>
      )}
      {body && <Markdown text={body} onCite={citeByN} knownCitations={known} />}
      {takeaways && (
        <section className="takeaways" aria-label="Key takeaways">
          <h3>Key takeaways</h3>
          <Markdown text={takeaways} onCite={citeByN} knownCitations={known} />
        </section>
      )}
      {m.grounded === false && !m.streaming && m.type !== 'refusal' && m.type !== 'clarification' && (
        <p className="notice warn" role="note">Nothing in the library supports this answer directly: it is not grounded in a cited source.</p>
      )}
      {m.stopped && <p className="notice subtle">You stopped this answer.</p>}
      {m.pending && <p className="notice" role="status">This question is still being answered. Its answer will appear here; reload the conversation in a minute.</p>}
      {m.failed && (
        <div className="notice error" role="alert">
          <p>{m.failed.message}</p>
          {m.failed.retry && <button type="button" onClick={m.failed.retry}>Try again</button>}
        </div>
      )}
      {choices.length > 0 && (
        // The question and its options once: the question as text (unless
        // the answer's text already is it), the options as buttons, or as
        // a list where nothing can be asked (a shared view).
        <div className="choices" role="group" aria-label="Options">
          {question && !body.includes(question) && <p>{question}</p>}
          {readOnly || !onAsk ? (
            <ul>{choices.map((c) => <li key={c}>{c}</li>)}</ul>
          ) : choices.map((c) => (
            <button type="button" key={c} className="chip-button" onClick={() => onAsk(c)}>{c}</button>
          ))}
        </div>
      )}
      {cites.length > 0 && (
        <div className="sources">
          <h3>Sources</h3>
          <ol>
            {cites.map((c) => (
              <li key={c.n}>
                <button type="button" className="source-chip" onClick={(e) => onCite(c, e.currentTarget)}>
                  <span className="chip-n" aria-hidden="true">{c.n}</span>
                  <span className="visually-hidden">Source {c.n}: </span>
                  {citationLabel(c)}
                </button>
              </li>
            ))}
          </ol>
        </div>
      )}
      {followUps.length > 0 && (
        <div className="followups">
          <h3>Suggested follow-ups</h3>
          {readOnly || !onAsk ? (
            <ul>{followUps.map((f) => <li key={f}>{f}</li>)}</ul>
          ) : (
            <div className="chip-row">
              {followUps.map((f) => (
                <button type="button" key={f} className="chip-button" onClick={() => onAsk(f)}>{f}</button>
              ))}
            </div>
          )}
        </div>
      )}
      {canRate && (
        <div className="feedback-bar" role="group" aria-label="Rate this answer">
          <button type="button" className="icon-text" aria-pressed={feedback?.rating === 'up'}
            onClick={() => rate('up', feedback?.flagged ? { reasons: [], comment: '', flag: true } : undefined)}>
            <ThumbUp /> Helpful
          </button>
          <button type="button" className="icon-text" aria-pressed={feedback?.rating === 'down'} onClick={() => setDialog('down')}>
            <ThumbDown /> Not helpful
          </button>
          <button type="button" className="icon-text" aria-pressed={feedback?.flagged ?? false} onClick={() => setDialog('flag')}>
            <FlagIcon /> {feedback?.flagged ? (feedback.resolved_at ? 'Flag resolved' : 'Flagged') : 'Flag'}
          </button>
          <span role="status" className="status-text">{fbStatus}</span>
        </div>
      )}
      {canRate && feedback?.flagged && feedback.resolved_at && (
        // The loop closed: the administrator's answer to the flag.
        <div className="notice subtle flag-resolution" role="note">
          <p>An administrator reviewed your flag on {formatDate(feedback.resolved_at)}.</p>
          {feedback.resolution_note && <p><strong>Their note:</strong> {feedback.resolution_note}</p>}
        </div>
      )}
      {dialog && (
        <FeedbackDialog
          initial={{ reasons: feedback?.reasons ?? [], comment: feedback?.comment ?? '', flag: dialog === 'flag' ? true : feedback?.flagged ?? false }}
          onClose={() => setDialog(null)}
          onSubmit={(f) => rate(dialog === 'flag' && feedback?.rating === 'up' ? 'up' : 'down', f)}
        />
      )}
    </li>
  );
}
