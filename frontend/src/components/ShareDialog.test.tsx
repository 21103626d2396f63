// Issue 19, sharing: active links listed with their expiry and a copy
// button (for the links this browser made: the server keeps only a hash),
// revoked and expired ones collapsed.
import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ShareDialog } from './ShareDialog';
import { AuthContext } from '../auth';
import { json, ME, mockServer } from '../test/mockServer';

const CONV = '11111111-1111-4111-8111-111111111111';
const NEW = { id: 's-new', token: 'T'.repeat(43), url: `http://coach.example/shared/${'T'.repeat(43)}`, created_at: '2026-05-11T14:00:00Z', expires_at: '2026-05-18T14:00:00Z', live: false };
const OTHER = { id: 's-other', created_at: '2026-05-01T10:00:00Z', expires_at: null, revoked: false, revoked_at: null, live: false, active: true };
const OLD = { id: 's-old', created_at: '2026-04-01T10:00:00Z', expires_at: null, revoked: true, revoked_at: '2026-04-02T10:00:00Z', live: false, active: false };

function open() {
  return render(
    <AuthContext.Provider value={{ user: ME, setUser: () => undefined }}>
      <ShareDialog conversationId={CONV} onClose={() => undefined} />
    </AuthContext.Provider>,
  );
}

describe('the share dialog', () => {
  it('lists active links with their expiry, and copies again a link made in this browser', async () => {
    const state = { made: false };
    mockServer({
      [`GET /api/conversations/${CONV}/shares`]: () => json(200, {
        shares: [...(state.made ? [{ ...NEW, revoked: false, revoked_at: null, active: true }] : []), OTHER, OLD],
      }),
      [`POST /api/conversations/${CONV}/shares`]: () => {
        state.made = true;
        return json(201, NEW);
      },
    });
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const first = open();
    await userEvent.selectOptions(await screen.findByLabelText('Link expires'), '7');
    await userEvent.click(screen.getByRole('button', { name: 'Create link' }));
    await screen.findByRole('button', { name: /^Copy the link created May 11, 2026/ });
    first.unmount();

    // Opened again later: the link is no longer shown in the box, but
    // the list still copies it.
    open();
    await screen.findByRole('button', { name: /^Copy the link/ });
    const list = screen.getByRole('heading', { name: 'Active links' }).nextElementSibling as HTMLElement;
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    const [mine, other] = within(list).getAllByRole('listitem');
    expect(mine).toHaveTextContent(/expires May 18, 2026/);
    expect(other).toHaveTextContent('never expires');
    expect(other).toHaveTextContent('Made on another device');
    expect(within(other).queryByRole('button', { name: /^Copy/ })).toBeNull();
    await userEvent.click(within(mine).getByRole('button', { name: /^Copy the link/ }));
    expect(writeText).toHaveBeenCalledWith(NEW.url);
    expect(screen.getByText('Link copied.')).toBeInTheDocument();
    // Revoked links are out of the way, collapsed.
    expect(screen.getByText('Revoked and expired links (1)').closest('details')).not.toHaveAttribute('open');
  });

  it('makes a live link when asked to keep it up to date, and lists it as live', async () => {
    const bodies: unknown[] = [];
    const state = { made: false };
    mockServer({
      [`GET /api/conversations/${CONV}/shares`]: () => json(200, {
        shares: state.made ? [{ ...NEW, live: true, revoked: false, revoked_at: null, active: true }, OTHER] : [OTHER],
      }),
      [`POST /api/conversations/${CONV}/shares`]: (call) => {
        bodies.push(call.body);
        state.made = true;
        return json(201, { ...NEW, live: true });
      },
    });
    open();
    const snapshot = await screen.findByRole('radio', { name: /as it is now \(a snapshot\)/ });
    expect(snapshot).toBeChecked();
    await userEvent.click(screen.getByRole('radio', { name: /Keep this link up to date/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Create link' }));
    await screen.findByRole('button', { name: /^Copy the link created May 11, 2026/ });
    expect(bodies).toEqual([{ live: true }]);
    const list = screen.getByRole('heading', { name: 'Active links' }).nextElementSibling as HTMLElement;
    const [mine, other] = within(list).getAllByRole('listitem');
    expect(mine).toHaveTextContent(/^Live link, created May 11, 2026/);
    expect(other).toHaveTextContent(/^Snapshot, created May 1, 2026/);
  });
});
