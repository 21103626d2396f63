import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../App';
import { LIVE_REFRESH_MS } from './SharedPage';
import { json, ME, mockServer } from '../test/mockServer';

const TOKEN = 'cd'.repeat(32);
const NO_SESSION = () => json(401, { error: { code: 'unauthenticated', message: 'Sign in', request_id: 'r' } });
const ABOUT = { title: 'Data meetings', shared_by: { name: 'Ed Educator' }, created_at: '2026-05-11T14:03:09Z', expires_at: null, live: false };
const SHARED = {
  ...ABOUT,
  messages: [
    { id: 'q1', role: 'user', content: 'How do we run a data meeting?', created_at: '2026-05-11T14:00:00Z' },
    { id: 'a1', role: 'assistant', content: 'Start from the evidence of learning.', citations: [], type: 'answer', created_at: '2026-05-11T14:00:01Z' },
  ],
};
const PROVIDERS = {
  providers: [
    { id: 'password', name: 'Email and password', kind: 'password' },
    { id: 'google', name: 'Google', kind: 'oidc', login_url: '/api/auth/google/login' },
  ],
};

beforeEach(() => history.replaceState(null, '', `/shared/${TOKEN}`));

describe('a share link opened signed out', () => {
  it('says who shared what, then signing in lands on the shared conversation', async () => {
    const { calls } = mockServer({
      'GET /api/me': NO_SESSION,
      'GET /api/auth/providers': () => json(200, PROVIDERS),
      [`GET /api/shared/${TOKEN}/about`]: () => json(200, ABOUT),
      [`GET /api/shared/${TOKEN}`]: () => json(200, SHARED),
      'POST /api/auth/login': () => json(200, { user: ME, csrf_token: ME.csrf_token }),
    });
    render(<App />);
    const note = await screen.findByRole('note');
    expect(note).toHaveTextContent('Ed Educator shared the conversation “Data meetings” with you');
    expect(note).toHaveTextContent('Sign in to read it');
    // single sign-on is one click, and comes back to the shared view
    expect(await screen.findByRole('link', { name: 'Sign in with Google' }))
      .toHaveAttribute('href', `/api/auth/google/login?return_to=${encodeURIComponent(`/shared/${TOKEN}`)}`);
    // the signed-out page never asks for the messages
    expect(calls.some((c) => c.path === `/api/shared/${TOKEN}`)).toBe(false);
    await userEvent.type(screen.getByLabelText('Email'), 'teacher@example.org');
    await userEvent.type(screen.getByLabelText('Password'), 'secret{Enter}');
    expect(await screen.findByRole('heading', { name: 'Data meetings' })).toBeInTheDocument();
    expect(screen.getByText('Start from the evidence of learning.')).toBeInTheDocument();
    expect(location.pathname).toBe(`/shared/${TOKEN}`);
  });

  it('says when the link no longer works, before anyone signs in', async () => {
    mockServer({
      'GET /api/me': NO_SESSION,
      'GET /api/auth/providers': () => json(200, PROVIDERS),
      [`GET /api/shared/${TOKEN}/about`]: () => json(404, { error: { code: 'not_found', message: 'this link does not exist, has expired or was revoked', request_id: 'r' } }),
    });
    render(<App />);
    expect(await screen.findByRole('alert')).toHaveTextContent('This share link does not work: it may have expired or been revoked.');
  });
});

describe('a share link opened signed in', () => {
  it('copies the conversation into the recipient\'s own and opens the copy', async () => {
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ME),
      [`GET /api/shared/${TOKEN}`]: () => json(200, SHARED),
      [`POST /api/shared/${TOKEN}/copy`]: () => json(201, { conversation_id: 'c-copy' }),
      'GET /api/conversations': () => json(200, { conversations: [], next_cursor: null }),
      'GET /api/conversations/c-copy': () => json(200, { id: 'c-copy', title: 'Data meetings', messages: SHARED.messages, created_at: ABOUT.created_at, updated_at: ABOUT.created_at }),
    });
    render(<App />);
    await userEvent.click(await screen.findByRole('button', { name: 'Copy to my conversations' }));
    await waitFor(() => expect(location.pathname).toBe('/c/c-copy'));
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.path).toBe(`/api/shared/${TOKEN}/copy`);
    expect(post?.headers['x-csrf-token']).toBe(ME.csrf_token);
    expect(await screen.findByLabelText('Your question')).toBeInTheDocument();
  });

  it('says so when the link stopped working before the copy', async () => {
    mockServer({
      'GET /api/me': () => json(200, ME),
      [`GET /api/shared/${TOKEN}`]: () => json(200, SHARED),
      [`POST /api/shared/${TOKEN}/copy`]: () => json(404, { error: { code: 'not_found', message: 'gone', request_id: 'r' } }),
    });
    render(<App />);
    await userEvent.click(await screen.findByRole('button', { name: 'Copy to my conversations' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This link stopped working');
    expect(location.pathname).toBe(`/shared/${TOKEN}`);
  });
});

describe('a live share link (issue 19: "keep this link up to date")', () => {
  afterEach(() => vi.useRealTimers());

  it('shows the conversation as it grows: fetched again every minute and on Refresh, saying what is new', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const later = [
      { id: 'q2', role: 'user', content: 'And for a new team?', created_at: '2026-05-11T15:00:00Z' },
      { id: 'a2', role: 'assistant', content: 'Begin with norms.', citations: [], type: 'answer', created_at: '2026-05-11T15:00:01Z' },
    ];
    const state = { n: 0 };
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ME),
      [`GET /api/shared/${TOKEN}`]: () => json(200, { ...SHARED, live: true, messages: [...SHARED.messages, ...later.slice(0, state.n)] }),
    });
    render(<App />);
    expect(await screen.findByRole('note')).toHaveTextContent('This link is kept up to date');
    const views = () => calls.filter((c) => c.path === `/api/shared/${TOKEN}`).length;
    expect(views()).toBe(1);
    state.n = 1;
    await vi.advanceTimersByTimeAsync(LIVE_REFRESH_MS);
    expect(await screen.findByText('And for a new team?')).toBeInTheDocument();
    expect(views()).toBe(2);
    expect(screen.getByText(/new message/, { selector: '[role="status"]' })).toHaveTextContent('1 new message.');
    state.n = 2;
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByText('Begin with norms.')).toBeInTheDocument();
    expect(screen.getByText(/new message/, { selector: '[role="status"]' })).toHaveTextContent('1 new message.');
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByText('No new messages.', { selector: '[role="status"]' })).toBeInTheDocument();
  });

  it('a snapshot link is fetched once and has no Refresh', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ME),
      [`GET /api/shared/${TOKEN}`]: () => json(200, SHARED),
    });
    render(<App />);
    expect(await screen.findByRole('note')).toHaveTextContent('as it was then');
    await vi.advanceTimersByTimeAsync(LIVE_REFRESH_MS * 2);
    expect(calls.filter((c) => c.path === `/api/shared/${TOKEN}`)).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Refresh' })).toBeNull();
  });
});
