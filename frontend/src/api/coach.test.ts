import { describe, expect, it } from 'vitest';
import { askCoach } from './coach';
import { ApiError, setCsrfToken } from './client';
import { CITATION, json, manualStream, mockServer, sseEvent, sseResponse } from '../test/mockServer';

const DONE = {
  type: 'answer', mode: 'llm', answer: 'Final text [1].', citations: [CITATION], domains: ['assessment'],
  conversation_id: 'c1', message_id: 'm1', grounded: true,
};

describe('askCoach', () => {
  it('POSTs the question with CSRF and Accept: text/event-stream, and passes each event on', async () => {
    setCsrfToken('b'.repeat(64));
    const { calls } = mockServer({
      'POST /api/coach/ask': () => sseResponse([
        sseEvent('meta', { conversation_id: 'c1', message_id: 'm1', mode: 'llm', type: 'answer' }),
        sseEvent('citation', CITATION),
        sseEvent('delta', { text: 'Fin' }),
        sseEvent('delta', { text: 'al' }),
        sseEvent('done', DONE),
      ]),
    });
    const seen: string[] = [];
    const doc = await askCoach('What is a CFA?', 'c0', {
      onMeta: (m) => seen.push('meta:' + m.conversation_id),
      onCitation: (c) => seen.push('cite:' + c.n),
      onDelta: (t) => seen.push('delta:' + t),
    });
    expect(seen).toEqual(['meta:c1', 'cite:1', 'delta:Fin', 'delta:al']);
    expect(doc.answer).toBe('Final text [1].');
    expect(calls[0].headers['x-csrf-token']).toBe('b'.repeat(64));
    expect(calls[0].headers.accept).toBe('text/event-stream');
    expect(calls[0].body).toEqual({ question: 'What is a CFA?', conversation_id: 'c0' });
  });

  it('omits conversation_id for a new conversation', async () => {
    const { calls } = mockServer({ 'POST /api/coach/ask': () => sseResponse([sseEvent('done', DONE)]) });
    await askCoach('Hi', null, {});
    expect(calls[0].body).toEqual({ question: 'Hi' });
  });

  it('accepts a plain JSON answer', async () => {
    mockServer({ 'POST /api/coach/ask': () => json(200, DONE) });
    const metas: string[] = [];
    const doc = await askCoach('Hi', null, { onMeta: (m) => metas.push(m.conversation_id) });
    expect(doc.message_id).toBe('m1');
    expect(metas).toEqual(['c1']);
  });

  it('rejects a 429 with the Retry-After seconds', async () => {
    mockServer({
      'POST /api/coach/ask': () => json(429, { error: { code: 'rate_limited', message: 'Too many', request_id: 'r' } }, { 'Retry-After': '120' }),
    });
    const err = await askCoach('Hi', null, {}).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(429);
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfter).toBe(120);
  });

  it('turns an error event into an ApiError with its code', async () => {
    mockServer({ 'POST /api/coach/ask': () => sseResponse([sseEvent('error', { code: 'llm_failed', message: 'Model broke' })]) });
    const err = await askCoach('Hi', null, {}).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('llm_failed');
    expect(err.message).toBe('Model broke');
  });

  it('goes on after model_failed: the quoted answer follows and done ends the stream', async () => {
    mockServer({
      'POST /api/coach/ask': () => sseResponse([
        sseEvent('delta', { text: 'Here is what the' }),
        sseEvent('error', { code: 'model_failed', message: 'The model stopped; quoting the library.' }),
        sseEvent('done', DONE),
      ]),
    });
    const failed: string[] = [];
    const deltas: string[] = [];
    const doc = await askCoach('Hi', null, { onModelFailed: (m) => failed.push(m), onDelta: (t) => deltas.push(t) });
    expect(deltas).toEqual(['Here is what the']);
    expect(failed).toEqual(['The model stopped; quoting the library.']);
    expect(doc).toEqual(DONE);
  });

  it("reads the server's error envelope in an error event", async () => {
    mockServer({ 'POST /api/coach/ask': () => sseResponse([sseEvent('error', { error: { code: 'conversation_deleted', message: 'Deleted meanwhile', request_id: 'r', conversation_id: 'c1' } })]) });
    const err = await askCoach('Hi', 'c1', {}).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('conversation_deleted');
    expect(err.message).toBe('Deleted meanwhile');
  });

  it('sends the Idempotency-Key and retry_of it is given, and neither when not', async () => {
    const { calls } = mockServer({ 'POST /api/coach/ask': () => sseResponse([sseEvent('done', DONE)]) });
    await askCoach('Hi', 'c1', {}, undefined, { key: 'k-1', retryOf: 'q-1' });
    await askCoach('Hi', null, {});
    expect(calls[0].headers['idempotency-key']).toBe('k-1');
    expect(calls[0].body).toEqual({ question: 'Hi', conversation_id: 'c1', retry_of: 'q-1' });
    expect(calls[1].headers['idempotency-key']).toBeUndefined();
    expect(calls[1].body).toEqual({ question: 'Hi' });
  });

  it('reports a network loss when the stream ends without done', async () => {
    mockServer({ 'POST /api/coach/ask': () => sseResponse([sseEvent('delta', { text: 'partial' })]) });
    const err = await askCoach('Hi', null, {}).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
  });

  it('reports a network loss when the stream breaks', async () => {
    const s = manualStream();
    mockServer({ 'POST /api/coach/ask': () => s.response });
    const p = askCoach('Hi', null, {});
    s.push(sseEvent('delta', { text: 'x' }));
    s.fail();
    const err = await p.catch((e) => e);
    expect(err.status).toBe(0);
  });

  it('skips malformed events instead of failing', async () => {
    mockServer({ 'POST /api/coach/ask': () => sseResponse(['event: delta\ndata: {not json\n\n', sseEvent('done', DONE)]) });
    const deltas: string[] = [];
    const doc = await askCoach('Hi', null, { onDelta: (t) => deltas.push(t) });
    expect(deltas).toEqual([]);
    expect(doc.type).toBe('answer');
  });
});
