// The coach: the conversation sidebar (a drawer below 768 px), the
// message list with the streaming answer, the composer, the citation side
// panel and the share dialog, and the states for rate limits, lost
// connections and failures.  The page renders; the open conversation's
// state machine (asking, streaming, failures and Try again, drafts) is
// coach/useCoachConversation.ts over coach/conversation.ts, the list is
// coach/useConversationList.ts.

import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { ShownCitation } from '../format';
import { navigate } from '../router';
import { Sidebar } from '../components/Sidebar';
import { MessageView } from '../components/MessageView';
import { Composer } from '../components/Composer';
import { CitationPanel } from '../components/CitationPanel';
import { ShareDialog } from '../components/ShareDialog';
import { ExportMenu } from '../components/ExportMenu';
import { formatTime } from '../format';
import { useAuth } from '../auth';
import { useCoachConversation } from './coach/useCoachConversation';
import { useConversationList } from './coach/useConversationList';
import { useAnswerInView } from './coach/useAnswerInView';

export { shortTitle } from './coach/conversation';

const EXAMPLES = [
  'What are the four critical questions of a PLC?',
  'How do we write a common formative assessment?',
  'How should our team respond when students do not learn?',
];

export function CoachPage({ conversationId }: { conversationId: string | null }) {
  const list = useConversationList();
  const loadList = list.load;
  const [drawer, setDrawer] = useState(false);
  const drawerButton = useRef<HTMLButtonElement>(null);
  const [online, setOnline] = useState(() => navigator.onLine);
  const [panel, setPanel] = useState<{ c: ShownCitation; el: HTMLElement; messageId?: string } | null>(null);
  const [sharing, setSharing] = useState(false);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const listEnd = useRef<HTMLDivElement>(null);

  const conv = useCoachConversation({
    conversationId,
    owner: useAuth().user?.id ?? '',
    onAsked: () => void loadList(),
    onSend: () => composerRef.current?.focus(),
    onSwitch: () => setPanel(null),
  });
  const { messages, title, loadError, archivedOpen, streaming, rateUntil, emptyLibrary, announcement, draft } = conv.state;
  const { send, setDraft } = conv;

  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);

  useAnswerInView(listEnd, messages, conv.pinned, conv.forceScroll);

  const stop = () => {
    conv.stop();
    composerRef.current?.focus();
  };

  const newConversation = () => {
    conv.clear();
    setDrawer(false);
    navigate('/');
    setTimeout(() => composerRef.current?.focus(), 0);
  };

  const closePanel = () => {
    const el = panel?.el;
    setPanel(null);
    if (el && document.contains(el)) el.focus();
  };

  const rateText = rateUntil
    ? `You have reached the hourly limit for questions. You can ask again at ${formatTime(rateUntil)}.`
    : '';

  const closeDrawer = () => {
    setDrawer(false);
    drawerButton.current?.focus();
  };

  // The drawer (below 768 px): focus moves into it when it opens, Escape
  // closes it and focus returns to its button.
  useEffect(() => {
    if (!drawer) return;
    document.querySelector<HTMLElement>('#sidebar .new-conv')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.querySelector('[role="dialog"]')) {
        setDrawer(false);
        drawerButton.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [drawer]);

  return (
    <div className={`coach-layout${drawer ? ' drawer-open' : ''}${panel ? ' panel-open' : ''}`}>
      {drawer && <div className="drawer-backdrop" aria-hidden="true" onClick={closeDrawer} />}
      <aside id="sidebar" className="sidebar" aria-label="Your conversations">
        <Sidebar
          items={list.items} activeId={conversationId} query={list.query} onQuery={list.setQuery}
          archived={list.archived} onArchived={list.setArchived} onNew={newConversation}
          onRename={async (id, t) => {
            const s = await api.updateConversation(id, { title: t });
            if (id === conversationId) conv.setTitle(s.title);
            await loadList();
          }}
          onArchive={async (id, a) => {
            await api.updateConversation(id, { archived: a });
            if (id === conversationId) conv.setArchived(a);
            await loadList();
          }}
          onDelete={async (id) => {
            await api.deleteConversation(id);
            if (id === conversationId) navigate('/');
            await loadList();
          }}
          hasMore={list.nextCursor !== null} onMore={() => void loadList(list.nextCursor)}
          loading={list.loading} error={list.error} onRetry={() => void loadList()}
          onNavigate={() => setDrawer(false)}
        />
      </aside>
      <section className="conversation" aria-labelledby="conversation-title">
        <div className="conversation-head">
          <button type="button" ref={drawerButton} className="drawer-toggle" aria-expanded={drawer}
            aria-controls="sidebar" onClick={() => setDrawer(!drawer)}>
            Conversations
          </button>
          <h1 id="conversation-title" tabIndex={-1}>{title || 'New conversation'}</h1>
          {archivedOpen && <span className="badge archived" title="Archived conversations are listed under Show archived">Archived</span>}
          {conversationId && !loadError && (
            <button type="button" onClick={() => setSharing(true)}>Share</button>
          )}
          {conversationId && !loadError && <ExportMenu conversationId={conversationId} />}
        </div>
        {!online && (
          <p className="banner warn" role="status">You are offline. Questions will work again when the connection is back.</p>
        )}
        {rateText && <p className="banner warn" role="alert">{rateText}</p>}
        {emptyLibrary && (
          <p className="banner warn" role="alert">The library has no books yet, so the coach has nothing to answer from. Ask an administrator to add books.</p>
        )}
        {loadError && (
          <div className="banner error" role="alert">
            <p>{loadError}</p>
            <button type="button" onClick={conv.reopen}>Try again</button>
          </div>
        )}
        <div id="answer-status" className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">{announcement}</div>
        <div className="messages">
          {messages.length === 0 && !loadError ? (
            <div className="welcome">
              <p>Ask a question about your team's PLC work. Answers come from the PLC library, with the book, chapter and pages for every source.</p>
              <h2>Try asking</h2>
              <ul className="chip-row">
                {EXAMPLES.map((q) => (
                  <li key={q}><button type="button" className="chip-button" disabled={streaming || !!rateUntil}
                    onClick={() => void send(q)}>{q}</button></li>
                ))}
              </ul>
            </div>
          ) : (
            <ol className="message-list" aria-label="Messages">
              {messages.map((m) => (
                <MessageView key={m.id} m={m} onCite={(c, el) => setPanel({ c, el, messageId: m.id })}
                  onAsk={streaming || rateUntil ? undefined : (q) => void send(q)}
                  onFeedback={(id, body) => api.feedback(id, body)} />
              ))}
            </ol>
          )}
          <div ref={listEnd} />
        </div>
        <Composer ref={composerRef} streaming={streaming} disabled={!!rateUntil || !!loadError}
          disabledReason={(rateText ? 'Send is off until the hourly limit resets; the message above says when.' : '') || (loadError ? 'Nothing can be asked here until the conversation opens: press Try again above, or start a new conversation.' : '')} onSend={(q) => void send(q)} onStop={stop} draft={draft} onDraft={setDraft} />
      </section>
      {panel && <CitationPanel citation={panel.c} messageId={panel.messageId} onClose={closePanel} />}
      {sharing && conversationId && <ShareDialog conversationId={conversationId} onClose={() => setSharing(false)} />}
    </div>
  );
}
