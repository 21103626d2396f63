// A shared conversation: read-only, with a "shared by" banner and, for a
// signed-in recipient, "Copy to my conversations" (a copy of their own to
// continue).  Signed out, the sign-in page says who shared what first
// (SharedSignInNote), and signing in lands here.  A live link (the owner
// chose "keep this link up to date") is fetched again every minute while
// the page is visible, and on "Refresh": the conversation as it grows.

import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../api/client';
import type { SharedAbout, SharedConversation } from '../api/types';
import { navigate } from '../router';
import type { ShownCitation } from '../format';
import { MessageView } from '../components/MessageView';
import { CitationPanel } from '../components/CitationPanel';
import { ExportMenu } from '../components/ExportMenu';
import { formatDate } from '../format';
import { teacherMessage } from '../api/errors';

/** How often a live link's page fetches the conversation again. */
export const LIVE_REFRESH_MS = 60_000;

export function SharedPage({ token }: { token: string }) {
  const [conv, setConv] = useState<SharedConversation | null>(null);
  const [news, setNews] = useState('');
  const [error, setError] = useState('');
  const [panel, setPanel] = useState<{ c: ShownCitation; el: HTMLElement; messageId: string } | null>(null);
  const [copying, setCopying] = useState(false);
  const [copyError, setCopyError] = useState('');

  const copy = async () => {
    setCopying(true);
    setCopyError('');
    try {
      const r = await api.copyShared(token);
      navigate(`/c/${encodeURIComponent(r.conversation_id)}`);
    } catch (e) {
      setCopyError(e instanceof ApiError && e.status === 404
        ? 'This link stopped working (it expired or was revoked), so it cannot be copied.'
        : teacherMessage(e, 'The conversation could not be copied.'));
      setCopying(false);
    }
  };

  const fail = useCallback((e: unknown) => {
    setError(e instanceof ApiError && e.status === 404
      ? 'This link does not work: it may have expired or been revoked.'
      : teacherMessage(e, 'The conversation could not be loaded.'));
  }, []);

  useEffect(() => {
    api.shared(token).then(setConv).catch(fail);
  }, [token, fail]);

  // A live link: fetch again, say what is new; a failure other than the
  // link going away keeps what is shown (the next refresh may work).
  const shown = useRef(0);
  useEffect(() => { shown.current = conv?.messages.length ?? 0; }, [conv]);
  const refresh = useCallback(async () => {
    try {
      const next = await api.shared(token);
      const added = next.messages.length - shown.current;
      setConv(next);
      setNews(added > 0 ? `${added} new message${added === 1 ? '' : 's'}.` : 'No new messages.');
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) fail(e);
      else setNews('Could not check for new messages; trying again in a minute.');
    }
  }, [token, fail]);
  const live = conv?.live ?? false;
  useEffect(() => {
    if (!live) return undefined;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, LIVE_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [live, refresh]);

  if (error) {
    return (
      <div className="page">
        <h1 tabIndex={-1}>Shared conversation</h1>
        <p role="alert" className="banner error">{error}</p>
      </div>
    );
  }
  if (!conv) return <div className="page"><p role="status">Loading…</p></div>;
  return (
    <div className={`shared-layout${panel ? ' panel-open' : ''}`}>
      <div className="page">
        <p className="banner info" role="note">
          Shared by {conv.shared_by?.name || 'a colleague'} on {formatDate(conv.created_at)}.
          {conv.live
            ? ' This link is kept up to date: questions asked later in the conversation appear here. It is read-only.'
            : ' This is a read-only copy of the conversation as it was then.'}
          {conv.expires_at ? ` The link expires ${formatDate(conv.expires_at)}.` : ''}
        </p>
        {conv.live && (
          <div className="row">
            <button type="button" onClick={() => void refresh()}>Refresh</button>
            <p role="status" className="status-text">{news}</p>
          </div>
        )}
        <div className="conversation-head">
          <h1 tabIndex={-1}>{conv.title || 'Shared conversation'}</h1>
          <div className="row">
            <button type="button" className="primary" onClick={() => void copy()} disabled={copying}
              aria-describedby="copy-what">{copying ? 'Copying…' : 'Copy to my conversations'}</button>
            <ExportMenu conversationId="" token={token} />
          </div>
        </div>
        <p id="copy-what" className="status-text">A copy of your own goes into your conversations, where you can ask follow-up questions.</p>
        {copyError && <p role="alert" className="error-text">{copyError}</p>}
        <ol className="message-list" aria-label="Messages">
          {conv.messages.map((m) => (
            <MessageView key={m.id} m={{ ...m, citations: Array.isArray(m.citations) ? m.citations : [] }} readOnly
              onCite={(c, el) => setPanel({ c, el, messageId: m.id })} />
          ))}
        </ol>
      </div>
      {panel && <CitationPanel citation={panel.c} messageId={panel.messageId} token={token}
        onClose={() => { const el = panel.el; setPanel(null); el.focus(); }} />}
    </div>
  );
}

/** On the sign-in page, for a share link opened signed out: who shared
 * which conversation, and that signing in opens it. */
export function SharedSignInNote({ token }: { token: string }) {
  const [about, setAbout] = useState<SharedAbout | null>(null);
  const [gone, setGone] = useState(false);

  useEffect(() => {
    api.sharedAbout(token).then(setAbout).catch(() => setGone(true));
  }, [token]);

  if (gone) {
    return <p className="banner error" role="alert">This share link does not work: it may have expired or been revoked. Ask the colleague who shared it for a new one.</p>;
  }
  if (!about) return null;
  return (
    <p className="banner info shared-note" role="note">
      {about.shared_by.name || 'A colleague'} shared the conversation “{about.title || 'Untitled'}” with you
      {about.live ? ', kept up to date as it grows' : ''}
      {about.expires_at ? ` (the link works until ${formatDate(about.expires_at)})` : ''}.
      Sign in to read it: you will go straight to it.
    </p>
  );
}
