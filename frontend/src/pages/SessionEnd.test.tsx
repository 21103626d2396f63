// Issue 19, "a 45-minute meeting": the session ends while a teacher types;
// the question is kept per conversation in the browser, the sign-in page
// says why it is shown, and signing in returns to the same conversation
// with the question back in the box.
import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../App';
import { json, ME, mockServer } from '../test/mockServer';

const CONV = {
  id: '11111111-1111-4111-8111-111111111111', title: 'Our CFA plan', preview: 'Our CFA plan',
  created_at: '2026-05-11T14:03:09Z', updated_at: '2026-05-11T14:05:00Z', message_count: 0, archived: false, archived_at: null,
};
const OTHER = { ...CONV, id: '22222222-2222-4222-8222-222222222222', title: 'Another one' };
const ENDED = () => json(401, { error: { code: 'unauthenticated', message: 'sign in', request_id: 'r' } });
const QUESTION = 'How do we norm our scoring of the common assessment?';

beforeEach(() => {
  localStorage.clear();
  history.replaceState(null, '', `/c/${CONV.id}`);
});

function server(state: { signedIn: boolean }, providers = [{ id: 'password', name: 'Email and password', kind: 'password' }]) {
  return mockServer({
    'GET /api/me': () => (state.signedIn ? json(200, ME) : ENDED()),
    'GET /api/auth/providers': () => json(200, { providers }),
    'POST /api/auth/login': () => {
      state.signedIn = true;
      return json(200, { user: ME, csrf_token: ME.csrf_token });
    },
    'POST /api/auth/logout': () => json(204, null),
    'GET /api/conversations': () => (state.signedIn ? json(200, { conversations: [CONV, OTHER], next_cursor: null }) : ENDED()),
    [`GET /api/conversations/${CONV.id}`]: () => (state.signedIn ? json(200, { ...CONV, messages: [] }) : ENDED()),
    [`GET /api/conversations/${OTHER.id}`]: () => json(200, { ...OTHER, messages: [] }),
    'POST /api/coach/ask': () => {
      state.signedIn = false; // the session ended while the teacher was typing
      return ENDED();
    },
  });
}

describe('a session that ends mid-meeting', () => {
  it('says the session ended, and brings the teacher back to the conversation with the question in the box', async () => {
    const state = { signedIn: true };
    const { calls } = server(state);
    render(<App />);
    await userEvent.type(await screen.findByLabelText('Your question'), `${QUESTION}{Enter}`);

    expect(await screen.findByRole('heading', { name: 'Sign in to PLC Coach' })).toBeInTheDocument();
    expect(screen.getByText(/Your session ended/)).toHaveTextContent(/anything you were typing has been kept/);

    await userEvent.type(await screen.findByLabelText('Email'), 'teacher@example.org');
    await userEvent.type(screen.getByLabelText('Password'), 'secret{Enter}');
    expect(await screen.findByLabelText('Your question')).toHaveValue(QUESTION);
    expect(location.pathname).toBe(`/c/${CONV.id}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Our CFA plan' })).toBeInTheDocument();
    // Asked once; the question was not lost nor sent twice.
    expect(calls.filter((c) => c.path === '/api/coach/ask')).toHaveLength(1);
  });

  it('keeps drafts per conversation, and forgets them on a deliberate sign-out', async () => {
    const state = { signedIn: true };
    server(state);
    render(<App />);
    const box = await screen.findByLabelText('Your question');
    await userEvent.type(box, 'Draft for the CFA plan');
    const nav = await screen.findByRole('navigation', { name: 'Conversations' });
    await userEvent.click(await within(nav).findByRole('link', { name: /^Another one/ }));
    await waitFor(() => expect(screen.getByLabelText('Your question')).toHaveValue(''));
    await userEvent.type(screen.getByLabelText('Your question'), 'Other draft');
    await userEvent.click(within(nav).getByRole('link', { name: /^Our CFA plan/ }));
    await waitFor(() => expect(screen.getByLabelText('Your question')).toHaveValue('Draft for the CFA plan'));

    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to PLC Coach' })).toBeInTheDocument();
    expect(screen.queryByText(/Your session ended/)).toBeNull();
    expect(Object.keys(localStorage).filter((k) => k.startsWith('plccoach.'))).toEqual([]);
  });

  it('says so on a reload after the session ended, with single sign-on one press away', async () => {
    localStorage.setItem('plccoach.signed-in', ME.id);
    server({ signedIn: false }, [
      { id: 'password', name: 'Email and password', kind: 'password' },
      { id: 'google', name: 'Google', kind: 'oidc', login_url: '/api/auth/google/login' } as never,
    ]);
    render(<App />);
    const sso = await screen.findByRole('link', { name: 'Sign in with Google' });
    expect(screen.getByText(/Your session ended/)).toHaveAttribute('role', 'status');
    expect(sso).toHaveAttribute('href', `/api/auth/google/login?return_to=${encodeURIComponent(`/c/${CONV.id}`)}`);
    await waitFor(() => expect(sso).toHaveFocus());
  });

  it('does not claim a session ended for someone who never signed in here', async () => {
    server({ signedIn: false });
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Sign in to PLC Coach' })).toBeInTheDocument();
    expect(screen.queryByText(/Your session ended/)).toBeNull();
  });
});
