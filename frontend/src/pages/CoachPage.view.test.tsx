// New answers in view: the question just sent is scrolled to the top of
// the message pane and kept there while its answer grows, unless the
// reader scrolls away.  jsdom has no layout, so the pane's geometry is
// given here: the pane's box starts at y=100 and is 500 px high, the
// k-th question (0-based) sits 600*k px down its content, and each
// exchange is 150 px high.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../App';
import { CITATION, json, manualStream, ME, mockServer, sseEvent, sseResponse } from '../test/mockServer';

const CONV_ID = '11111111-1111-4111-8111-111111111111';
const DONE = {
  type: 'answer', mode: 'llm', citations: [CITATION], domains: [], grounded: true, conversation_id: CONV_ID,
  message_id: '33333333-3333-4333-8333-333333333333',
  answer: 'A common formative assessment is shared by the team [1].\n\n**Suggested follow-up questions**\n\n- What about Tier 3?',
};

function server(ask: () => Response) {
  return mockServer({
    'GET /api/me': () => json(200, ME),
    'GET /api/conversations': () => json(200, { conversations: [], next_cursor: null }),
    [`GET /api/conversations/${CONV_ID}`]: () => json(200, { id: CONV_ID, title: 't', messages: [] }),
    'POST /api/coach/ask': ask,
  });
}

function reducedMotion(on: boolean) {
  vi.stubGlobal('matchMedia', (q: string) => ({ matches: on && q.includes('reduce'), media: q, addEventListener() {}, removeEventListener() {} }));
}

/** Gives the pane its geometry; returns the pane and its scrollTo spy. */
function layout() {
  const pane = document.querySelector<HTMLElement>('.messages')!;
  let scrollTop = 0;
  Object.defineProperty(pane, 'scrollTop', { configurable: true, get: () => scrollTop, set: (v: number) => { scrollTop = v; } });
  Object.defineProperty(pane, 'clientHeight', { configurable: true, value: 500 });
  const scrollTo = vi.fn((o: ScrollToOptions) => { scrollTop = o.top ?? scrollTop; });
  pane.scrollTo = scrollTo as unknown as typeof pane.scrollTo;
  const rect = (top: number) => ({ top, bottom: top, left: 0, right: 0, width: 0, height: 0, x: 0, y: top, toJSON() {} }) as DOMRect;
  vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    const questions = [...pane.querySelectorAll('li.message.user')];
    if (this === pane) return rect(100);
    const k = questions.indexOf(this);
    if (k >= 0) return rect(100 + 600 * k - scrollTop);
    if (this === pane.lastElementChild) return rect(100 + 600 * (questions.length - 1) + 150 - scrollTop);
    return rect(0);
  });
  return { pane, scrollTo, setScrollTop: (v: number) => { scrollTop = v; } };
}

beforeEach(() => {
  history.replaceState(null, '', '/');
});

describe('new answers in view', () => {
  it('scrolls a follow-up question to the top of the view, smoothly, with room for its answer below', async () => {
    reducedMotion(false);
    let n = 0;
    server(() => sseResponse([sseEvent('meta', { conversation_id: CONV_ID }), sseEvent('done', { ...DONE, message_id: `m${++n}` })]));
    render(<App />);
    const box = await screen.findByLabelText('Your question');
    const { pane, scrollTo } = layout();
    await userEvent.type(box, 'What is a CFA?{Enter}');
    await screen.findByRole('button', { name: 'What about Tier 3?' });
    scrollTo.mockClear();
    await userEvent.click(screen.getByRole('button', { name: 'What about Tier 3?' }));
    await waitFor(() => expect(scrollTo).toHaveBeenCalled());
    expect(scrollTo.mock.calls[0][0]).toEqual({ top: 600, behavior: 'smooth' });
    // The spacer makes the pane tall enough for the question to reach the top.
    expect((pane.lastElementChild as HTMLElement).style.height).toBe('350px');
  });

  it('jumps without animation when the reader prefers reduced motion (a clarification option too)', async () => {
    reducedMotion(true);
    let n = 0;
    server(() => sseResponse([sseEvent('done', {
      ...DONE, message_id: `m${++n}`, type: 'clarification', citations: [], answer: 'Which part?\n\n- Assessment\n- Teams',
      clarification: { question: 'Which part?', choices: ['Assessment', 'Teams'] },
    })]));
    render(<App />);
    const box = await screen.findByLabelText('Your question');
    const { scrollTo } = layout();
    await userEvent.type(box, 'PLCs?{Enter}');
    await userEvent.click(await screen.findByRole('button', { name: 'Teams' }));
    await waitFor(() => expect(scrollTo.mock.calls.some(([o]) => o.top === 600)).toBe(true));
    expect(scrollTo.mock.calls.find(([o]) => o.top === 600)![0]).toEqual({ top: 600, behavior: 'auto' });
  });

  it('keeps the answer in view as it grows, until the reader scrolls away', async () => {
    reducedMotion(false);
    const first = manualStream();
    const second = manualStream();
    const streams = [first, second];
    server(() => streams.shift()!.response);
    render(<App />);
    const box = await screen.findByLabelText('Your question');
    const { pane, scrollTo, setScrollTop } = layout();

    await userEvent.type(box, 'First?{Enter}');
    await act(async () => {
      first.push(sseEvent('meta', { conversation_id: CONV_ID }));
      first.push(sseEvent('delta', { text: 'Some text' }));
    });
    await act(async () => { first.push(sseEvent('done', { ...DONE, message_id: 'm1' })); first.close(); });

    await userEvent.type(box, 'Second?{Enter}');
    await act(async () => {
      second.push(sseEvent('delta', { text: 'Second answer' }));
    });
    await waitFor(() => expect(scrollTo).toHaveBeenCalledWith({ top: 600, behavior: 'smooth' }));
    // The page moved under the reader (the browser could not scroll all
    // the way yet): the next piece of the answer brings the question back.
    setScrollTop(300);
    scrollTo.mockClear();
    await act(async () => { second.push(sseEvent('delta', { text: ' grows' })); });
    await screen.findByText(/Second answer grows/);
    expect(scrollTo).toHaveBeenCalledWith({ top: 600, behavior: 'auto' });

    // The reader scrolls up with the wheel: the pane is theirs.
    fireEvent.wheel(pane);
    setScrollTop(120);
    scrollTo.mockClear();
    await act(async () => { second.push(sseEvent('delta', { text: ' further' })); });
    await screen.findByText(/Second answer grows further/);
    expect(scrollTo).not.toHaveBeenCalled();
    expect(pane.scrollTop).toBe(120);
    await act(async () => { second.push(sseEvent('done', { ...DONE, message_id: 'm2' })); second.close(); });
  });
});
