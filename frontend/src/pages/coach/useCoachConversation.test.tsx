// useCoachConversation against the fetch mock, without the page: what
// each ask sends, and the transitions that need the network or a timer
// (Try again, the 409 in_progress wait, the session ending).

import { beforeEach, describe, expect, it } from 'vitest';
import { act, renderHook, waitFor } from '@testing-library/react';
import { CITATION, json, manualStream, ME, mockServer, sseEvent, sseResponse, type Call } from '../../test/mockServer';
import { loadDraft } from '../../drafts';
import { useCoachConversation } from './useCoachConversation';

const CID = '11111111-1111-4111-8111-111111111111';
const DONE = {
  type: 'answer', mode: 'llm', citations: [CITATION], domains: ['assessment'], grounded: true,
  conversation_id: CID, message_id: '33333333-3333-4333-8333-333333333333',
  answer: 'A common formative assessment is shared by the team [1].',
};
const OWNER = ME.id;

function server(ask: Parameters<typeof mockServer>[0][string]) {
  return mockServer({
    [`GET /api/conversations/${CID}`]: () => json(200, { id: CID, title: 'A CFA', archived: false, messages: [] }),
    'POST /api/coach/ask': ask,
  });
}

const asks = (calls: Call[]) => calls.filter((c) => c.path === '/api/coach/ask');
const last = <T,>(a: T[]) => a[a.length - 1];

/** The hook with the conversation CID open. */
async function opened() {
  const { result } = renderHook(() => useCoachConversation({ conversationId: CID, owner: OWNER }));
  await waitFor(() => expect(result.current.state.title).toBe('A CFA'));
  return result;
}

beforeEach(() => {
  localStorage.clear();
  history.replaceState(null, '', '/');
});

