// The coach page's open conversation (issue 13): opens the conversation
// of the address, asks questions and reads their streamed answers into
// conversation.ts's reducer, keeps the question being typed in the
// browser (drafts.ts, so that it survives the session ending mid-meeting),
// and owns the timers (the hourly limit, a Try again waiting for the
// server).  The page renders what it returns.

import { useCallback, useEffect, useReducer, useRef, type RefObject } from 'react';
import { api, ApiError } from '../../api/client';
import { askCoach, newQuestionKey, type AskOptions } from '../../api/coach';
import { teacherMessage } from '../../api/errors';
import { navigate } from '../../router';
import { loadDraft, saveDraft } from '../../drafts';
import {
  askFailure, conversationReducer, initialConversation, sessionEnded, shortTitle, withOutcomes,
  type AskIds, type ConversationState,
} from './conversation';

let localSeq = 0;

export interface CoachConversationOptions {
  /** the conversation of the address (null: a new one) */
  conversationId: string | null;
  /** the signed-in user's id (drafts are kept per user) */
  owner: string;
  /** an ask ended: the conversation list may have changed */
  onAsked?: () => void;
  /** a question was sent (the page moves focus to the question box) */
  onSend?: () => void;
  /** another conversation is being opened (the page closes its panels) */
  onSwitch?: () => void;
}

export interface CoachConversation {
  state: ConversationState;
  /** asks a new question (with a fresh Idempotency-Key) */
  send: (question: string) => Promise<void>;
  /** stops the answer being written */
  stop: () => void;
  /** leaves the conversation for a new one (the caller navigates) */
  clear: () => void;
  /** Try again after the conversation failed to open */
  reopen: () => void;
  setTitle: (title: string) => void;
  setArchived: (archived: boolean) => void;
  setDraft: (next: string | ((d: string) => string)) => void;
  /** the question kept at the top of the pane while its answer grows
   * (the page's "New answers in view"); null once the reader scrolls */
  pinned: RefObject<string | null>;
  /** the next render scrolls (a question sent, a conversation opened) */
  forceScroll: RefObject<boolean>;
}

