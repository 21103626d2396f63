// A shared conversation: read-only, with a "shared by" banner.

import { useEffect, useState } from 'react';
import { api, ApiError } from '../api/client';
import type { Citation, SharedConversation } from '../api/types';
import { MessageView } from '../components/MessageView';
import { CitationPanel } from '../components/CitationPanel';
import { ExportMenu } from '../components/ExportMenu';
import { formatDate } from '../format';

export function SharedPage({ token }: { token: string }) {
  const [conv, setConv] = useState<SharedConversation | null>(null);
  const [error, setError] = useState('');
  const [panel, setPanel] = useState<{ c: Citation; el: HTMLElement; messageId: string } | null>(null);

  useEffect(() => {
    api.shared(token).then(setConv).catch((e) => {
      setError(e instanceof ApiError && e.status === 404
        ? 'This link does not work: it may have expired or been revoked.'
        : e instanceof Error ? e.message : 'The conversation could not be loaded.');
    });
  }, [token]);

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
          Shared by {conv.shared_by?.name || 'a colleague'} on {formatDate(conv.created_at)}. This is a read-only copy.
          {conv.expires_at ? ` The link expires ${formatDate(conv.expires_at)}.` : ''}
        </p>
        <div className="conversation-head">
          <h1 tabIndex={-1}>{conv.title || 'Shared conversation'}</h1>
          <ExportMenu conversationId="" token={token} />
        </div>
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
