// The side panel for one citation: book, authors, chapter, pages and the
// quoted passage.  Focus moves to its heading when it opens; Escape or
// the close button closes it and focus returns to the chip.  When the
// server sends surrounding text (a `context` field) it is expandable.

import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { Citation } from '../api/types';

// "View page" opens the cited page itself; the dialog is loaded on demand.
const PageDialog = lazy(() => import('./PageDialog'));
const SAVED_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function CitationPanel({ citation, onClose, messageId, token }: {
  citation: Citation & { context?: string };
  onClose: () => void;
  messageId?: string;
  token?: string;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [expanded, setExpanded] = useState(false);
  const [viewing, setViewing] = useState(false);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    heading.current?.focus();
  }, [citation]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.querySelector('[role="dialog"]')) closeRef.current();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const c = citation;
  const authors = c.book.authors?.join(', ');
  const samePage = String(c.pages.start) === String(c.pages.end);
  return (
    <aside className="citation-panel" aria-labelledby="citation-panel-title">
      <div className="panel-head">
        <h2 id="citation-panel-title" ref={heading} tabIndex={-1}>Source {c.n}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close source panel">×</button>
      </div>
      <dl className="citation-meta">
        <dt>Book</dt>
        <dd>{c.book.title}</dd>
        {authors && (<><dt>Authors</dt><dd>{authors}</dd></>)}
        {(c.chapter?.number !== null || c.chapter?.title) && (
          <>
            <dt>Chapter</dt>
            <dd>{[c.chapter.number !== null && c.chapter.number !== undefined ? `Chapter ${c.chapter.number}` : '', c.chapter.title ?? ''].filter(Boolean).join(': ')}</dd>
          </>
        )}
        <dt>{samePage ? 'Page' : 'Pages'}</dt>
        <dd>{samePage ? c.pages.start : `${c.pages.start}-${c.pages.end}`}</dd>
      </dl>
      {messageId && SAVED_ID.test(messageId) && (
        <button type="button" className="view-page" onClick={() => setViewing(true)}>View page</button>
      )}
      <h3>Quoted passage</h3>
      <blockquote className="quote">{c.quote}</blockquote>
      {c.context && (
        <>
          <button type="button" className="link-button" aria-expanded={expanded} aria-controls="citation-context"
            onClick={() => setExpanded(!expanded)}>
            {expanded ? 'Hide surrounding text' : 'Show surrounding text'}
          </button>
          {expanded && <p id="citation-context" className="context">{c.context}</p>}
        </>
      )}
      {viewing && messageId && (
        <Suspense fallback={<p role="status">Opening the page…</p>}>
          <PageDialog messageId={messageId} n={c.n} token={token} onClose={() => setViewing(false)} />
        </Suspense>
      )}
    </aside>
  );
}