export function useCoachConversation({ conversationId, owner, onAsked, onSend, onSwitch }: CoachConversationOptions): CoachConversation {
  const [state, dispatch] = useReducer(conversationReducer, null, () => initialConversation(loadDraft(owner, conversationId)));
  const callbacks = useRef({ onAsked, onSend, onSwitch });
  useEffect(() => {
    callbacks.current = { onAsked, onSend, onSwitch };
  });
  const forceScroll = useRef(false);
  const pinned = useRef<string | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const askRef = useRef<((question: string, opts: AskOptions) => Promise<void>) | null>(null);
  /** the conversation the running ask created (its messages are on screen) */
  const createdRef = useRef<string | null>(null);
  // A Try again that found the first attempt not yet ended on the server
  // (409 in_progress: its worker may have died, and the server lets the
  // question go when its lease runs out) waits Retry-After, then asks again.
  const waitRetry = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(waitRetry.current), [conversationId]);

  // The draft: the state shows it, the browser keeps it under the
  // conversation it was typed in (draftFor).
  const draftFor = useRef(conversationId);
  const draftNow = useRef(state.draft);
  const setDraft = useCallback((next: string | ((d: string) => string)) => {
    const v = typeof next === 'function' ? next(draftNow.current) : next;
    draftNow.current = v;
    saveDraft(owner, draftFor.current, v);
    dispatch({ type: 'draft', text: v });
  }, [owner]);

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
    draftNow.current = loadDraft(owner, conversationId);
    dispatch({ type: 'draft', text: draftNow.current });
  }, [conversationId, owner]);

  const { loadTry } = state;
  useEffect(() => {
    if (createdRef.current && createdRef.current === conversationId) {
      // The stream just created this conversation: its messages are on screen.
      createdRef.current = null;
      return;
    }
    abortRef.current?.abort();
    callbacks.current.onSwitch?.();
    dispatch({ type: 'opening' });
    if (!conversationId) {
      dispatch({ type: 'cleared' });
      return;
    }
    let cancelled = false;
    api.conversation(conversationId).then((c) => {
      if (cancelled) return;
      pinned.current = null;
      forceScroll.current = true;
      dispatch({
        type: 'opened',
        messages: withOutcomes(c.messages, (q) => void askRef.current?.(q.content, { retryOf: q.id })),
        title: c.title,
        archived: !!c.archived,
      });
    }).catch((e) => {
      if (cancelled) return;
      dispatch({
        type: 'openFailed',
        error: e instanceof ApiError && e.status === 404
          ? 'This conversation does not exist or was deleted. Choose another from your conversations, or start a new one.'
          : teacherMessage(e, 'This conversation could not be opened.'),
      });
    });
    return () => { cancelled = true; };
  }, [conversationId, loadTry]);

  const { rateUntil } = state;
  useEffect(() => {
    if (!rateUntil) return;
    const ms = rateUntil.getTime() - Date.now();
    const t = setTimeout(() => dispatch({ type: 'rateReset' }), Math.max(0, ms));
    return () => clearTimeout(t);
  }, [rateUntil]);

  // Asks a question (with its Idempotency-Key: a retry sends the same
  // one), or answers a saved one again in place (retryOf: its id, what
  // followed it replaced by the answer).
  const ask = async (question: string, opts: AskOptions) => {
    const convAtStart = conversationId;
    const n = ++localSeq;
    const ids: AskIds = { userId: opts.retryOf ?? `local-u-${n}`, asstId: `local-a-${n}`, retryOf: opts.retryOf };
    const { asstId } = ids;
    dispatch({ type: 'asked', question, ...ids });
    forceScroll.current = true;
    pinned.current = ids.userId;
    callbacks.current.onSend?.();
    const ac = new AbortController();
    abortRef.current = ac;
    try {
      const doc = await askCoach(question, convAtStart, {
        onMeta: (meta) => {
          if (!convAtStart && meta.conversation_id) {
            createdRef.current = meta.conversation_id;
            navigate(`/c/${meta.conversation_id}`);
          }
          dispatch({ type: 'meta', asstId, meta });
        },
        onCitation: (citation) => dispatch({ type: 'citation', asstId, citation }),
        onDelta: (text) => dispatch({ type: 'delta', asstId, text }),
        // What the model streamed is withdrawn; the quoted answer follows.
        onModelFailed: () => dispatch({ type: 'modelFailed', asstId }),
      }, ac.signal, opts);
      if (!convAtStart && doc.conversation_id && createdRef.current !== doc.conversation_id && location.pathname === '/') {
        createdRef.current = doc.conversation_id;
        navigate(`/c/${doc.conversation_id}`);
      }
      dispatch({ type: 'done', asstId, doc, title: convAtStart ? undefined : shortTitle(question) });
      callbacks.current.onAsked?.();
    } catch (e) {
      if (sessionEnded(e)) {
        // The session ended: the app shows the sign-in page (this page
        // goes away), and the question waits in the browser for the
        // teacher's return to this conversation.
        const where = createdRef.current ?? convAtStart;
        if (loadDraft(owner, where).trim() === '') saveDraft(owner, where, question);
      }
      const failure = askFailure(e, opts);
      let retry: (() => void) | undefined;
      if (failure.kind === 'rate_limited' || failure.kind === 'empty_library') {
        setDraft(question);
      } else if (failure.kind !== 'stopped') {
        // The question goes back into the box (unless a new one is being
        // typed).  Try again sends the same question again: the same key
        // (or the same saved question), so it is answered in place, never
        // asked twice.
        setDraft((d) => (d.trim() === '' ? question : d));
        const again = () => {
          if (!opts.retryOf) dispatch({ type: 'retracted', ids: [ids.userId, asstId] });
          setDraft((d) => (d === question ? '' : d));
          void ask(question, opts);
        };
        // Asked again while the server still holds the first attempt:
        // not a refusal; wait and ask again.
        if (failure.kind === 'waiting') {
          window.clearTimeout(waitRetry.current);
          waitRetry.current = window.setTimeout(again, failure.seconds * 1000);
        }
        retry = () => {
          window.clearTimeout(waitRetry.current);
          again();
        };
      }
      dispatch({ type: 'failed', failure, now: Date.now(), retry, ...ids });
      callbacks.current.onAsked?.();
    } finally {
      if (abortRef.current === ac) abortRef.current = null;
      dispatch({ type: 'settled' });
    }
  };

  // The loaded conversation's Try again buttons ask through the latest ask.
  useEffect(() => {
    askRef.current = ask;
  });

  return {
    state,
    send: (question) => ask(question, { key: newQuestionKey() }),
    stop: () => abortRef.current?.abort(),
    clear: () => {
      abortRef.current?.abort();
      dispatch({ type: 'cleared' });
    },
    reopen: () => dispatch({ type: 'reopen' }),
    setTitle: (title) => dispatch({ type: 'titled', title }),
    setArchived: (archived) => dispatch({ type: 'archived', archived }),
    setDraft,
    pinned,
    forceScroll,
  };
}
