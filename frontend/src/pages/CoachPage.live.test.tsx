// Screen readers hear the answer: the coach page's polite live region
// exists before an answer's text arrives, and what it holds over time is
// recorded here (every change, as a screen reader would be told of it).
import { beforeEach, describe, expect, it } from 'vitest';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../App';
import { CITATION, json, manualStream, ME, mockServer, sseEvent, sseResponse } from '../test/mockServer';

const CONV_ID = '11111111-1111-4111-8111-111111111111';
const CITATION_2 = { ...CITATION, n: 2, chunk_id: '00000000-0000-4000-8000-0000000000c2', quote: 'Teams write it together.' };
const DONE = {
  type: 'answer', mode: 'extractive', citations: [CITATION, CITATION_2], domains: [], grounded: true,
  conversation_id: CONV_ID, message_id: '33333333-3333-4333-8333-333333333333',
  answer: '"A **common formative assessment** is given by every member of the team." [1] It is written together [2].\n\n'
    + '**Key takeaways**\n\n- "A CFA is shared." [1]\n\n**Suggested follow-up questions**\n\n1. How do we score it?',
};

function server(ask: () => Response) {
  mockServer({
    'GET /api/me': () => json(200, ME),
    'GET /api/conversations': () => json(200, { conversations: [], next_cursor: null }),
    [`GET /api/conversations/${CONV_ID}`]: () => json(200, { id: CONV_ID, title: 't', messages: [] }),
    'POST /api/coach/ask': ask,
  });
}

/** Records every distinct text the live region holds, from now on. */
function record(region: HTMLElement): string[] {
  const seen: string[] = [region.textContent ?? ''];
  new MutationObserver(() => {
    const t = region.textContent ?? '';
    if (t !== seen[seen.length - 1]) seen.push(t);
  }).observe(region, { childList: true, characterData: true, subtree: true });
  return seen;
}

beforeEach(() => {
  history.replaceState(null, '', '/');
});

describe('the answer, announced', () => {
  it('announces an extractive answer whose text and end arrive in one render, and says it is complete', async () => {
    server(() => sseResponse([
      sseEvent('meta', { conversation_id: CONV_ID, mode: 'extractive', type: 'answer' }),
      sseEvent('citation', CITATION), sseEvent('citation', CITATION_2),
      sseEvent('delta', { text: DONE.answer }), sseEvent('done', DONE),
    ]));
    render(<App />);
    const box = await screen.findByLabelText('Your question');
    const region = document.getElementById('answer-status')!;
    expect(region).toHaveAttribute('aria-live', 'polite');
    expect(region).toHaveAttribute('role', 'status');
    expect(region.textContent).toBe('');
    const seen = record(region);
    await userEvent.type(box, 'What is a CFA?{Enter}');
    await screen.findByRole('button', { name: 'How do we score it?' });
    await waitFor(() => expect(seen).toHaveLength(3));
    expect(seen).toEqual([
      '',
      'The coach is writing an answer.',
      'The coach\'s answer is complete, with 2 sources. It begins: "A common formative assessment is given by every member of the team."',
    ]);
    // The same region throughout, never replaced.
    expect(document.getElementById('answer-status')).toBe(region);
  });

  it('keeps saying "writing" while a model\'s answer streams, then announces it once when done', async () => {
    const s = manualStream();
    server(() => s.response);
    render(<App />);
    const box = await screen.findByLabelText('Your question');
    const region = document.getElementById('answer-status')!;
    const seen = record(region);
    await userEvent.type(box, 'What is a CFA?{Enter}');
    await act(async () => {
      s.push(sseEvent('meta', { conversation_id: CONV_ID, mode: 'llm', type: 'answer' }));
      s.push(sseEvent('delta', { text: 'A common formative assessment ' }));
      s.push(sseEvent('delta', { text: 'is shared [1].' }));
    });
    await screen.findByText(/is shared/);
    expect(seen).toEqual(['', 'The coach is writing an answer.']);
    await act(async () => {
      s.push(sseEvent('citation', CITATION));
      s.push(sseEvent('done', { ...DONE, mode: 'llm', citations: [CITATION], answer: 'A common formative assessment is shared [1]. Teams write it.' }));
      s.close();
    });
    await waitFor(() => expect(seen).toHaveLength(3));
    expect(seen[2]).toBe('The coach\'s answer is complete, with 1 source. It begins: A common formative assessment is shared.');
  });

  it('announces a clarifying question with how many options follow it', async () => {
    server(() => sseResponse([sseEvent('done', {
      ...DONE, type: 'clarification', citations: [], answer: 'Which part?\n\n- Assessment\n- Teams',
      clarification: { question: 'Which part?', choices: ['Assessment', 'Teams'] },
    })]));
    render(<App />);
    const box = await screen.findByLabelText('Your question');
    const seen = record(document.getElementById('answer-status')!);
    await userEvent.type(box, 'PLCs?{Enter}');
    await waitFor(() => expect(seen).toHaveLength(3));
    expect(seen[2]).toBe('The coach needs to know more: Which part? 2 options follow the question.');
  });
});
