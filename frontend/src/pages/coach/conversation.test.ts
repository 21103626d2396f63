// The coach's state machine, one transition at a time (issue 13): the
// reducer and the classification of a failed ask, without a page.

import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { CoachAnswer } from '../../api/types';
import { CITATION } from '../../test/mockServer';
import {
  askFailure, conversationReducer, initialConversation, sessionEnded, withOutcomes,
  type AskIds, type ConversationAction, type ConversationState,
} from './conversation';

const NEW: AskIds = { userId: 'local-u-1', asstId: 'local-a-1' };
const DOC: CoachAnswer = {
  type: 'answer', mode: 'llm', answer: 'A CFA is shared by the team [1].', citations: [CITATION],
  domains: ['assessment'], conversation_id: 'c1', message_id: 'm1', grounded: true,
};

function run(s: ConversationState, ...actions: ConversationAction[]): ConversationState {
  return actions.reduce(conversationReducer, s);
}

/** A conversation in which `q` was just asked (new question). */
function asked(q = 'What is a CFA?', s = initialConversation()): ConversationState {
  return run(s, { type: 'asked', question: q, ...NEW });
}

const answer = (s: ConversationState) => s.messages.find((m) => m.id === NEW.asstId || m.role === 'assistant')!;

describe('the coach conversation reducer', () => {
  it('send: adds the question and an empty streaming answer, says "writing", clears the empty-library banner', () => {
    const s = asked('What is a CFA?', { ...initialConversation(), emptyLibrary: true });
    expect(s.messages).toEqual([
      { id: NEW.userId, role: 'user', content: 'What is a CFA?', citations: [] },
      { id: NEW.asstId, role: 'assistant', content: '', citations: [], streaming: true },
    ]);
    expect(s.streaming).toBe(true);
    expect(s.announcement).toBe('The coach is writing an answer.');
    expect(s.emptyLibrary).toBe(false);
  });

  it('send again in place (retryOf): keeps the saved question, replaces what followed it with the new answer', () => {
    const saved = run(initialConversation(), {
      type: 'opened', title: 'T', archived: false,
      messages: [
        { id: 'q1', role: 'user', content: 'First?', citations: [] },
        { id: 'a1', role: 'assistant', content: 'One', citations: [] },
        { id: 'q2', role: 'user', content: 'Second?', citations: [] },
        { id: 'e2', role: 'assistant', content: '', citations: [], failed: { message: 'x' } },
      ],
    });
    const s = run(saved, { type: 'asked', question: 'Second?', userId: 'q2', asstId: 'local-a-9', retryOf: 'q2' });
    expect(s.messages.map((m) => m.id)).toEqual(['q1', 'a1', 'q2', 'local-a-9']);
  });

  it('first delta and the deltas after it: the text grows on the streaming answer only', () => {
    const s = run(asked(),
      { type: 'meta', asstId: NEW.asstId, meta: { conversation_id: 'c1', mode: 'llm', type: 'answer' } },
      { type: 'delta', asstId: NEW.asstId, text: 'A common ' });
    expect(answer(s)).toMatchObject({ content: 'A common ', mode: 'llm', type: 'answer', streaming: true });
    const t = run(s, { type: 'delta', asstId: NEW.asstId, text: 'formative ' }, { type: 'delta', asstId: NEW.asstId, text: 'assessment' });
    expect(answer(t).content).toBe('A common formative assessment');
    expect(t.messages[0].content).toBe('What is a CFA?');
  });

  it('a citation sent twice is kept once; a model failure withdraws the streamed text and citations', () => {
    const s = run(asked(),
      { type: 'delta', asstId: NEW.asstId, text: 'Model text' },
      { type: 'citation', asstId: NEW.asstId, citation: CITATION },
      { type: 'citation', asstId: NEW.asstId, citation: { ...CITATION, quote: 'again' } });
    expect(answer(s).citations).toEqual([{ ...CITATION, quote: 'again' }]);
    const t = run(s, { type: 'modelFailed', asstId: NEW.asstId });
    expect(answer(t)).toMatchObject({ content: '', citations: [] });
  });

  it('done: the final document replaces what was streamed, takes the server id, announces the answer and titles a new conversation', () => {
    const s = run(asked(), { type: 'delta', asstId: NEW.asstId, text: 'partial' },
      { type: 'done', asstId: NEW.asstId, doc: DOC, title: 'What is a CFA?' }, { type: 'settled' });
    expect(answer(s)).toMatchObject({ id: 'm1', content: DOC.answer, citations: [CITATION], streaming: false, grounded: true, clarification: null });
    expect(s.announcement).toBe('The coach\'s answer is complete, with 1 source. It begins: A CFA is shared by the team.');
    expect(s.title).toBe('What is a CFA?');
    expect(s.streaming).toBe(false);
    // A follow-up in an existing conversation keeps its title.
    const f = run({ ...s, title: 'Old title' }, { type: 'asked', question: 'More?', userId: 'u2', asstId: 'a2' },
      { type: 'done', asstId: 'a2', doc: { ...DOC, message_id: 'm2' } });
    expect(f.title).toBe('Old title');
    expect(f.messages.map((m) => m.id)).toEqual([NEW.userId, 'm1', 'u2', 'm2']);
  });

  it('clarification: the choices arrive with done and are announced with their number', () => {
    const s = run(asked(), {
      type: 'done', asstId: NEW.asstId,
      doc: { ...DOC, type: 'clarification', answer: 'Which grade?', citations: [], clarification: { question: 'Which grade?', choices: ['K-2', '3-5'] } },
    });
    expect(answer(s).clarification).toEqual({ question: 'Which grade?', choices: ['K-2', '3-5'] });
    expect(s.announcement).toBe('The coach needs to know more: Which grade? 2 options follow the question.');
  });

  it('stopped: the answer keeps its text, is marked stopped, and the live region says so', () => {
    const s = run(asked(), { type: 'delta', asstId: NEW.asstId, text: 'Half' },
      { type: 'failed', failure: { kind: 'stopped' }, now: 0, ...NEW }, { type: 'settled' });
    expect(answer(s)).toMatchObject({ content: 'Half', streaming: false, stopped: true });
    expect(s.announcement).toBe('You stopped the answer.');
    expect(s.streaming).toBe(false);
  });

  it('rate limited: question and answer leave the list, and questions wait Retry-After from now', () => {
    const s = run(asked(), { type: 'failed', failure: { kind: 'rate_limited', retryAfter: 600 }, now: 1_000_000, ...NEW });
    expect(s.messages).toEqual([]);
    expect(s.rateUntil?.getTime()).toBe(1_000_000 + 600_000);
    expect(s.announcement).toBe('');
    expect(run(s, { type: 'rateReset' }).rateUntil).toBeNull();
  });

  it('empty library: the banner, and a saved question answered again in place stays in the list', () => {
    const base = run(initialConversation(), { type: 'opened', title: 'T', archived: false, messages: [{ id: 'q1', role: 'user', content: 'Q?', citations: [] }] });
    const ids = { userId: 'q1', asstId: 'local-a-2', retryOf: 'q1' };
    const s = run(base, { type: 'asked', question: 'Q?', ...ids }, { type: 'failed', failure: { kind: 'empty_library' }, now: 0, ...ids });
    expect(s.emptyLibrary).toBe(true);
    expect(s.messages.map((m) => m.id)).toEqual(['q1']);
  });

  it('connection lost: the answer fails with the message and Try again; a refusal offers none', () => {
    const retry = vi.fn();
    const lost = run(asked(), { type: 'failed', failure: { kind: 'failed', message: 'The connection was lost.', retry: true }, now: 0, retry, ...NEW });
    expect(answer(lost)).toMatchObject({ streaming: false, failed: { message: 'The connection was lost.', retry } });
    expect(lost.announcement).toBe('');
    const refused = run(asked(), { type: 'failed', failure: { kind: 'failed', message: 'Too long.', retry: false }, now: 0, retry, ...NEW });
    expect(answer(refused).failed).toEqual({ message: 'Too long.', retry: undefined });
  });

  it('409 in_progress on a retry: says it waits and for how long, and keeps Try again', () => {
    const retry = vi.fn();
    const s = run(asked(), { type: 'failed', failure: { kind: 'waiting', seconds: 1 }, now: 0, retry, ...NEW });
    expect(answer(s).failed?.message).toMatch(/has not let go of the first attempt.*Trying again in 1 second\.$/);
    expect(answer(s).failed?.retry).toBe(retry);
    const t = run(asked(), { type: 'failed', failure: { kind: 'waiting', seconds: 30 }, now: 0, retry, ...NEW });
    expect(answer(t).failed?.message).toMatch(/Trying again in 30 seconds\.$/);
  });

  it('Try again (not in place): the failed question and answer are retracted before it is asked again', () => {
    const s = run(asked(), { type: 'failed', failure: { kind: 'failed', message: 'x', retry: true }, now: 0, ...NEW },
      { type: 'retracted', ids: [NEW.userId, NEW.asstId] });
    expect(s.messages).toEqual([]);
  });

  it('opening, opened, failed to open and Try again', () => {
    const open = run(initialConversation(), { type: 'archived', archived: true }, { type: 'opening' });
    expect(open.archivedOpen).toBe(false);
    const failed = run(open, { type: 'openFailed', error: 'No such conversation.' });
    expect(failed).toMatchObject({ messages: [], title: '', loadError: 'No such conversation.' });
    const again = run(failed, { type: 'reopen' });
    expect(again).toMatchObject({ loadError: '', loadTry: 1 });
    const opened = run(again, { type: 'opened', title: 'T', archived: true, messages: [{ id: 'q', role: 'user', content: 'Q', citations: [] }] });
    expect(opened).toMatchObject({ title: 'T', archivedOpen: true });
    expect(run(opened, { type: 'cleared' })).toMatchObject({ messages: [], title: '' });
    expect(run(opened, { type: 'titled', title: 'New' }).title).toBe('New');
    expect(run(opened, { type: 'draft', text: 'typing' }).draft).toBe('typing');
  });
});

