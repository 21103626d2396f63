// The coach: the conversation sidebar (a drawer below 768 px), the
// message list with the streaming answer, the composer, the citation side
// panel and the share dialog, and the states for rate limits, lost
// connections and failures.

import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../api/client';
import { askCoach, newQuestionKey } from '../api/coach';
import { teacherMessage } from '../api/errors';
import type { ConversationSummary, Message } from '../api/types';
import type { ShownCitation } from '../format';
import { navigate } from '../router';
import { Sidebar } from '../components/Sidebar';
import { MessageView, type UiMessage } from '../components/MessageView';
import { Composer, QUESTION_MAX } from '../components/Composer';
import { CitationPanel } from '../components/CitationPanel';
import { ShareDialog } from '../components/ShareDialog';
import { ExportMenu } from '../components/ExportMenu';
import { answerAnnouncement, formatTime } from '../format';
import { useAuth } from '../auth';
import { loadDraft, saveDraft } from '../drafts';

const EXAMPLES = [
  'What are the four critical questions of a PLC?',
  'How do we write a common formative assessment?',
  'How should our team respond when students do not learn?',
];

const EMPTY_LIBRARY_CODES = new Set(['empty_library', 'library_empty', 'no_content']);

let localSeq = 0;

/** A title from a question: at most 80 characters, cut between words. */
export function shortTitle(q: string, max = 80): string {
  const t = q.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '') + '…';
}

/** The messages of a saved conversation as shown: a failure (type error)
 * as a failed answer, and a question with no reply after it as being
 * answered or interrupted; the last question's failure or interruption
 * offers Try again, which answers that question again in place. */
function withOutcomes(list: Message[], reask: (q: Message) => void): UiMessage[] {
  const out: UiMessage[] = [];
  const lastQ = [...list].reverse().find((m) => m.role === 'user');
  let q: Message | undefined;
  for (const m of list) {
    const shown: UiMessage = { ...m, citations: Array.isArray(m.citations) ? m.citations : [] };
    if (m.role === 'user') q = m;
    if (m.role === 'assistant' && m.type === 'error') {
      const asked = q;
      shown.content = '';
      shown.failed = {
        message: m.content || 'The coach could not finish this answer.',
        retry: asked && asked === lastQ ? () => reask(asked) : undefined,
      };
    }
    out.push(shown);
    if (m.role === 'user' && m.answer_state === 'pending') {
      out.push({ id: `local-state-${m.id}`, role: 'assistant', content: '', citations: [], pending: true });
    } else if (m.role === 'user' && m.answer_state === 'interrupted') {
      out.push({
        id: `local-state-${m.id}`, role: 'assistant', content: '', citations: [],
        failed: {
          message: 'The answer to this question was interrupted before it finished.',
          retry: m === lastQ ? () => reask(m) : undefined,
        },
      });
    }
  }
  return out;
}

