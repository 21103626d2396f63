import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../App';
import { json, ME, mockServer } from '../test/mockServer';

const PROVIDERS = {
  providers: [
    { id: 'password', name: 'Email and password', kind: 'password' },
    { id: 'google', name: 'Google', kind: 'oidc', login_url: '/api/auth/google/login' },
    { id: 'clever', name: 'Clever', kind: 'oidc', login_url: '/api/auth/clever/login' },
  ],
};

beforeEach(() => history.replaceState(null, '', '/'));

describe('sign-in', () => {
  it('shows a button per provider and the local form, and signs in with it', async () => {
    const { calls } = mockServer({
      'GET /api/me': () => json(401, { error: { code: 'unauthenticated', message: 'Sign in', request_id: 'r' } }),
      'GET /api/auth/providers': () => json(200, PROVIDERS),
      'POST /api/auth/login': () => json(200, { user: ME, csrf_token: ME.csrf_token }),
      'GET /api/conversations': () => json(200, { conversations: [], next_cursor: null }),
    });
    render(<App />);
    expect(await screen.findByRole('link', { name: 'Sign in with Google' })).toHaveAttribute('href', '/api/auth/google/login');
    expect(screen.getByRole('link', { name: 'Sign in with Clever' })).toHaveAttribute('href', '/api/auth/clever/login');
    await userEvent.type(screen.getByLabelText('Email'), 'teacher@example.org');
    await userEvent.type(screen.getByLabelText('Password'), 'secret{Enter}');
    expect(await screen.findByLabelText('Your question')).toBeInTheDocument();
    expect(calls.find((c) => c.path === '/api/auth/login')?.body).toEqual({ email: 'teacher@example.org', password: 'secret' });
  });

  it('says so when the password is wrong', async () => {
    mockServer({
      'GET /api/me': () => json(401, { error: { code: 'unauthenticated', message: 'Sign in', request_id: 'r' } }),
      'GET /api/auth/providers': () => json(200, { providers: [PROVIDERS.providers[0]] }),
      'POST /api/auth/login': () => json(401, { error: { code: 'bad_credentials', message: 'no', request_id: 'r' } }),
    });
    render(<App />);
    await userEvent.type(await screen.findByLabelText('Email'), 'teacher@example.org');
    await userEvent.type(screen.getByLabelText('Password'), 'wrong{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('do not match');
    expect(screen.queryByRole('link', { name: /Sign in with/ })).toBeNull();
  });

  it('explains a single sign-on refusal from the callback', async () => {
    history.replaceState(null, '', '/sign-in?error=student_account');
    mockServer({
      'GET /api/me': () => json(401, { error: { code: 'unauthenticated', message: 'Sign in', request_id: 'r' } }),
      'GET /api/auth/providers': () => json(200, PROVIDERS),
    });
    render(<App />);
    expect(await screen.findByRole('alert')).toHaveTextContent('student accounts cannot sign in');
  });
});

describe('first run', () => {
  const NO_SESSION = () => json(401, { error: { code: 'unauthenticated', message: 'Sign in', request_id: 'r' } });
  const TOKEN = 'ab'.repeat(32);

  it('says how to get an account when only local accounts exist', async () => {
    mockServer({
      'GET /api/me': NO_SESSION,
      'GET /api/auth/providers': () => json(200, { providers: [PROVIDERS.providers[0]] }),
    });
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'No account yet?' })).toBeInTheDocument();
    expect(screen.getByText(/Ask your administrator/)).toBeInTheDocument();
    expect(screen.getByText('plccoach user sign-in-link --email YOUR-EMAIL')).toBeInTheDocument();
  });

  it('leaves that to the provider when single sign-on is offered', async () => {
    mockServer({ 'GET /api/me': NO_SESSION, 'GET /api/auth/providers': () => json(200, PROVIDERS) });
    render(<App />);
    expect(await screen.findByRole('link', { name: 'Sign in with Google' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'No account yet?' })).toBeNull();
  });

  it('signs in with a one-time link, posting the token from the fragment and forgetting it', async () => {
    history.replaceState(null, '', `/sign-in/link#${TOKEN}`);
    const { calls } = mockServer({
      'GET /api/me': NO_SESSION,
      'POST /api/auth/link': () => json(200, { user: ME, csrf_token: ME.csrf_token }),
      'GET /api/conversations': () => json(200, { conversations: [], next_cursor: null }),
    });
    render(<App />);
    expect(await screen.findByLabelText('Your question')).toBeInTheDocument();
    expect(calls.filter((c) => c.path === '/api/auth/link').map((c) => c.body)).toEqual([{ token: TOKEN }]);
    expect(location.pathname).toBe('/');
    expect(location.hash).toBe('');
  });

  it('says a used or expired link does not work, and how to get a new one', async () => {
    history.replaceState(null, '', `/sign-in/link#${TOKEN}`);
    mockServer({
      'GET /api/me': NO_SESSION,
      'POST /api/auth/link': () => json(401, { error: { code: 'link_invalid', message: 'no', request_id: 'r' } }),
    });
    render(<App />);
    expect(await screen.findByRole('alert')).toHaveTextContent('expired or was already used');
    expect(screen.getByRole('alert')).toHaveTextContent('plccoach user sign-in-link');
    expect(location.hash).toBe('');
  });
});

