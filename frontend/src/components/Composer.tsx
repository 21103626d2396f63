// The question box: Enter sends, Shift+Enter adds a line, a Stop button
// replaces Send while an answer streams.  Focus stays in the box after
// sending so the next question can follow.

import { forwardRef, useState, type FormEvent, type KeyboardEvent } from 'react';

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
      <textarea id="composer-input" ref={ref} value={text} rows={2} maxLength={4000}
        placeholder="Ask about PLCs, e.g. How do we write a common formative assessment?"
        aria-describedby="composer-help" onChange={(e) => setText(e.target.value)} onKeyDown={key} />
      <p id="composer-help" className="visually-hidden">Enter sends; Shift+Enter adds a new line.</p>
      {streaming ? (
        <button type="button" className="stop" onClick={onStop}>Stop</button>
      ) : (
        <button type="submit" className="primary" disabled={disabled || text.trim() === ''}
          title={disabled ? disabledReason : undefined}>Send</button>
      )}
    </form>
  );
});