export function CoachPage({ conversationId }: { conversationId: string | null }) {
  // ---- sidebar -------------------------------------------------------------
  const [items, setItems] = useState<ConversationSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  const [archived, setArchived] = useState(false);
  const [listLoading, setListLoading] = useState(false);
  const [listError, setListError] = useState('');
  const [drawer, setDrawer] = useState(false);
  const drawerButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const t = setTimeout(() => setDebounced(query.trim()), 250);
    return () => clearTimeout(t);
  }, [query]);

  const loadList = useCallback(async (cursor?: string | null) => {
    setListLoading(true);
    try {
      const r = await api.conversations({ q: debounced, archived: archived ? 'true' : 'false', cursor, limit: 30 });
      setItems((old) => (cursor ? [...old, ...r.conversations] : r.conversations));
      setNextCursor(r.next_cursor);
      setListError('');
    } catch (e) {
      setListError(teacherMessage(e, 'Your conversations could not be loaded.'));
    } finally {
      setListLoading(false);
    }
  }, [debounced, archived]);

  useEffect(() => {
    void loadList();
  }, [loadList]);

  // ---- the open conversation ----------------------------------------------
  const [messages, setMessages] = useState<UiMessage[]>([]);
  const [title, setTitle] = useState('');
  const [loadError, setLoadError] = useState('');
  const [archivedOpen, setArchivedOpen] = useState(false);
  /** bumped by "Try again" after a conversation failed to load */
  const [loadTry, setLoadTry] = useState(0);
  const [streaming, setStreaming] = useState(false);
  const forceScroll = useRef(false);
  /** the question kept at the top of the pane (see "New answers in view") */
  const pinned = useRef<string | null>(null);
  const [rateUntil, setRateUntil] = useState<Date | null>(null);
  const [emptyLibrary, setEmptyLibrary] = useState(false);
  const [online, setOnline] = useState(() => navigator.onLine);
  const [panel, setPanel] = useState<{ c: ShownCitation; el: HTMLElement; messageId?: string } | null>(null);
  const [sharing, setSharing] = useState(false);
  // The question being typed, kept per conversation in the browser
  // (drafts.ts) so that it survives the session ending mid-meeting.
  const owner = useAuth().user?.id ?? '';
  const [draft, setDraftState] = useState(() => loadDraft(owner, conversationId));
  const draftFor = useRef(conversationId);
  const setDraft = useCallback((next: string | ((d: string) => string)) => {
    setDraftState((d) => {
      const v = typeof next === 'function' ? next(d) : next;
      saveDraft(owner, draftFor.current, v);
      return v;
    });
  }, [owner]);
  // The polite live region that tells a screen reader what the coach is
  // doing: always in the page (so it exists before an answer's text
  // arrives, which in extractive mode comes with its end in one render),
  // it says "writing" when a question is sent and, when the answer is
  // complete, a summary of it (MessageView's text is not itself live).
  const [announcement, setAnnouncement] = useState('');
  const abortRef = useRef<AbortController | null>(null);
  const askRef = useRef<((question: string, opts: { key?: string; retryOf?: string }) => Promise<void>) | null>(null);
  const createdRef = useRef<string | null>(null);
  // A Try again that found the first attempt not yet ended on the server
  // (409 in_progress: its worker may have died, and the server lets the
  // question go when its lease runs out) waits Retry-After, then asks again.
  const waitRetry = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(waitRetry.current), [conversationId]);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const listEnd = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (draftFor.current === conversationId) return;
    if (createdRef.current && createdRef.current === conversationId && draftFor.current === null) {
      // The stream just created this conversation: what is being typed
      // now belongs to it.
      const typed = loadDraft(owner, null);
      saveDraft(owner, null, '');
      draftFor.current = conversationId;
      saveDraft(owner, conversationId, typed);
      return;
    }
    draftFor.current = conversationId;
    setDraftState(loadDraft(owner, conversationId));
  }, [conversationId, owner]);

  useEffect(() => {
    if (createdRef.current && createdRef.current === conversationId) {
      // The stream just created this conversation: its messages are on screen.
      createdRef.current = null;
      return;
    }
    abortRef.current?.abort();
    setPanel(null);
    setLoadError('');
    setArchivedOpen(false);
    if (!conversationId) {
      setMessages([]);
      setTitle('');
      return;
    }
    let cancelled = false;
    api.conversation(conversationId).then((c) => {
      if (cancelled) return;
      pinned.current = null;
      forceScroll.current = true;
      setMessages(withOutcomes(c.messages, (q) => void askRef.current?.(q.content, { retryOf: q.id })));
      setTitle(c.title);
      setArchivedOpen(!!c.archived);
    }).catch((e) => {
      if (cancelled) return;
      setMessages([]);
      setTitle('');
      setLoadError(e instanceof ApiError && e.status === 404
        ? 'This conversation does not exist or was deleted. Choose another from your conversations, or start a new one.'
        : teacherMessage(e, 'This conversation could not be opened.'));
    });
    return () => { cancelled = true; };
  }, [conversationId, loadTry]);

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

  useEffect(() => {
    if (!rateUntil) return;
    const ms = rateUntil.getTime() - Date.now();
    const t = setTimeout(() => setRateUntil(null), Math.max(0, ms));
    return () => clearTimeout(t);
  }, [rateUntil]);

  // New answers in view.  When a question is sent, it is scrolled to the
  // top of the message pane (smoothly, unless the reader prefers reduced
  // motion), and kept there while its answer grows, so the answer fills
  // the view below it.  The spacer after the list gives the last exchange
  // at least the pane's height, so even a short answer can sit under its
  // question at the top.  Once the reader scrolls the pane themselves
  // (wheel, touch, keys), the pane is theirs until the next question.
  useEffect(() => {
    const pane = listEnd.current?.parentElement;
    const spacer = listEnd.current;
    if (!pane || !spacer) return;
    const id = pinned.current;
    const q = id ? pane.querySelector<HTMLElement>(`[data-message-id="${id}"]`) : null;
    if (!q) {
      spacer.style.height = '0px'; // CSSOM, which the CSP allows (no inline style attribute)
      if (forceScroll.current) pane.scrollTop = pane.scrollHeight;
      forceScroll.current = false;
      return;
    }
    const paneBox = pane.getBoundingClientRect();
    const qTop = q.getBoundingClientRect().top - paneBox.top + pane.scrollTop;
    const below = spacer.getBoundingClientRect().top - q.getBoundingClientRect().top;
    spacer.style.height = `${Math.max(0, Math.floor(pane.clientHeight - below))}px`;
    const top = Math.max(0, qTop - parseFloat(getComputedStyle(pane).paddingTop || '0'));
    if (Math.abs(pane.scrollTop - top) > 1) {
      const smooth = forceScroll.current && !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
      pane.scrollTo({ top, behavior: smooth ? 'smooth' : 'auto' });
    }
    forceScroll.current = false;
  }, [messages]);

  useEffect(() => {
    const pane = listEnd.current?.parentElement;
    if (!pane) return;
    const release = () => { pinned.current = null; };
    const onKey = (e: KeyboardEvent) => {
      if (['PageUp', 'PageDown', 'Home', 'End', 'ArrowUp', 'ArrowDown'].includes(e.key)) release();
    };
    // A press on the pane itself (not on something in it) is its scroll bar.
    const onPointer = (e: PointerEvent) => { if (e.target === pane) release(); };
    pane.addEventListener('wheel', release, { passive: true });
    pane.addEventListener('touchmove', release, { passive: true });
    pane.addEventListener('keydown', onKey);
    pane.addEventListener('pointerdown', onPointer);
    return () => {
      pane.removeEventListener('pointerdown', onPointer);
      pane.removeEventListener('wheel', release);
      pane.removeEventListener('touchmove', release);
      pane.removeEventListener('keydown', onKey);
    };
  }, []);

  // Asks a question (with its Idempotency-Key: a retry sends the same
  // one), or answers a saved one again in place (retryOf: its id, what
  // followed it replaced by the answer).
  const ask = async (question: string, opts: { key?: string; retryOf?: string }) => {
    const convAtStart = conversationId;
    const n = ++localSeq;
    const userId = opts.retryOf ?? `local-u-${n}`;
    const asstId = `local-a-${n}`;
    const placeholder: UiMessage = { id: asstId, role: 'assistant', content: '', citations: [], streaming: true };
    if (opts.retryOf) {
      setMessages((ms) => {
        const at = ms.findIndex((m) => m.id === opts.retryOf);
        return at < 0 ? [...ms, placeholder] : [...ms.slice(0, at + 1), placeholder];
      });
    } else {
      setMessages((ms) => [...ms, { id: userId, role: 'user', content: question, citations: [] }, placeholder]);
    }
    forceScroll.current = true;
    pinned.current = userId;
    setAnnouncement('The coach is writing an answer.');
    setStreaming(true);
    setEmptyLibrary(false);
    composerRef.current?.focus();
    const update = (f: (m: UiMessage) => UiMessage) =>
      setMessages((ms) => ms.map((m) => (m.id === asstId ? f(m) : m)));
    const ac = new AbortController();
    abortRef.current = ac;
    try {
      const doc = await askCoach(question, convAtStart, {
        onMeta: (meta) => {
          if (!convAtStart && meta.conversation_id) {
            createdRef.current = meta.conversation_id;
            navigate(`/c/${meta.conversation_id}`);
          }
          update((m) => ({ ...m, mode: meta.mode ?? m.mode, type: meta.type ?? m.type }));
        },
        onCitation: (c) => update((m) => ({ ...m, citations: [...m.citations.filter((x) => x.n !== c.n), c] })),
        onDelta: (t) => update((m) => ({ ...m, content: m.content + t })),
        // What the model streamed is withdrawn; the quoted answer follows.
        onModelFailed: () => update((m) => ({ ...m, content: '', citations: [] })),
      }, ac.signal, opts);
      if (!convAtStart && doc.conversation_id && createdRef.current !== doc.conversation_id && location.pathname === '/') {
        createdRef.current = doc.conversation_id;
        navigate(`/c/${doc.conversation_id}`);
      }
      update((m) => ({
        ...m,
        id: doc.message_id || m.id,
        content: doc.answer ?? '',
        citations: doc.citations ?? [],
        mode: doc.mode,
        type: doc.type,
        clarification: doc.clarification ?? null,
        notice: doc.notice,
        grounded: doc.grounded,
        domains: doc.domains,
        streaming: false,
      }));
      setAnnouncement(answerAnnouncement(doc));
      void loadList();
      if (!convAtStart) setTitle(shortTitle(question));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        // The session ended: the app shows the sign-in page (this page
        // goes away), and the question waits in the browser for the
        // teacher's return to this conversation.
        const where = createdRef.current ?? convAtStart;
        if (loadDraft(owner, where).trim() === '') saveDraft(owner, where, question);
      }
      // A failure is an alert of its own; the region does not repeat it.
      setAnnouncement('');
      if (e instanceof DOMException && e.name === 'AbortError') {
        update((m) => ({ ...m, streaming: false, stopped: true }));
        setAnnouncement('You stopped the answer.');
      } else if (e instanceof ApiError && e.status === 429) {
        setMessages((ms) => ms.filter((m) => m.id !== asstId && (opts.retryOf !== undefined || m.id !== userId)));
        setRateUntil(new Date(Date.now() + (e.retryAfter ?? 60) * 1000));
        setDraft(question);
      } else if (e instanceof ApiError && EMPTY_LIBRARY_CODES.has(e.code)) {
        setMessages((ms) => ms.filter((m) => m.id !== asstId && (opts.retryOf !== undefined || m.id !== userId)));
        setEmptyLibrary(true);
        setDraft(question);
      } else {
        // The question goes back into the box (unless a new one is being
        // typed), and a request the server refused (4xx) offers no Retry:
        // sending it unchanged cannot succeed.
        const refused = e instanceof ApiError && e.status >= 400 && e.status < 500;
        const message = e instanceof ApiError && e.status === 0
          ? 'The connection was lost before the answer finished. Check your internet connection, then press Try again.'
          : refused && (e as ApiError).code === 'invalid_field'
            ? `The question could not be sent: questions can be at most ${QUESTION_MAX.toLocaleString('en-US')} characters. It is back in the box: shorten it and send it again.`
            : teacherMessage(e, 'The coach could not answer.');
        setDraft((d) => (d.trim() === '' ? question : d));
        const again = () => {
          if (!opts.retryOf) setMessages((ms) => ms.filter((x) => x.id !== userId && x.id !== asstId));
          setDraft((d) => (d === question ? '' : d));
          void ask(question, opts);
        };
        // Asked again (same key or saved question) while the server still
        // holds the first attempt: not a refusal; wait and ask again.
        const waiting = e instanceof ApiError && e.code === 'in_progress' && e.retryAfter !== null
          && (opts.retryOf !== undefined || opts.key !== undefined) ? Math.min(e.retryAfter, 300) : null;
        if (waiting !== null) {
          window.clearTimeout(waitRetry.current);
          waitRetry.current = window.setTimeout(again, waiting * 1000);
        }
        update((m) => ({
          ...m,
          streaming: false,
          failed: {
            message: waiting !== null
              ? `The server has not let go of the first attempt at this answer yet (it may have been interrupted). Trying again in ${waiting} second${waiting === 1 ? '' : 's'}.`
              : message,
            // The same question again: the same key (or the same saved
            // question), so it is answered in place, never asked twice.
            retry: refused && waiting === null ? undefined : () => {
              window.clearTimeout(waitRetry.current);
              again();
            },
          },
        }));
      }
      void loadList();
    } finally {
      if (abortRef.current === ac) abortRef.current = null;
      setStreaming(false);
    }
  };

  const send = (question: string) => ask(question, { key: newQuestionKey() });
  // The loaded conversation's Try again buttons ask through the latest ask.
  useEffect(() => {
    askRef.current = ask;
  });

  const stop = () => {
    abortRef.current?.abort();
    composerRef.current?.focus();
  };

  const newConversation = () => {
    abortRef.current?.abort();
    setDrawer(false);
    navigate('/');
    setMessages([]);
    setTitle('');
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
          items={items} activeId={conversationId} query={query} onQuery={setQuery}
          archived={archived} onArchived={setArchived} onNew={newConversation}
          onRename={async (id, t) => {
            const s = await api.updateConversation(id, { title: t });
            if (id === conversationId) setTitle(s.title);
            await loadList();
          }}
          onArchive={async (id, a) => {
            await api.updateConversation(id, { archived: a });
            if (id === conversationId) setArchivedOpen(a);
            await loadList();
          }}
          onDelete={async (id) => {
            await api.deleteConversation(id);
            if (id === conversationId) navigate('/');
            await loadList();
          }}
          hasMore={nextCursor !== null} onMore={() => void loadList(nextCursor)}
          loading={listLoading} error={listError} onRetry={() => void loadList()}
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
            <button type="button" onClick={() => { setLoadError(''); setLoadTry((n) => n + 1); }}>Try again</button>
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
