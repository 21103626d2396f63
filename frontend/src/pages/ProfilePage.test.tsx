import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../App';
import { json, ME, mockServer } from '../test/mockServer';

beforeEach(() => history.replaceState(null, '', '/profile'));

describe('profile password', () => {
  it('sets a first password after a sign-in link, without a current one', async () => {
    const { calls } = mockServer({
      'GET /api/me': () => json(200, { ...ME, has_password: false, single_sign_on: false }),
      'PUT /api/me/password': () => json(204, null),
    });
    render(<App />);
    await screen.findByRole('heading', { name: 'Set a password' });
    expect(screen.queryByLabelText('Current password')).toBeNull();
    await userEvent.type(screen.getByLabelText('New password (at least 10 characters)'), 'a-long-password');
    await userEvent.click(screen.getByRole('button', { name: 'Set password' }));
    expect(await screen.findByText(/Your password was set/)).toBeInTheDocument();
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.body).toEqual({ new_password: 'a-long-password' });
    expect(put?.headers['x-csrf-token']).toBe(ME.csrf_token);
    expect(screen.getByRole('heading', { name: 'Change your password' })).toBeInTheDocument();
  });

  it('changes a password with the current one, and says when that is wrong', async () => {
    let wrong = true;
    const { calls } = mockServer({
      'GET /api/me': () => json(200, { ...ME, has_password: true, single_sign_on: false }),
      'PUT /api/me/password': () => wrong
        ? json(403, { error: { code: 'bad_credentials', message: 'no', request_id: 'r' } })
        : json(204, null),
    });
    render(<App />);
    await userEvent.type(await screen.findByLabelText('Current password'), 'old-password-1');
    await userEvent.type(screen.getByLabelText('New password (at least 10 characters)'), 'new-password-2');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The current password is wrong.');
    wrong = false;
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await waitFor(() => expect(screen.getByText(/other sessions ended/)).toBeInTheDocument());
    expect(calls.filter((c) => c.method === 'PUT').at(-1)?.body).toEqual({ current_password: 'old-password-1', new_password: 'new-password-2' });
  });

  it('offers no password to a single sign-on account', async () => {
    mockServer({ 'GET /api/me': () => json(200, { ...ME, has_password: false, single_sign_on: true }) });
    render(<App />);
    await screen.findByRole('heading', { name: 'Your profile' });
    expect(screen.queryByRole('heading', { name: /password/ })).toBeNull();
  });
});
