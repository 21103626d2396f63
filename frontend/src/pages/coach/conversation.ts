// The open conversation of the coach page as a state machine (issue 13):
// the state, the actions that move it, and the pure functions around them
// (a saved conversation as shown, a title from a question, what a failed
// ask means for the teacher).  useCoachConversation.ts runs it: it sends
// the questions, reads the stream and dispatches these actions; the page
// only renders the state.
//
// An ask goes: asked (the question and an empty, streaming answer appear)
// -> meta, citation, delta, modelFailed as the stream arrives -> done (the
// final document replaces what was streamed) or failed (stopped, rate
// limited, empty library, waiting for the server to let go of a first
// attempt, or a failure with or without Try again) -> settled.

import { ApiError } from '../../api/client';
import type { AskOptions } from '../../api/coach';
import { teacherMessage } from '../../api/errors';
import type { Citation, CoachAnswer, CoachMeta, Message } from '../../api/types';
import type { UiMessage } from '../../components/MessageView';
import { QUESTION_MAX } from '../../components/Composer';
import { answerAnnouncement } from '../../format';

export interface ConversationState {
  messages: UiMessage[];
  /** '' until the conversation has one (the page says "New conversation") */
  title: string;
  archivedOpen: boolean;
  /** why the conversation could not be opened ('' when it could) */
  loadError: string;
  /** bumped by "Try again" after a conversation failed to load */
  loadTry: number;
  /** an answer is being written */
  streaming: boolean;
  /** questions are refused until then (the hourly limit) */
  rateUntil: Date | null;
  emptyLibrary: boolean;
  /** what the polite live region says (#answer-status) */
  announcement: string;
  /** the question being typed (kept in the browser by the hook) */
  draft: string;
}

export function initialConversation(draft = ''): ConversationState {
  return {
    messages: [], title: '', archivedOpen: false, loadError: '', loadTry: 0,
    streaming: false, rateUntil: null, emptyLibrary: false, announcement: '', draft,
  };
}

/** What a failed ask means for the teacher. */
export type AskFailure =
  /** the teacher pressed Stop (or left the conversation) */
  | { kind: 'stopped' }
  /** the hourly limit: the question goes back into the box */
  | { kind: 'rate_limited'; retryAfter: number }
  /** nothing to answer from: the question goes back into the box */
  | { kind: 'empty_library' }
  /** a Try again found the first attempt still held by the server (409
   * in_progress): asked again by itself after `seconds` */
  | { kind: 'waiting'; seconds: number }
  /** shown on the answer; `retry`: whether Try again is offered (a
   * request the server refused, 4xx, cannot succeed unchanged) */
  | { kind: 'failed'; message: string; retry: boolean };

const EMPTY_LIBRARY_CODES = new Set(['empty_library', 'library_empty', 'no_content']);

/** The session ended during the ask (the app then shows the sign-in page). */
export function sessionEnded(e: unknown): boolean {
  return e instanceof ApiError && e.status === 401;
}

/** Classifies what askCoach rejected with; `opts` are the ask's own (a
 * 409 in_progress is a wait only for a question asked again). */
export function askFailure(e: unknown, opts: AskOptions): AskFailure {
  if (e instanceof DOMException && e.name === 'AbortError') return { kind: 'stopped' };
  if (!(e instanceof ApiError)) return { kind: 'failed', message: teacherMessage(e, 'The coach could not answer.'), retry: true };
  if (e.status === 429) return { kind: 'rate_limited', retryAfter: e.retryAfter ?? 60 };
  if (EMPTY_LIBRARY_CODES.has(e.code)) return { kind: 'empty_library' };
  if (e.code === 'in_progress' && e.retryAfter !== null && (opts.retryOf !== undefined || opts.key !== undefined)) {
    return { kind: 'waiting', seconds: Math.min(e.retryAfter, 300) };
  }
  const refused = e.status >= 400 && e.status < 500;
  const message = e.status === 0
    ? 'The connection was lost before the answer finished. Check your internet connection, then press Try again.'
    : refused && e.code === 'invalid_field'
      ? `The question could not be sent: questions can be at most ${QUESTION_MAX.toLocaleString('en-US')} characters. It is back in the box: shorten it and send it again.`
      : teacherMessage(e, 'The coach could not answer.');
  return { kind: 'failed', message, retry: !refused };
}

