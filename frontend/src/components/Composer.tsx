// The question box: Enter sends, Shift+Enter adds a line, a Stop button
// replaces Send while an answer streams.  Focus stays in the box after
// sending so the next question can follow.  The box stops at the
// server's limit (POST /api/coach/ask: 1-2000 characters), with a counter
// as the limit nears.

import { forwardRef, useState, type FormEvent, type KeyboardEvent } from 'react';

/** The longest question the server takes (docs/api.md, the coach). */
export const QUESTION_MAX = 2000;
/** The counter shows from this many characters on. */
const COUNT_FROM = 1800;

export const Composer = forwardRef<HTMLTextAreaElement, {
  streaming: boolean;
  disabled?: boolean;
  disabledReason?: string;
  onSend: (q: string) => void;
  onStop: () => void;
  draft?: string;
  onDraft?: (s: string) => void;
}>(function Composer({ streaming, disabled, disabledReason, onSend, onStop, draft, onDraft }, ref) {
  const [own, setOwn] = useState('');
  const text = draft ?? own;
  const setText = onDraft ?? setOwn;

  const left = QUESTION_MAX - text.length;
  const counting = text.length >= COUNT_FROM;
  const atLimit = left <= 0;

  const send = () => {
    const q = text.trim();
    if (!q || streaming || disabled) return;
    onSend(q);
    setText('');
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send();
  };
  const key = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };

  return (
    <form className="composer" onSubmit={submit} aria-label="Ask the coach">
      <label htmlFor="composer-input" className="visually-hidden">Your question</label>
      <textarea id="composer-input" ref={ref} value={text} rows={2} maxLength={QUESTION_MAX}
        placeholder="Ask about PLCs, e.g. How do we write a common formative assessment?"
        aria-describedby={['composer-help', counting ? 'composer-count' : '', disabled && disabledReason ? 'composer-reason' : ''].filter(Boolean).join(' ')}
        onChange={(e) => setText(e.target.value)} onKeyDown={key} />
      <p id="composer-help" className="visually-hidden">Enter sends; Shift+Enter adds a new line.</p>
      {counting && (
        <p id="composer-count" className={`composer-count${atLimit ? ' at-limit' : ''}`}>
          {atLimit
            ? `That is the ${QUESTION_MAX.toLocaleString('en-US')}-character limit. Shorten the question or ask it in two parts.`
            : `${left.toLocaleString('en-US')} of ${QUESTION_MAX.toLocaleString('en-US')} characters left`}
        </p>
      )}
      {disabled && disabledReason && !streaming && (
        // Why Send is disabled, in words (a title alone is invisible to touch and keyboard users).
        <p id="composer-reason" className="composer-reason">{disabledReason}</p>
      )}
      {/* Heard once, when the limit is reached (the counter itself is not live). */}
      <p className="visually-hidden" aria-live="polite">{atLimit ? `The question has reached the ${QUESTION_MAX.toLocaleString('en-US')}-character limit.` : ''}</p>
      {streaming ? (
        <button type="button" className="stop" onClick={onStop}>Stop</button>
      ) : (
        <button type="submit" className="primary" disabled={disabled || text.trim() === ''}
          title={disabled ? disabledReason : undefined}>Send</button>
      )}
    </form>
  );
});