describe('shared view', () => {
  it('is read-only with a shared-by banner', async () => {
    history.replaceState(null, '', '/shared/tok123');
    mockServer({
      'GET /api/me': () => json(200, ME),
      'GET /api/shared/tok123': () => json(200, {
        title: 'CFA talk', shared_by: { name: 'Pat Lee' }, created_at: '2026-05-11T14:03:09Z', expires_at: null,
        messages: [
          { id: 'u1', role: 'user', content: 'What is a CFA?', citations: [] },
          { id: 'a1', role: 'assistant', content: 'It is shared.', citations: [], mode: 'llm', grounded: true },
        ],
      }),
    });
    render(<App />);
    expect(await screen.findByText(/Shared by Pat Lee/)).toHaveTextContent('read-only');
    expect(screen.getByRole('heading', { level: 1, name: 'CFA talk' })).toBeInTheDocument();
    expect(screen.queryByLabelText('Your question')).toBeNull();
    expect(screen.queryByRole('button', { name: /Helpful/ })).toBeNull();
  });

  it('says a revoked or unknown link does not work', async () => {
    history.replaceState(null, '', '/shared/gone');
    mockServer({
      'GET /api/me': () => json(200, ME),
      'GET /api/shared/gone': () => json(404, { error: { code: 'not_found', message: 'Not found', request_id: 'r' } }),
    });
    render(<App />);
    expect(await screen.findByRole('alert')).toHaveTextContent('expired or been revoked');
  });
});

describe('share dialog', () => {
  it('creates an expiring link, shows it, and revokes it', async () => {
    const id = '11111111-1111-4111-8111-111111111111';
    history.replaceState(null, '', `/c/${id}`);
    let shares: object[] = [];
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ME),
      'GET /api/conversations': () => json(200, { conversations: [], next_cursor: null }),
      [`GET /api/conversations/${id}`]: () => json(200, { id, title: 'T', preview: '', created_at: '', updated_at: '', message_count: 0, archived: false, archived_at: null, messages: [] }),
      [`GET /api/conversations/${id}/shares`]: () => json(200, { shares }),
      [`POST /api/conversations/${id}/shares`]: () => {
        shares = [{ id: 's1', created_at: '2026-05-11T14:03:09Z', expires_at: '2026-05-18T14:03:09Z', revoked: false, revoked_at: null, active: true }];
        return json(201, { id: 's1', token: 'tok', url: 'http://localhost/shared/tok', created_at: '2026-05-11T14:03:09Z', expires_at: '2026-05-18T14:03:09Z' });
      },
      [`DELETE /api/conversations/${id}/shares/s1`]: () => {
        shares = [{ id: 's1', created_at: '2026-05-11T14:03:09Z', expires_at: '2026-05-18T14:03:09Z', revoked: true, revoked_at: '2026-05-11T15:00:00Z', active: false }];
        return json(204, null);
      },
    });
    render(<App />);
    const share = await screen.findByRole('button', { name: 'Share' });
    await userEvent.click(share);
    await userEvent.selectOptions(screen.getByLabelText('Link expires'), '7');
    await userEvent.click(screen.getByRole('button', { name: 'Create link' }));
    expect(await screen.findByLabelText('Link')).toHaveValue('http://localhost/shared/tok');
    expect(calls.find((c) => c.method === 'POST' && c.path.endsWith('/shares'))?.body).toEqual({ expires_in_days: 7 });
    await userEvent.click(await screen.findByRole('button', { name: /Revoke the link/ }));
    // Out of the active list, into the collapsed revoked and expired ones (issue 19).
    expect(await screen.findByText('Revoked and expired links (1)')).toBeInTheDocument();
    expect(screen.getByText('No active links.')).toBeInTheDocument();
    expect(screen.queryByLabelText('Link')).toBeNull();
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(share).toHaveFocus();
  });
});
