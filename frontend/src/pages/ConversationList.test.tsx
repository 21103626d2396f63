// Issue 19, the conversation list and the open conversation: titles cut
// between words, status lines that clear, an archived marker, a failed
// load with Try again, and a reason for a disabled Send.
import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../App';
import { shortTitle } from './CoachPage';
import { STATUS_MS } from '../components/Sidebar';
import { json, ME, mockServer } from '../test/mockServer';

const CONV = {
  id: '11111111-1111-4111-8111-111111111111', title: 'Our CFA plan', preview: 'Our CFA plan',
  created_at: '2026-05-11T14:03:09Z', updated_at: '2026-05-11T14:05:00Z', message_count: 0, archived: false, archived_at: null,
};
const DOWN = () => json(503, { error: { code: 'db_unavailable', message: 'database unavailable', request_id: 'r' } });

beforeEach(() => history.replaceState(null, '', `/c/${CONV.id}`));

describe('the conversation list and the open conversation', () => {
  it('cuts a long question into a title between words', () => {
    const t = shortTitle('How should our grade three team respond when several students still have not mastered the essential standard after the reteach?');
    expect(t.length).toBeLessThanOrEqual(80);
    expect(t).toBe('How should our grade three team respond when several students still have not…');
    expect(shortTitle('Short question?')).toBe('Short question?');
  });

  it('offers Try again when a conversation fails to load, and says why Send is disabled', async () => {
    let fail = true;
    mockServer({
      'GET /api/me': () => json(200, ME),
      'GET /api/conversations': () => json(200, { conversations: [CONV], next_cursor: null }),
      [`GET /api/conversations/${CONV.id}`]: () => (fail ? DOWN() : json(200, { ...CONV, messages: [] })),
    });
    render(<App />);
    const alert = await screen.findByText(/This conversation could not be opened/);
    await userEvent.type(screen.getByLabelText('Your question'), 'A question');
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
    expect(screen.getByLabelText('Your question')).toHaveAccessibleDescription(/Nothing can be asked here until the conversation opens/);
    fail = false;
    await userEvent.click(within(alert.closest('[role="alert"]') as HTMLElement).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Our CFA plan' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send' })).toBeEnabled();
    expect(screen.queryByText(/Nothing can be asked here/)).toBeNull();
  });

  it('marks an archived conversation as archived, and the list offers Try again when it fails', async () => {
    let fail = true;
    mockServer({
      'GET /api/me': () => json(200, ME),
      'GET /api/conversations': () => (fail ? DOWN() : json(200, { conversations: [], next_cursor: null })),
      [`GET /api/conversations/${CONV.id}`]: () => json(200, { ...CONV, archived: true, archived_at: '2026-05-12T10:00:00Z', messages: [] }),
    });
    render(<App />);
    expect(await screen.findByText('Archived', { selector: '.badge' })).toBeInTheDocument();
    const sidebar = screen.getByRole('complementary', { name: 'Your conversations' });
    const retry = await within(sidebar).findByRole('button', { name: 'Try again' });
    fail = false;
    await userEvent.click(retry);
    expect(await within(sidebar).findByText('No conversations yet.')).toBeInTheDocument();
    expect(within(sidebar).queryByRole('alert')).toBeNull();
  });

  it('clears a status line such as "Renamed to ..." after a few seconds', async () => {
    mockServer({
      'GET /api/me': () => json(200, ME),
      'GET /api/conversations': () => json(200, { conversations: [CONV], next_cursor: null }),
      [`GET /api/conversations/${CONV.id}`]: () => json(200, { ...CONV, messages: [] }),
      [`PATCH /api/conversations/${CONV.id}`]: () => json(200, { ...CONV, title: 'Norms' }),
    });
    render(<App />);
    const sidebar = await screen.findByRole('complementary', { name: 'Your conversations' });
    await userEvent.click(await within(sidebar).findByRole('button', { name: 'Actions for Our CFA plan' }));
    await userEvent.click(within(sidebar).getByRole('button', { name: 'Rename' }));
    await userEvent.clear(within(sidebar).getByLabelText('New title'));
    await userEvent.type(within(sidebar).getByLabelText('New title'), 'Norms{Enter}');
    expect(await within(sidebar).findByText('Renamed to Norms.')).toBeInTheDocument();
    await waitFor(() => expect(within(sidebar).queryByText('Renamed to Norms.')).toBeNull(), { timeout: STATUS_MS + 3000 });
  }, 20000);
});
