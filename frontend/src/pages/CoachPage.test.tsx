import { beforeEach, describe, expect, it } from 'vitest';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../App';
import { CITATION, json, manualStream, ME, mockServer, sseEvent, sseResponse } from '../test/mockServer';

const CONV = {
  id: '11111111-1111-4111-8111-111111111111', title: 'What is a CFA?', preview: 'What is a CFA?',
  created_at: '2026-05-11T14:03:09Z', updated_at: '2026-05-11T14:05:00Z', message_count: 2, archived: false, archived_at: null,
};
const OLDER = { ...CONV, id: '22222222-2222-4222-8222-222222222222', title: 'Older one', preview: 'Older one', updated_at: '2026-05-10T10:00:00Z' };
const DONE = {
  type: 'answer', mode: 'llm', citations: [CITATION], domains: ['assessment'], grounded: true,
  conversation_id: CONV.id, message_id: '33333333-3333-4333-8333-333333333333',
  answer: 'A common formative assessment is shared by the team [1].\n\n**Suggested follow-up questions**\n\n- How often should we give one?\n- What about Tier 3?',
};

function base(extra: Record<string, Parameters<typeof mockServer>[0][string]> = {}) {
  return mockServer({
    'GET /api/me': () => json(200, ME),
    'GET /api/conversations': () => json(200, { conversations: [CONV, OLDER], next_cursor: null }),
    [`GET /api/conversations/${CONV.id}`]: () => json(200, { ...CONV, messages: [] }),
    ...extra,
  });
}

beforeEach(() => {
  history.replaceState(null, '', '/');
});

