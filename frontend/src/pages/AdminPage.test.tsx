import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../App';
import { json, ME, mockServer } from '../test/mockServer';
import type { IngestJob } from '../api/types';

const ADMIN = { ...ME, role: 'admin' as const, email: 'boss@example.org', name: 'Boss' };
const USER = { id: 'u-ed', email: 'ed@example.org', name: 'Ed', role: 'educator', role_locked: false, organization_id: null, disabled: false, last_login_at: null };

beforeEach(() => history.replaceState(null, '', '/admin/users'));

describe('admin', () => {
  it('is not offered to educators', async () => {
    mockServer({ 'GET /api/me': () => json(200, ME) });
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Not allowed' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Admin' })).toBeNull();
  });

  it('searches users and changes a role with CSRF after a confirmation', async () => {
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ADMIN),
      'GET /api/admin/users': () => json(200, { users: [USER], next_after: null }),
      'PATCH /api/admin/users/u-ed': () => json(200, { ...USER, role: 'coach' }),
    });
    render(<App />);
    // (the first test here waits for the lazily loaded admin chunk: slow on a loaded machine)
    await userEvent.type(await screen.findByLabelText('Search by name or email', {}, { timeout: 10000 }), 'ed');
    await waitFor(() => expect(calls.some((c) => c.path.startsWith('/api/admin/users?') && c.path.includes('q=ed'))).toBe(true));
    await userEvent.selectOptions(await screen.findByLabelText('Role of ed@example.org'), 'coach');
    const dialog = await screen.findByRole('dialog', { name: 'Make ed@example.org coach?' });
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Make coach' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.body).toEqual({ role: 'coach' });
    expect(patch?.headers['x-csrf-token']).toBe(ME.csrf_token);
  });

  it('adds a person and shows the one-time sign-in link to pass on', async () => {
    const link = { sign_in_link: 'http://localhost:8000/sign-in/link#' + 'cd'.repeat(32), expires_at: '2026-05-12T14:03:09Z' };
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ADMIN),
      'GET /api/admin/users': () => json(200, { users: [USER, { ...USER, id: 'u-sso', email: 'sso@example.org', sso_only: true }], next_after: null }),
      'POST /api/admin/users': () => json(201, { ...link, user: { ...ME, email: 'new@example.org', name: 'New' } }),
      'POST /api/admin/users/u-ed/sign-in-link': () => json(201, link),
    });
    render(<App />);
    await userEvent.type(await screen.findByLabelText('Email'), 'new@example.org');
    await userEvent.type(screen.getByLabelText('Name'), 'New');
    await userEvent.selectOptions(screen.getByLabelText('Role'), 'coach');
    await userEvent.click(screen.getByRole('button', { name: 'Add and make a sign-in link' }));
    const box = await screen.findByRole('region', { name: 'Sign-in link' });
    expect(box).toHaveTextContent(link.sign_in_link);
    expect(box).toHaveTextContent('Send this link to new@example.org');
    const post = calls.find((c) => c.method === 'POST' && c.path === '/api/admin/users');
    expect(post?.body).toEqual({ email: 'new@example.org', name: 'New', role: 'coach' });
    expect(post?.headers['x-csrf-token']).toBe(ME.csrf_token);
    expect(screen.queryByRole('button', { name: 'New sign-in link for sso@example.org' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'New sign-in link for ed@example.org' }));
    await waitFor(() => expect(calls.some((c) => c.path === '/api/admin/users/u-ed/sign-in-link')).toBe(true));
    expect(await screen.findByRole('region', { name: 'Sign-in link' })).toHaveTextContent('Send this link to ed@example.org');
  });

  it('uploads a book as a form and shows ingestion status and errors', async () => {
    history.replaceState(null, '', '/admin/library');
    let jobs: IngestJob[] = [{ id: 'j0', status: 'failed', filename: 'broken.pdf', book_id: null, error: 'the PDF has no text layer', created_at: '2026-05-11T14:03:09Z' }];
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ADMIN),
      'GET /api/admin/books': () => json(200, { books: [], jobs }),
      'POST /api/admin/books': () => {
        jobs = [{ id: 'j1', status: 'done', filename: 'book.md', book_id: 'b1', error: null, created_at: '2026-05-11T15:00:00Z' }, ...jobs];
        return json(202, { id: 'j1', status: 'queued', filename: 'book.md', sha256: 'x' });
      },
    });
    render(<App />);
    expect(await screen.findByText('the PDF has no text layer')).toBeInTheDocument();
    expect(screen.getByText(/The library is empty/)).toBeInTheDocument();
    const file = new File(['# Title\n\nText'], 'book.md', { type: 'text/markdown' });
    await userEvent.upload(screen.getByLabelText('File (PDF, Markdown or plain text)'), file);
    await userEvent.type(screen.getByLabelText('Authors (separate with semicolons)'), 'A; B');
    await userEvent.click(screen.getByRole('button', { name: 'Upload' }));
    expect(await screen.findByText('book.md uploaded; ingestion is queued.')).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toBeInstanceOf(FormData);
    expect((post?.body as FormData).get('authors')).toBe('A; B');
    expect(((post?.body as FormData).get('file') as File).name).toBe('book.md');
    expect(post?.headers['x-csrf-token']).toBe(ME.csrf_token);
    expect(await screen.findByText('done')).toBeInTheDocument();
  });

  it('deletes a failed upload, and only a failed one', async () => {
    history.replaceState(null, '', '/admin/library');
    let jobs: IngestJob[] = [
      { id: 'j0', status: 'failed', filename: 'stall.pdf', book_id: null, error: 'needed more than 120 seconds of processor time', created_at: '2026-05-11T14:03:09Z' },
      { id: 'j1', status: 'done', filename: 'book.md', book_id: 'b1', error: null, created_at: '2026-05-11T14:00:00Z' },
    ];
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ADMIN),
      'GET /api/admin/books': () => json(200, { books: [], jobs }),
      'DELETE /api/admin/jobs/j0': () => {
        jobs = jobs.filter((j) => j.id !== 'j0');
        return json(204, null);
      },
    });
    render(<App />);
    await userEvent.click(await screen.findByRole('button', { name: 'Delete the failed upload stall.pdf' }));
    expect(screen.queryByRole('button', { name: 'Delete the failed upload book.md' })).toBeNull();
    expect(await screen.findByText('The failed upload stall.pdf was deleted.')).toBeInTheDocument();
    expect(screen.queryByText('stall.pdf')).toBeNull();
    expect(calls.find((c) => c.method === 'DELETE')?.headers['x-csrf-token']).toBe(ME.csrf_token);
  });

  it('lists flagged feedback and resolves it with a note', async () => {
    history.replaceState(null, '', '/admin/feedback');
    const item = {
      message_id: 'm1', status: 'open', rating: 'down', reasons: ['inaccurate'], comment: 'Wrong chapter',
      flagged_at: '2026-05-11T14:03:09Z', flagged_by: { id: 'u', name: 'Ed', email: 'ed@example.org' },
      resolved_at: null, resolved_by: null, resolution_note: null,
      question: { id: 'q1', content: 'What is RTI?', created_at: '2026-05-11T14:00:00Z' },
      answer: { id: 'm1', role: 'assistant', content: 'RTI is **tiered** support.', citations: [] },
    };
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ADMIN),
      'GET /api/admin/feedback': () => json(200, { feedback: [item], next_cursor: null }),
      'POST /api/admin/feedback/m1/resolve': () => json(200, { ...item, status: 'resolved' }),
    });
    render(<App />);
    const card = (await screen.findByText('Wrong chapter')).closest('li') as HTMLElement;
    expect(within(card).getByText('What is RTI?')).toBeInTheDocument();
    expect(within(card).queryByRole('link', { name: /Open this answer/ })).toBeNull();
    expect(within(card).getByText('Inaccurate', { exact: false })).toBeInTheDocument();
    await userEvent.type(within(card).getByLabelText('Resolution note (optional)'), 'Fixed the source');
    await userEvent.click(within(card).getByRole('button', { name: 'Resolve' }));
    await waitFor(() => expect(calls.some((c) => c.path === '/api/admin/feedback/m1/resolve')).toBe(true));
    expect(calls.find((c) => c.path === '/api/admin/feedback/m1/resolve')?.body).toEqual({ note: 'Fixed the source' });
  });

  it('shows a flag whose conversation was deleted, with the answer\'s sources instead of bare markers', async () => {
    history.replaceState(null, '', '/admin/feedback');
    const src = (n: number, title: string) => ({
      n, chunk_id: `c${n}`, book: { title, authors: [] }, chapter: { number: '2', title: 'Norms' },
      pages: { start: '12', end: '13' }, quote: 'Teams **write** norms together.',
    });
    const item = {
      message_id: 'm2', status: 'open', rating: 'down', reasons: [], comment: 'Cites the wrong book',
      flagged_at: '2026-05-11T14:03:09Z', flagged_by: { id: 'u', name: 'Ed', email: 'ed@example.org' },
      resolved_at: null, resolved_by: null, resolution_note: null, deleted: 'conversation',
      question: { id: 'q2', content: 'How do we set norms?', created_at: '2026-05-11T14:00:00Z' },
      answer: { id: 'm2', role: 'assistant', content: 'Write norms together [4]. Revisit them [7].', citations: [src(4, 'Book Four'), src(7, 'Book Seven')] },
    };
    mockServer({
      'GET /api/me': () => json(200, ADMIN),
      'GET /api/admin/feedback': () => json(200, { feedback: [item], next_cursor: null }),
    });
    render(<App />);
    const card = (await screen.findByText('Cites the wrong book')).closest('li') as HTMLElement;
    expect(within(card).getByRole('note')).toHaveTextContent(/deleted this conversation/);
    expect(within(card).getByText('How do we set norms?')).toBeInTheDocument();
    expect(card.textContent).not.toMatch(/\[\d\]/);
    const sources = within(card).getByRole('heading', { name: 'Sources' }).nextElementSibling as HTMLElement;
    const items = within(sources).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      '1Source 1: Book Four, Chapter 2: Norms, pp. 12-13Teams write norms together.',
      '2Source 2: Book Seven, Chapter 2: Norms, pp. 12-13Teams write norms together.',
    ]);
    await userEvent.click(within(card).getByRole('button', { name: 'Source 2' }));
    expect(items[1]).toHaveFocus();
  });

  it('links a flag on the admin\'s own answer to its conversation, and only that one', async () => {
    history.replaceState(null, '', '/admin/feedback');
    const base = {
      status: 'open', rating: 'down', reasons: [], flagged_at: '2026-05-11T14:03:09Z',
      flagged_by: { id: 'a', name: 'Ada', email: 'ada@example.org' }, resolved_at: null, resolved_by: null,
      resolution_note: null, question: null,
    };
    const own = { ...base, message_id: 'm3', comment: 'My own', conversation_id: 'c-own',
      answer: { id: 'm3', role: 'assistant', content: 'Begin with norms.', citations: [] } };
    const other = { ...base, message_id: 'm4', comment: 'A teacher\'s', conversation_id: null,
      answer: { id: 'm4', role: 'assistant', content: 'Plan backwards.', citations: [] } };
    mockServer({
      'GET /api/me': () => json(200, ADMIN),
      'GET /api/admin/feedback': () => json(200, { feedback: [own, other], next_cursor: null }),
    });
    render(<App />);
    const mine = (await screen.findByText('My own')).closest('li') as HTMLElement;
    expect(within(mine).getByRole('link', { name: 'Open this answer in your conversation' })).toHaveAttribute('href', '/c/c-own');
    const theirs = screen.getByText('A teacher\'s').closest('li') as HTMLElement;
    expect(within(theirs).queryByRole('link')).toBeNull();
  });
});