describe('what a failed ask means', () => {
  const key = { key: 'k' };
  it('classifies each kind of failure', () => {
    expect(askFailure(new DOMException('Aborted', 'AbortError'), key)).toEqual({ kind: 'stopped' });
    expect(askFailure(new ApiError(429, 'rate_limited', 'm', 600), key)).toEqual({ kind: 'rate_limited', retryAfter: 600 });
    expect(askFailure(new ApiError(429, 'rate_limited', 'm'), key)).toEqual({ kind: 'rate_limited', retryAfter: 60 });
    expect(askFailure(new ApiError(503, 'library_empty', 'm'), key)).toEqual({ kind: 'empty_library' });
    expect(askFailure(new ApiError(409, 'in_progress', 'm', 2), key)).toEqual({ kind: 'waiting', seconds: 2 });
    expect(askFailure(new ApiError(409, 'in_progress', 'm', 900), { retryOf: 'q' })).toEqual({ kind: 'waiting', seconds: 300 });
    // Not a question asked again, or no Retry-After: a refusal like any 4xx.
    expect(askFailure(new ApiError(409, 'in_progress', 'm', 2), {})).toMatchObject({ kind: 'failed', retry: false });
    expect(askFailure(new ApiError(409, 'in_progress', 'm'), key)).toMatchObject({ kind: 'failed', retry: false });
    expect(askFailure(new ApiError(0, 'network', 'm'), key)).toEqual({
      kind: 'failed', retry: true,
      message: 'The connection was lost before the answer finished. Check your internet connection, then press Try again.',
    });
    expect(askFailure(new ApiError(400, 'invalid_field', 'm'), key)).toMatchObject({ kind: 'failed', retry: false, message: expect.stringMatching(/at most 2,000 characters/) });
    expect(askFailure(new ApiError(500, 'internal', 'm'), key)).toMatchObject({ kind: 'failed', retry: true, message: expect.stringMatching(/^The coach could not answer\. Something went wrong on the server/) });
    expect(askFailure(new TypeError('boom'), key)).toMatchObject({ kind: 'failed', retry: true });
    expect(sessionEnded(new ApiError(401, 'unauthenticated', 'm'))).toBe(true);
    expect(sessionEnded(new ApiError(403, 'forbidden', 'm'))).toBe(false);
  });
});

describe('a saved conversation as shown', () => {
  it('offers Try again on the last question only, and shows one still being answered', () => {
    const reask = vi.fn();
    const shown = withOutcomes([
      { id: 'q1', role: 'user', content: 'Old?', citations: [], answer_state: 'interrupted' },
      { id: 'q2', role: 'user', content: 'New?', citations: [] },
      { id: 'e2', role: 'assistant', type: 'error', content: '', citations: [] },
    ], reask);
    expect(shown.map((m) => m.id)).toEqual(['q1', 'local-state-q1', 'q2', 'e2']);
    expect(shown[1].failed?.retry).toBeUndefined();
    expect(shown[3].failed?.message).toBe('The coach could not finish this answer.');
    shown[3].failed?.retry?.();
    expect(reask).toHaveBeenCalledWith(expect.objectContaining({ id: 'q2' }));
    const pending = withOutcomes([{ id: 'q', role: 'user', content: 'Q', citations: [], answer_state: 'pending' }], reask);
    expect(pending[1]).toMatchObject({ pending: true });
  });
});
