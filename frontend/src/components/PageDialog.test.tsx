import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import PageDialog from './PageDialog';
import { CitationPanel } from './CitationPanel';
import { CITATION, json, mockServer } from '../test/mockServer';

const MSG = '00000000-0000-4000-8000-0000000000a1';
const PAGES = {
  n: 1,
  label: 'Learning by Doing by Richard DuFour, Chapter 3: Results, pp. 45-46',
  quote: 'A common formative assessment is given by every member of the team.',
  book: { title: 'Learning by Doing' },
  source: 'pdf',
  notice: null,
  pages: [
    { index: 0, label: '45', text: 'Page forty-five. A common formative assessment is given', image: `/api/messages/${MSG}/citations/1/page?page=0` },
    { index: 1, label: '46', text: 'by every member of the team. Page forty-six.', image: `/api/messages/${MSG}/citations/1/page?page=1` },
  ],
};

describe('PageDialog', () => {
  it('shows the cited page with its text as the alternative, and pages through the range', async () => {
    mockServer({ [`GET /api/messages/${MSG}/citations/1`]: () => json(200, PAGES) });
    render(<PageDialog messageId={MSG} n={1} onClose={() => undefined} />);
    const dialog = await screen.findByRole('dialog', { name: 'Source 1: Learning by Doing' });
    const img = await screen.findByRole('img');
    expect(img).toHaveAttribute('alt', PAGES.pages[0].text);
    expect(img.getAttribute('src')).toMatch(new RegExp(`^/api/messages/${MSG}/citations/1/page\\?page=0&width=\\d+$`));
    expect(dialog).toHaveTextContent('Page 45 (1 of 2)');
    expect(screen.getByRole('button', { name: 'Previous page' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(screen.getByRole('img')).toHaveAttribute('alt', PAGES.pages[1].text);
    expect(dialog).toHaveTextContent('Page 46 (2 of 2)');
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Text of this page' }));
    expect(dialog).toHaveTextContent('Page forty-six.');
  });

  it('explains when the passage stands in for the page', async () => {
    mockServer({
      [`GET /api/messages/${MSG}/citations/1`]: () => json(200, {
        ...PAGES, source: 'passage', notice: 'The book\'s file is no longer available.',
        pages: [{ ...PAGES.pages[0], label: '45-46' }],
      }),
    });
    render(<PageDialog messageId={MSG} n={1} onClose={() => undefined} />);
    expect(await screen.findByRole('note')).toHaveTextContent('no longer available');
    expect(screen.getByRole('dialog')).toHaveTextContent('Quoted passage (p. 45-46)');
  });

  it('goes through the share link when there is one', async () => {
    const token = 'c'.repeat(64);
    const { calls } = mockServer({
      [`GET /api/shared/${token}/messages/${MSG}/citations/1`]: () => json(200, PAGES),
    });
    render(<PageDialog messageId={MSG} n={1} token={token} onClose={() => undefined} />);
    await screen.findByRole('img');
    expect(calls[0].path).toBe(`/api/shared/${token}/messages/${MSG}/citations/1`);
  });

  it('opens from the citation panel\'s View page, and Escape closes the dialog only', async () => {
    mockServer({ [`GET /api/messages/${MSG}/citations/1`]: () => json(200, PAGES) });
    let closed = 0;
    render(<CitationPanel citation={CITATION} messageId={MSG} onClose={() => { closed += 1; }} />);
    const view = screen.getByRole('button', { name: 'View page' });
    await userEvent.click(view);
    await screen.findByRole('dialog');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(closed).toBe(0);
    expect(view).toHaveFocus();
  });

  it('offers no View page for an answer not saved yet', () => {
    render(<CitationPanel citation={CITATION} messageId="local-a-1" onClose={() => undefined} />);
    expect(screen.queryByRole('button', { name: 'View page' })).toBeNull();
  });
});