describe('useCoachConversation', () => {
  it('send, first delta, deltas and done: the states in order, and a new conversation gets its address and title', async () => {
    const s = manualStream();
    server(() => s.response);
    const { result } = renderHook(() => useCoachConversation({ conversationId: null, owner: OWNER }));
    act(() => { void result.current.send('What is a CFA?'); });
    await waitFor(() => expect(result.current.state.streaming).toBe(true));
    expect(result.current.state.announcement).toBe('The coach is writing an answer.');
    expect(last(result.current.state.messages)).toMatchObject({ streaming: true, content: '' });

    await act(async () => {
      s.push(sseEvent('meta', { conversation_id: CID, mode: 'llm', type: 'answer' }));
      s.push(sseEvent('delta', { text: 'A common ' }));
    });
    await waitFor(() => expect(last(result.current.state.messages).content).toBe('A common '));
    expect(location.pathname).toBe(`/c/${CID}`);
    await act(async () => { s.push(sseEvent('delta', { text: 'formative' })); });
    await waitFor(() => expect(last(result.current.state.messages).content).toBe('A common formative'));

    await act(async () => {
      s.push(sseEvent('done', DONE));
      s.close();
    });
    await waitFor(() => expect(result.current.state.streaming).toBe(false));
    expect(last(result.current.state.messages)).toMatchObject({ id: DONE.message_id, content: DONE.answer, streaming: false });
    expect(result.current.state.title).toBe('What is a CFA?');
    expect(result.current.state.announcement).toMatch(/^The coach's answer is complete, with 1 source\./);
  });

  it('follow-up and clarification choice: asked in the open conversation, each with its own Idempotency-Key', async () => {
    const { calls } = server(() => sseResponse([sseEvent('done', DONE)]));
    const result = await opened();
    await act(() => result.current.send('What about Tier 3?'));
    await act(() => result.current.send('Grades 3-5'));
    const a = asks(calls);
    expect(a.map((c) => c.body)).toEqual([
      { question: 'What about Tier 3?', conversation_id: CID },
      { question: 'Grades 3-5', conversation_id: CID },
    ]);
    expect(a[0].headers['idempotency-key']).not.toBe(a[1].headers['idempotency-key']);
    // The conversation's title stays.
    expect(result.current.state.title).toBe('A CFA');
  });

  it('connection lost: the question goes back into the box, and Try again asks again with the same key', async () => {
    let n = 0;
    const { calls } = server(() => (++n === 1 ? sseResponse([sseEvent('delta', { text: 'Partial' })]) : sseResponse([sseEvent('done', DONE)])));
    const result = await opened();
    await act(() => result.current.send('What is a CFA?'));
    const failed = last(result.current.state.messages).failed;
    expect(failed?.message).toMatch(/^The connection was lost before the answer finished/);
    expect(result.current.state.draft).toBe('What is a CFA?');
    expect(loadDraft(OWNER, CID)).toBe('What is a CFA?');

    await act(async () => { failed?.retry?.(); });
    await waitFor(() => expect(last(result.current.state.messages).id).toBe(DONE.message_id));
    expect(result.current.state.messages.filter((m) => m.role === 'user')).toHaveLength(1);
    expect(result.current.state.draft).toBe('');
    const a = asks(calls);
    expect(a).toHaveLength(2);
    expect(a[1].headers['idempotency-key']).toBe(a[0].headers['idempotency-key']);
  });

  it('409 in_progress on Try again: waits Retry-After and asks again by itself', async () => {
    let n = 0;
    const { calls } = server(() => {
      n += 1;
      if (n === 1) return sseResponse([sseEvent('delta', { text: 'Partial' })]);
      if (n === 2) return json(409, { error: { code: 'in_progress', message: 'busy', request_id: 'r' } }, { 'Retry-After': '1' });
      return sseResponse([sseEvent('done', DONE)]);
    });
    const result = await opened();
    await act(() => result.current.send('What is a CFA?'));
    await act(async () => { last(result.current.state.messages).failed?.retry?.(); });
    await waitFor(() => expect(last(result.current.state.messages).failed?.message).toMatch(/Trying again in 1 second\./));
    expect(asks(calls)).toHaveLength(2);
    await waitFor(() => expect(last(result.current.state.messages).id).toBe(DONE.message_id), { timeout: 4000 });
    expect(asks(calls)).toHaveLength(3);
    expect(new Set(asks(calls).map((c) => c.headers['idempotency-key'])).size).toBe(1);
  });

  it('rate limited: the question leaves the list, goes back into the box, and questions wait', async () => {
    server(() => json(429, { error: { code: 'rate_limited', message: 'x', request_id: 'r' } }, { 'Retry-After': '600' }));
    const { result } = renderHook(() => useCoachConversation({ conversationId: null, owner: OWNER }));
    const before = Date.now();
    await act(() => result.current.send('One more?'));
    expect(result.current.state.messages).toEqual([]);
    expect(result.current.state.draft).toBe('One more?');
    expect(result.current.state.rateUntil!.getTime()).toBeGreaterThanOrEqual(before + 600_000);
  });

  it('session expiry: the question is kept in the browser for this conversation, and no Try again is offered', async () => {
    server(() => json(401, { error: { code: 'unauthenticated', message: 'x', request_id: 'r' } }));
    const result = await opened();
    await act(() => result.current.send('Still there?'));
    expect(loadDraft(OWNER, CID)).toBe('Still there?');
    expect(last(result.current.state.messages).failed?.retry).toBeUndefined();
  });

  it('a draft typed while the answer failed is kept, not replaced by the question', async () => {
    const s = manualStream();
    server(() => s.response);
    const result = await opened();
    act(() => { void result.current.send('First?'); });
    act(() => result.current.setDraft('Typing the next'));
    await act(async () => { s.fail(); });
    await waitFor(() => expect(last(result.current.state.messages).failed).toBeDefined());
    expect(result.current.state.draft).toBe('Typing the next');
    expect(loadDraft(OWNER, CID)).toBe('Typing the next');
  });

  it('stop: the answer is marked stopped, and the live region says so', async () => {
    const s = manualStream();
    server(() => s.response);
    const result = await opened();
    act(() => { void result.current.send('Long one?'); });
    await act(async () => { s.push(sseEvent('delta', { text: 'Half' })); });
    await waitFor(() => expect(last(result.current.state.messages).content).toBe('Half'));
    act(() => result.current.stop());
    await waitFor(() => expect(result.current.state.streaming).toBe(false));
    expect(last(result.current.state.messages)).toMatchObject({ stopped: true, content: 'Half' });
    expect(result.current.state.announcement).toBe('You stopped the answer.');
  });
});