/** The sentence shown while a Try again waits for the server. */
export function waitingMessage(seconds: number): string {
  return `The server has not let go of the first attempt at this answer yet (it may have been interrupted). Trying again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
}

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
export function withOutcomes(list: Message[], reask: (q: Message) => void): UiMessage[] {
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

/** One ask's local message ids: the question's (a saved question's own
 * id when it is answered again in place) and its answer's. */
export interface AskIds {
  userId: string;
  asstId: string;
  /** answered again in place: the saved question's id */
  retryOf?: string;
}

export type ConversationAction =
  /** no conversation open (a new one): nothing shown */
  | { type: 'cleared' }
  /** another conversation is being opened */
  | { type: 'opening' }
  | { type: 'opened'; messages: UiMessage[]; title: string; archived: boolean }
  | { type: 'openFailed'; error: string }
  /** Try again after a failed open */
  | { type: 'reopen' }
  | { type: 'titled'; title: string }
  | { type: 'archived'; archived: boolean }
  | { type: 'draft'; text: string }
  | ({ type: 'asked'; question: string } & AskIds)
  | { type: 'meta'; asstId: string; meta: CoachMeta }
  | { type: 'citation'; asstId: string; citation: Citation }
  | { type: 'delta'; asstId: string; text: string }
  /** the model failed after text was streamed: that text is withdrawn */
  | { type: 'modelFailed'; asstId: string }
  /** the final document; `title` for a conversation the ask created */
  | { type: 'done'; asstId: string; doc: CoachAnswer; title?: string }
  /** `now`: when it failed (rate limits count from it); `retry`: what
   * Try again does (waiting and retryable failures) */
  | ({ type: 'failed'; failure: AskFailure; now: number; retry?: () => void } & AskIds)
  /** a failed ask's messages go before it is asked again (not in place) */
  | { type: 'retracted'; ids: string[] }
  /** the ask ended, however it did */
  | { type: 'settled' }
  /** the hourly limit is over */
  | { type: 'rateReset' };

function updateAnswer(s: ConversationState, asstId: string, f: (m: UiMessage) => UiMessage): ConversationState {
  return { ...s, messages: s.messages.map((m) => (m.id === asstId ? f(m) : m)) };
}

/** The question and its answer leave the list (the question stays when
 * it is a saved one answered again in place). */
function withdraw(ms: UiMessage[], ids: AskIds): UiMessage[] {
  return ms.filter((m) => m.id !== ids.asstId && (ids.retryOf !== undefined || m.id !== ids.userId));
}

export function conversationReducer(s: ConversationState, a: ConversationAction): ConversationState {
  switch (a.type) {
    case 'cleared':
      return { ...s, messages: [], title: '' };
    case 'opening':
      return { ...s, loadError: '', archivedOpen: false };
    case 'opened':
      return { ...s, messages: a.messages, title: a.title, archivedOpen: a.archived };
    case 'openFailed':
      return { ...s, messages: [], title: '', loadError: a.error };
    case 'reopen':
      return { ...s, loadError: '', loadTry: s.loadTry + 1 };
    case 'titled':
      return { ...s, title: a.title };
    case 'archived':
      return { ...s, archivedOpen: a.archived };
    case 'draft':
      return { ...s, draft: a.text };
    case 'asked': {
      const placeholder: UiMessage = { id: a.asstId, role: 'assistant', content: '', citations: [], streaming: true };
      let messages: UiMessage[];
      if (a.retryOf) {
        const at = s.messages.findIndex((m) => m.id === a.retryOf);
        messages = at < 0 ? [...s.messages, placeholder] : [...s.messages.slice(0, at + 1), placeholder];
      } else {
        messages = [...s.messages, { id: a.userId, role: 'user', content: a.question, citations: [] }, placeholder];
      }
      return { ...s, messages, announcement: 'The coach is writing an answer.', streaming: true, emptyLibrary: false };
    }
    case 'meta':
      return updateAnswer(s, a.asstId, (m) => ({ ...m, mode: a.meta.mode ?? m.mode, type: a.meta.type ?? m.type }));
    case 'citation':
      return updateAnswer(s, a.asstId, (m) => ({ ...m, citations: [...m.citations.filter((x) => x.n !== a.citation.n), a.citation] }));
    case 'delta':
      return updateAnswer(s, a.asstId, (m) => ({ ...m, content: m.content + a.text }));
    case 'modelFailed':
      return updateAnswer(s, a.asstId, (m) => ({ ...m, content: '', citations: [] }));
    case 'done': {
      const d = a.doc;
      const next = updateAnswer(s, a.asstId, (m) => ({
        ...m,
        id: d.message_id || m.id,
        content: d.answer ?? '',
        citations: d.citations ?? [],
        mode: d.mode,
        type: d.type,
        clarification: d.clarification ?? null,
        notice: d.notice,
        grounded: d.grounded,
        domains: d.domains,
        streaming: false,
      }));
      return { ...next, announcement: answerAnnouncement(d), title: a.title ?? next.title };
    }
    case 'failed': {
      // A failure is an alert of its own; the live region does not repeat it.
      const f = a.failure;
      switch (f.kind) {
        case 'stopped':
          return { ...updateAnswer(s, a.asstId, (m) => ({ ...m, streaming: false, stopped: true })), announcement: 'You stopped the answer.' };
        case 'rate_limited':
          return { ...s, messages: withdraw(s.messages, a), rateUntil: new Date(a.now + f.retryAfter * 1000), announcement: '' };
        case 'empty_library':
          return { ...s, messages: withdraw(s.messages, a), emptyLibrary: true, announcement: '' };
        default: {
          const failed = f.kind === 'waiting'
            ? { message: waitingMessage(f.seconds), retry: a.retry }
            : { message: f.message, retry: f.retry ? a.retry : undefined };
          return { ...updateAnswer(s, a.asstId, (m) => ({ ...m, streaming: false, failed })), announcement: '' };
        }
      }
    }
    case 'retracted':
      return { ...s, messages: s.messages.filter((m) => !a.ids.includes(m.id)) };
    case 'settled':
      return { ...s, streaming: false };
    case 'rateReset':
      return { ...s, rateUntil: null };
  }
}
