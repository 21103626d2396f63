// How an answer is presented: the sources it cites numbered 1..n, the
// clarifying question and its options once, "Quoted from your library"
// in place of "extractive mode", and the citation panel without Markdown.
import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MessageView, type UiMessage } from './MessageView';
import { CitationPanel } from './CitationPanel';
import type { ShownCitation } from '../format';
import { CITATION, json, mockServer } from '../test/mockServer';
import css from '../styles.css?raw';

const MSG = '33333333-3333-4333-8333-333333333333';
const cite = (n: number, title: string) => ({ ...CITATION, n, chunk_id: `c${n}`, book: { title, authors: [] } });

function answer(extra: Partial<UiMessage>): UiMessage {
  return { id: MSG, role: 'assistant', content: '', citations: [], mode: 'llm', type: 'answer', grounded: true, ...extra };
}

describe('an answer as shown', () => {
  it('numbers the sources it cites 1..n in the order the text cites them, in the text and the list', async () => {
    const onCite = vi.fn();
    render(<MessageView onCite={onCite} m={answer({
      content: 'Teams share the work [4]. They meet weekly [1]. Both matter [4] [5].',
      citations: [cite(1, 'Book One'), cite(4, 'Book Four'), cite(5, 'Book Five')],
    })} />);
    const text = document.querySelector('.markdown')!;
    expect(within(text as HTMLElement).getAllByRole('button').map((b) => b.textContent)).toEqual(['1', '2', '1', '3']);
    expect(text.textContent).not.toMatch(/[45]/);
    const list = screen.getByRole('heading', { name: 'Sources' }).nextElementSibling as HTMLElement;
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Book Four', 'Book One', 'Book Five'].map((t, i) => `${i + 1}Source ${i + 1}: ${t}, Chapter 3: Creating a Results Orientation, pp. 45-47`));
    await userEvent.click(within(list).getByRole('button', { name: /Book Four/ }));
    expect(onCite.mock.calls[0][0]).toMatchObject({ n: 1, source_n: 4, book: { title: 'Book Four' } });
  });

  it('shows a clarifying question and each option once, as buttons, or as a list where nothing can be asked', () => {
    const m = answer({
      type: 'clarification', mode: 'extractive', grounded: false,
      content: 'That covers a lot. Which of these is closest to what you need?\n\n- Writing a CFA\n- Scoring a CFA',
      clarification: { question: 'That covers a lot. Which of these is closest to what you need?', choices: ['Writing a CFA', 'Scoring a CFA'] },
    });
    const { unmount } = render(<MessageView m={m} onCite={() => undefined} onAsk={() => undefined} />);
    expect(screen.getAllByText(/Which of these is closest/)).toHaveLength(1);
    expect(screen.getAllByText('Writing a CFA')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Scoring a CFA' })).toBeInTheDocument();
    expect(screen.queryByText(/Quoted from your library/)).toBeNull();
    unmount();
    render(<MessageView m={m} readOnly onCite={() => undefined} />);
    expect(screen.getAllByText(/Which of these is closest/)).toHaveLength(1);
    expect(screen.getAllByText('Writing a CFA')).toHaveLength(1);
    expect(screen.getAllByText('Scoring a CFA')).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Scoring a CFA' })).toBeNull();
  });

  it('says "Quoted from your library" instead of "extractive mode", and explains it on demand', async () => {
    render(<MessageView onCite={() => undefined} m={answer({ mode: 'extractive', content: '"Teams share it." [1]', citations: [CITATION] })} />);
    expect(screen.getByText('Quoted from your library')).toBeInTheDocument();
    expect(document.body.textContent).not.toMatch(/extractive/i);
    const why = screen.getByRole('button', { name: 'What does this mean?' });
    expect(why).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByText(/quoted word for word/)).toBeNull();
    await userEvent.click(why);
    expect(why).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByText(/quoted word for word from a book in your library/)).toBeInTheDocument();
  });

  it('makes inline citation buttons at least 24 x 24 px (WCAG 2.2 target size)', () => {
    const rule = /\.cite-ref\s*\{([^}]*)\}/.exec(css)?.[1] ?? '';
    const px = (prop: string) => Number(new RegExp(`(?:^|[;\\s])${prop}:\\s*(\\d+)px`).exec(rule)?.[1] ?? 0);
    expect(px('min-width')).toBeGreaterThanOrEqual(24);
    expect(px('min-height')).toBeGreaterThanOrEqual(24);
  });
});

describe('the citation panel', () => {
  it('shows the passage without Markdown marks, and opens the page by the server\'s number', async () => {
    const { calls } = mockServer({ [`GET /api/messages/${MSG}/citations/4`]: () => json(404, { error: { code: 'not_found', message: 'x', request_id: 'r' } }) });
    const c: ShownCitation & { context: string } = {
      ...cite(4, 'Learning by **Doing**'), n: 1, source_n: 4,
      quote: '**Collaboration** is __the__ work.', context: '## Why\n**Teams** learn together.',
    };
    render(<CitationPanel citation={c} messageId={MSG} onClose={() => undefined} />);
    const panel = screen.getByRole('complementary', { name: 'Source 1' });
    expect(within(panel).getByText('Collaboration is the work.')).toBeInTheDocument();
    await userEvent.click(within(panel).getByRole('button', { name: 'Show surrounding text' }));
    expect(panel.textContent).toContain('Teams learn together.');
    expect(panel.textContent).not.toMatch(/\*\*|__|##/);
    await userEvent.click(within(panel).getByRole('button', { name: 'View page' }));
    await screen.findByRole('dialog', { name: /^Source 1/ });
    // The dialog opens before its page is fetched (it lazy-loads): wait.
    await waitFor(() => expect(calls.map((x) => x.path)).toContain(`/api/messages/${MSG}/citations/4`));
  });

  it('shows the teacher that an administrator resolved her flag, with the note, instead of "Flagged" forever', () => {
    const base = { message_id: MSG, rating: 'down' as const, reasons: [], comment: null, flagged: true };
    const { unmount } = render(<MessageView onCite={vi.fn()} onFeedback={vi.fn()} m={answer({
      content: 'An answer.', feedback: { ...base, resolved_at: null, resolution_note: null },
    })} />);
    expect(screen.getByRole('button', { name: /Flagged/ })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.queryByText(/reviewed your flag/)).toBeNull();
    unmount();
    render(<MessageView onCite={vi.fn()} onFeedback={vi.fn()} m={answer({
      content: 'An answer.',
      feedback: { ...base, resolved_at: '2026-05-12T09:30:00Z', resolution_note: 'We added the chapter on norms to the library.' },
    })} />);
    expect(screen.getByRole('button', { name: /Flag resolved/ })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Flagged$/ })).toBeNull();
    const note = screen.getByRole('note');
    expect(note).toHaveTextContent(/An administrator reviewed your flag on May 12, 2026/);
    expect(note).toHaveTextContent('Their note: We added the chapter on norms to the library.');
  });
});