describe('the coach screen', () => {
  it('lists conversations newest first as the server gives them', async () => {
    base();
    render(<App />);
    const nav = await screen.findByRole('navigation', { name: 'Conversations' });
    const links = await within(nav).findAllByRole('link');
    expect(links.map((l) => l.textContent)).toEqual([expect.stringContaining('What is a CFA?'), expect.stringContaining('Older one')]);
  });

  it('streams an answer: typing indicator, text as it arrives, then the final document with citations and follow-ups', async () => {
    const s = manualStream();
    const { calls } = base({ 'POST /api/coach/ask': () => s.response });
    render(<App />);
    const box = await screen.findByLabelText('Your question');
    await userEvent.type(box, 'What is a CFA?{Enter}');
    const said = document.getElementById('answer-status');
    await waitFor(() => expect(said).toHaveTextContent('The coach is writing an answer.'));
    expect(document.querySelector('.typing')).not.toBeNull();
    expect(screen.getByRole('button', { name: 'Stop' })).toBeInTheDocument();
    expect(box).toHaveFocus();

    await act(async () => {
      s.push(sseEvent('meta', { conversation_id: CONV.id, message_id: DONE.message_id, mode: 'llm', type: 'answer' }));
      s.push(sseEvent('delta', { text: 'A common formative ' }));
    });
    expect(await screen.findByText(/A common formative/)).toBeInTheDocument();
    expect(document.querySelector('.typing')).toBeNull();
    expect(location.pathname).toBe(`/c/${CONV.id}`);

    await act(async () => {
      s.push(sseEvent('citation', CITATION));
      s.push(sseEvent('done', DONE));
      s.close();
    });
    expect(await screen.findByRole('button', { name: 'How often should we give one?' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Source 1' })).toBeInTheDocument();
    expect(screen.getByText(/Learning by Doing by Richard DuFour/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send' })).toBeInTheDocument();
    const ask = calls.find((c) => c.path === '/api/coach/ask');
    expect(ask?.headers['x-csrf-token']).toBe(ME.csrf_token);
    expect(ask?.body).toEqual({ question: 'What is a CFA?' });
  });

  it('opens a citation in the side panel, moves focus there, and returns it on Escape', async () => {
    base({ 'POST /api/coach/ask': () => sseResponse([sseEvent('done', DONE)]) });
    render(<App />);
    await userEvent.type(await screen.findByLabelText('Your question'), 'What is a CFA?{Enter}');
    const chip = await screen.findByRole('button', { name: 'Source 1' });
    await userEvent.click(chip);
    const panel = screen.getByRole('complementary', { name: 'Source 1' });
    expect(within(panel).getByText(CITATION.quote)).toBeInTheDocument();
    expect(within(panel).getByText('Learning by Doing')).toBeInTheDocument();
    expect(within(panel).getByText('Chapter 3: Creating a Results Orientation')).toBeInTheDocument();
    expect(within(panel).getByText('45-47')).toBeInTheDocument();
    expect(within(panel).getByRole('heading', { name: 'Source 1' })).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('complementary', { name: 'Source 1' })).toBeNull();
    expect(chip).toHaveFocus();
  });

  it('sends a follow-up in the same conversation when its button is pressed', async () => {
    let n = 0;
    const { calls } = base({
      'POST /api/coach/ask': () => sseResponse([sseEvent('meta', { conversation_id: CONV.id }), sseEvent('done', { ...DONE, message_id: `m${++n}` })]),
    });
    render(<App />);
    await userEvent.type(await screen.findByLabelText('Your question'), 'What is a CFA?{Enter}');
    await userEvent.click(await screen.findByRole('button', { name: 'What about Tier 3?' }));
    await waitFor(() => expect(calls.filter((c) => c.path === '/api/coach/ask')).toHaveLength(2));
    expect(calls.filter((c) => c.path === '/api/coach/ask')[1].body).toEqual({ question: 'What about Tier 3?', conversation_id: CONV.id });
  });

  it('asks for reasons on a thumbs-down and sends them with the flag', async () => {
    const { calls } = base({
      'POST /api/coach/ask': () => sseResponse([sseEvent('done', DONE)]),
      [`POST /api/messages/${DONE.message_id}/feedback`]: (c) => json(200, {
        message_id: DONE.message_id, rating: 'down', reasons: (c.body as { reasons: string[] }).reasons,
        comment: null, flagged: true, resolved_at: null,
      }),
    });
    render(<App />);
    await userEvent.type(await screen.findByLabelText('Your question'), 'What is a CFA?{Enter}');
    const down = await screen.findByRole('button', { name: /Not helpful/ });
    await userEvent.click(down);
    const dialog = screen.getByRole('dialog', { name: 'What was wrong with this answer?' });
    expect(within(dialog).getByRole('checkbox', { name: 'Inaccurate' })).toHaveFocus();
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Missing citations' }));
    await userEvent.type(within(dialog).getByLabelText('Comment (optional)'), 'No source for the second point');
    await userEvent.click(within(dialog).getByRole('checkbox', { name: /Flag for urgent review/ }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send feedback' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const fb = calls.find((c) => c.path.endsWith('/feedback'));
    expect(fb?.body).toEqual({ rating: 'down', reasons: ['missing_citations'], comment: 'No source for the second point', flag: true });
    expect(fb?.headers['x-csrf-token']).toBe(ME.csrf_token);
    expect(down).toHaveFocus();
    expect(screen.getByText(/An administrator will review/)).toBeInTheDocument();
  });

  it('shows the rate limit with the time to retry and keeps the question', async () => {
    base({
      'POST /api/coach/ask': () => json(429, { error: { code: 'rate_limited', message: 'Too many', request_id: 'r' } }, { 'Retry-After': '600' }),
    });
    render(<App />);
    const box = await screen.findByLabelText('Your question');
    await userEvent.type(box, 'One more?{Enter}');
    const alert = await screen.findByText(/reached the hourly limit/);
    expect(alert.textContent).toMatch(/ask again at \d{1,2}:\d{2}/);
    expect(box).toHaveValue('One more?');
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
    // The box says why Send is off without repeating the banner.
    expect(screen.getByText(/Send is off until the hourly limit resets/)).toBeInTheDocument();
  });

  it('offers Try again when the connection drops mid-answer, and trying again sends the same Idempotency-Key', async () => {
    let attempt = 0;
    const { calls } = base({
      'POST /api/coach/ask': () => (++attempt === 1
        ? sseResponse([sseEvent('delta', { text: 'Partial' })])
        : sseResponse([sseEvent('done', DONE)])),
    });
    render(<App />);
    await userEvent.type(await screen.findByLabelText('Your question'), 'What is a CFA?{Enter}');
    expect(await screen.findByText(/connection was lost/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('button', { name: 'Source 1' })).toBeInTheDocument();
    const asks = calls.filter((c) => c.path === '/api/coach/ask');
    expect(asks).toHaveLength(2);
    expect(asks[0].headers['idempotency-key']).toMatch(/^[!-~]{8,200}$/);
    expect(asks[1].headers['idempotency-key']).toBe(asks[0].headers['idempotency-key']);
    expect(screen.queryByText(/connection was lost/)).toBeNull();
    expect(screen.getAllByText('What is a CFA?', { selector: '.message.user *' })).toHaveLength(1);
  });

  it('a Try again that finds the first attempt still held by the server (409 in_progress) waits Retry-After and asks again by itself', async () => {
    let attempt = 0;
    const { calls } = base({
      'POST /api/coach/ask': () => {
        attempt += 1;
        if (attempt === 1) return sseResponse([sseEvent('delta', { text: 'Partial' })]);
        if (attempt === 2) {
          return json(409, { error: { code: 'in_progress', message: 'this question is being answered', request_id: 'r' } }, { 'Retry-After': '1' });
        }
        return sseResponse([sseEvent('done', DONE)]);
      },
    });
    render(<App />);
    await userEvent.type(await screen.findByLabelText('Your question'), 'What is a CFA?{Enter}');
    expect(await screen.findByText(/connection was lost before the answer finished.*press Try again/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText(/has not let go of the first attempt.*Trying again in 1 second\./)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeEnabled();
    // no click: the third ask is the app's own, a second later
    expect(await screen.findByRole('button', { name: 'Source 1' }, { timeout: 4000 })).toBeInTheDocument();
    const asks = calls.filter((c) => c.path === '/api/coach/ask');
    expect(asks).toHaveLength(3);
    expect(new Set(asks.map((c) => c.headers['idempotency-key'])).size).toBe(1);
    expect(screen.queryByText(/first attempt/)).toBeNull();
  });

  it('gives each new question its own Idempotency-Key', async () => {
    let n = 0;
    const { calls } = base({
      'POST /api/coach/ask': () => sseResponse([sseEvent('done', { ...DONE, message_id: `m${++n}` })]),
    });
    render(<App />);
    const box = await screen.findByLabelText('Your question');
    await userEvent.type(box, 'What is a CFA?{Enter}');
    await screen.findByRole('button', { name: 'Source 1' });
    await userEvent.type(box, 'And a second one?{Enter}');
    await waitFor(() => expect(calls.filter((c) => c.path === '/api/coach/ask')).toHaveLength(2));
    const keys = calls.filter((c) => c.path === '/api/coach/ask').map((c) => c.headers['idempotency-key']);
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBeTruthy();
    expect(keys[1]).not.toBe(keys[0]);
  });

  it('shows a saved failure with Try again, which answers the same question again in place', async () => {
    const Q = { id: '44444444-4444-4444-8444-444444444444', role: 'user', content: 'What is a CFA?', citations: [] };
    const FAIL = {
      id: '55555555-5555-4555-8555-555555555555', role: 'assistant', type: 'error', error_code: 'db_unavailable',
      content: 'The answer could not be finished because the database was unavailable. Try again.', citations: [],
    };
    history.replaceState(null, '', `/c/${CONV.id}`);
    const { calls } = base({
      [`GET /api/conversations/${CONV.id}`]: () => json(200, { ...CONV, messages: [Q, FAIL] }),
      'POST /api/coach/ask': () => sseResponse([sseEvent('done', DONE)]),
    });
    render(<App />);
    expect(await screen.findByText(/database was unavailable/)).toBeInTheDocument();
    // A failure takes no feedback.
    expect(screen.queryByRole('button', { name: /helpful/i })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('button', { name: 'Source 1' })).toBeInTheDocument();
    const ask = calls.find((c) => c.path === '/api/coach/ask');
    expect(ask?.body).toEqual({ question: Q.content, conversation_id: CONV.id, retry_of: Q.id });
    expect(screen.queryByText(/database was unavailable/)).toBeNull();
    expect(screen.getAllByText('What is a CFA?', { selector: '.message.user *' })).toHaveLength(1);
  });

  it('shows an interrupted question with Try again, and a question still being answered as such', async () => {
    const Q1 = { id: '66666666-6666-4666-8666-666666666666', role: 'user', content: 'Older question?', citations: [], answer_state: 'interrupted' };
    const Q2 = { id: '77777777-7777-4777-8777-777777777777', role: 'user', content: 'Newest question?', citations: [], answer_state: 'interrupted' };
    history.replaceState(null, '', `/c/${CONV.id}`);
    const { calls } = base({
      [`GET /api/conversations/${CONV.id}`]: () => json(200, { ...CONV, messages: [Q1, Q2] }),
      [`GET /api/conversations/${OLDER.id}`]: () => json(200, { ...OLDER, messages: [{ ...Q1, answer_state: 'pending' }] }),
      'POST /api/coach/ask': () => sseResponse([sseEvent('done', DONE)]),
    });
    render(<App />);
    expect(await screen.findAllByText(/interrupted before it finished/)).toHaveLength(2);
    // Only the last question can be asked again in place.
    const again = screen.getAllByRole('button', { name: 'Try again' });
    expect(again).toHaveLength(1);
    await userEvent.click(again[0]);
    expect(await screen.findByRole('button', { name: 'Source 1' })).toBeInTheDocument();
    expect(calls.find((c) => c.path === '/api/coach/ask')?.body).toEqual({ question: Q2.content, conversation_id: CONV.id, retry_of: Q2.id });
    expect(screen.getAllByText(/interrupted before it finished/)).toHaveLength(1);

    await userEvent.click(screen.getByRole('link', { name: /Older one/ }));
    expect(await screen.findByText(/still being answered/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('shows the extractive notice the server sends', async () => {
    base({ 'POST /api/coach/ask': () => sseResponse([sseEvent('done', { ...DONE, mode: 'extractive', notice: 'The AI model is unavailable; this answer quotes the library directly.' })]) });
    render(<App />);
    await userEvent.type(await screen.findByLabelText('Your question'), 'What is a CFA?{Enter}');
    expect(await screen.findByText('The AI model is unavailable; this answer quotes the library directly.')).toBeInTheDocument();
  });

  it('shows clarification choices as buttons that ask them', async () => {
    let n = 0;
    const { calls } = base({
      'POST /api/coach/ask': () => sseResponse([sseEvent('done', {
        ...DONE, message_id: `m${++n}`, type: 'clarification', citations: [], grounded: false,
        answer: 'Which part of PLC work do you mean?\n\n- Getting started\n- Assessment',
        clarification: { question: 'Which part of PLC work do you mean?', choices: ['Getting started', 'Assessment'] },
      })]),
    });
    render(<App />);
    await userEvent.type(await screen.findByLabelText('Your question'), 'How do I do PLCs?{Enter}');
    // Each choice once: a button, not also a line of the text.
    expect(await screen.findAllByText('Assessment')).toHaveLength(1);
    expect(screen.getAllByText('Which part of PLC work do you mean?')).toHaveLength(1);
    await userEvent.click(await screen.findByRole('button', { name: 'Assessment' }));
    await waitFor(() => expect(calls.filter((c) => c.path === '/api/coach/ask')).toHaveLength(2));
    expect(screen.queryByText(/not grounded/)).toBeNull();
  });

  it('shows the extractive answer\'s shape: points, key takeaways in a box, follow-ups as buttons that ask them', async () => {
    let n = 0;
    const { calls } = base({
      'POST /api/coach/ask': () => sseResponse([sseEvent('done', {
        ...DONE, message_id: `m${++n}`, mode: 'extractive',
        answer: '"A CFA is given by every teacher of the course." [1]\n\n1. "Teams write it together." [1]\n\n'
          + '**Key takeaways**\n\n- "A CFA is shared." [1]\n- "Teams write it." [1]\n\n'
          + '**Suggested follow-up questions**\n\n1. How do we go about scoring it together?\n2. What should our team know about pre-assessments?',
      })]),
    });
    render(<App />);
    await userEvent.type(await screen.findByLabelText('Your question'), 'What is a CFA?{Enter}');
    const box = await screen.findByRole('region', { name: 'Key takeaways' });
    expect(within(box).getByText(/A CFA is shared/)).toBeInTheDocument();
    expect(within(box).getAllByRole('listitem')).toHaveLength(2);
    // The takeaways are not also in the answer's text above them.
    expect(screen.getAllByText(/A CFA is shared/)).toHaveLength(1);
    expect(screen.queryByText('**Key takeaways**')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'What should our team know about pre-assessments?' }));
    await waitFor(() => expect(calls.filter((c) => c.path === '/api/coach/ask')).toHaveLength(2));
    expect(calls.filter((c) => c.path === '/api/coach/ask')[1].body).toMatchObject({
      question: 'What should our team know about pre-assessments?' });
  });

  it('stops a streaming answer with the Stop button', async () => {
    const s = manualStream();
    base({ 'POST /api/coach/ask': (c) => {
      void c;
      return s.response;
    } });
    render(<App />);
    await userEvent.type(await screen.findByLabelText('Your question'), 'What is a CFA?{Enter}');
    await act(async () => { s.push(sseEvent('delta', { text: 'Partial answer' })); });
    await userEvent.click(await screen.findByRole('button', { name: 'Stop' }));
    expect(await screen.findByText('You stopped this answer.')).toBeInTheDocument();
    expect(screen.getByLabelText('Your question')).toHaveFocus();
  });

  it('renames, archives and deletes conversations from the sidebar', async () => {
    const { calls } = base({
      [`PATCH /api/conversations/${CONV.id}`]: (c) => json(200, { ...CONV, ...(c.body as object) }),
      [`DELETE /api/conversations/${CONV.id}`]: () => json(204, null),
    });
    render(<App />);
    await userEvent.click(await screen.findByRole('button', { name: 'Actions for What is a CFA?' }));
    await userEvent.click(screen.getByRole('button', { name: 'Rename' }));
    const field = screen.getByLabelText('New title');
    expect(field).toHaveFocus();
    await userEvent.clear(field);
    await userEvent.type(field, 'Common assessments{Enter}');
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ title: 'Common assessments' });

    await userEvent.click(screen.getByRole('button', { name: 'Actions for What is a CFA?' }));
    await userEvent.click(screen.getByRole('button', { name: 'Archive' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(2));
    expect(calls.filter((c) => c.method === 'PATCH')[1].body).toEqual({ archived: true });

    await userEvent.click(screen.getByRole('button', { name: 'Actions for What is a CFA?' }));
    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete this conversation?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE')).toBe(true));
  });

  it('searches and shows archived conversations through the list query', async () => {
    const { calls } = base();
    render(<App />);
    await userEvent.type(await screen.findByLabelText('Search conversations'), 'tier');
    await waitFor(() => expect(calls.some((c) => c.path.includes('q=tier'))).toBe(true));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Show archived' }));
    await waitFor(() => expect(calls.some((c) => c.path.includes('archived=true') && c.path.includes('q=tier'))).toBe(true));
  });

  it('keeps an over-long question on a refusal and explains it in a teacher\'s words, with no Retry', async () => {
    const { calls } = base({
      'POST /api/coach/ask': () => json(400, { error: { code: 'invalid_field', message: 'field "question" must be 1 to 2000 characters long', request_id: 'r' } }),
    });
    render(<App />);
    const box = await screen.findByLabelText('Your question');
    await userEvent.type(box, 'Too long?{Enter}');
    const alert = await screen.findByText(/questions can be at most 2,000 characters/);
    expect(alert.textContent).toMatch(/shorten it and send it again/);
    expect(screen.queryByText(/field "question"/)).toBeNull();
    expect(box).toHaveValue('Too long?');
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(calls.filter((c) => c.path === '/api/coach/ask')).toHaveLength(1);
  });

  it('keeps the question on a server failure, says what to do, and Retry asks again', async () => {
    let attempt = 0;
    const { calls } = base({
      'POST /api/coach/ask': () => (++attempt === 1
        ? json(503, { error: { code: 'db_unavailable', message: 'database unavailable', request_id: 'r' } })
        : sseResponse([sseEvent('done', DONE)])),
    });
    render(<App />);
    const box = await screen.findByLabelText('Your question');
    await userEvent.type(box, 'What is a CFA?{Enter}');
    expect(await screen.findByText('The coach could not answer. The service is busy or restarting. Wait a minute and try again; if it keeps happening, tell your administrator.')).toBeInTheDocument();
    expect(screen.queryByText(/database unavailable/)).toBeNull();
    expect(box).toHaveValue('What is a CFA?');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('button', { name: 'Source 1' })).toBeInTheDocument();
    expect(calls.filter((c) => c.path === '/api/coach/ask')).toHaveLength(2);
    expect(box).toHaveValue('');
  });

  it('explains a conversation that cannot be loaded instead of showing the server\'s message', async () => {
    base({ [`GET /api/conversations/${CONV.id}`]: () => json(500, { error: { code: 'internal', message: 'internal error', request_id: 'r' } }) });
    history.replaceState(null, '', `/c/${CONV.id}`);
    render(<App />);
    expect(await screen.findByText(/This conversation could not be opened\. Something went wrong on the server\./)).toBeInTheDocument();
    expect(screen.queryByText('internal error')).toBeNull();
  });
});
