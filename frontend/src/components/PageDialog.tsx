// "View page": a citation opened as the printed page it cites, in a modal
// dialog (components/Dialog.tsx: labelled, focus kept inside, Escape
// closes and focus returns to the button).  The image is the server's
// rendering with the quoted passage highlighted; its text alternative is
// the page's own text, which a "Text of this page" disclosure also shows.
// Previous/next move within the cited range.  Loaded on demand
// (React.lazy), so it costs the initial bundle nothing.

import { useEffect, useState } from 'react';
import { api, ApiError } from '../api/client';
import type { CitationPages } from '../api/types';
import { Dialog } from './Dialog';

/** The image's width in device pixels for the dialog's width. */
function imageWidth(): number {
  const css = Math.min(760, Math.max(280, (typeof window !== 'undefined' ? window.innerWidth : 800) - 64));
  const dpr = typeof window !== 'undefined' && window.devicePixelRatio > 1 ? 2 : 1;
  return Math.min(2000, Math.max(200, Math.round((css * dpr) / 100) * 100));
}

export default function PageDialog({ messageId, n, token, onClose }: {
  messageId: string;
  n: number;
  token?: string;
  onClose: () => void;
}) {
  const [data, setData] = useState<CitationPages | null>(null);
  const [error, setError] = useState('');
  const [k, setK] = useState(0);
  const [loadedSrc, setLoadedSrc] = useState('');
  const [showText, setShowText] = useState(false);

  useEffect(() => {
    let cancelled = false;
    api.citationPages(messageId, n, token).then((d) => {
      if (!cancelled) setData(d);
    }).catch((e) => {
      if (cancelled) return;
      setError(e instanceof ApiError && e.status === 404
        ? 'This source is no longer available.'
        : e instanceof Error ? e.message : 'The page could not be loaded.');
    });
    return () => { cancelled = true; };
  }, [messageId, n, token]);

  const page = data?.pages[k];
  const src = page ? `${page.image}&width=${imageWidth()}` : '';
  const count = data?.pages.length ?? 0;
  const title = data ? `Source ${n}: ${data.book.title || 'the cited page'}` : `Source ${n}`;

  return (
    <Dialog title={title} onClose={onClose}>
      <div className="page-dialog">
        {error && <p className="banner error" role="alert">{error}</p>}
        {!data && !error && <p role="status">Loading the page…</p>}
        {data && page && (
          <>
            <p className="page-label">{data.label}</p>
            {data.notice && <p className="banner info" role="note">{data.notice}</p>}
            <div className="page-nav">
              <button type="button" disabled={k === 0} onClick={() => setK(k - 1)}>Previous page</button>
              <span aria-live="polite">
                {data.source === 'passage' ? `Quoted passage (${page.label ? `p. ${page.label}` : 'no page'})`
                  : `Page ${page.label} (${k + 1} of ${count})`}
              </span>
              <button type="button" disabled={k + 1 >= count} onClick={() => setK(k + 1)}>Next page</button>
            </div>
            <div className="page-image">
              {loadedSrc !== src && <p role="status" className="page-loading">Drawing the page…</p>}
              <img key={src} src={src} alt={page.text || `Page ${page.label}`}
                onLoad={() => setLoadedSrc(src)}
                onError={() => { setLoadedSrc(src); setError('The page image could not be loaded.'); }} />
            </div>
            <button type="button" className="link-button" aria-expanded={showText} aria-controls="page-text"
              onClick={() => setShowText(!showText)}>
              {showText ? 'Hide the text of this page' : 'Text of this page'}
            </button>
            {showText && <pre id="page-text" className="page-text">{page.text}</pre>}
          </>
        )}
      </div>
    </Dialog>
  );
}
