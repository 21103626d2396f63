import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ExportMenu } from './ExportMenu';
import { json, mockServer } from '../test/mockServer';
import { setCsrfToken } from '../api/client';

const CONV = '00000000-0000-4000-8000-0000000000c0';
const done = (id: string, format: string) => ({
  id, format, status: 'done', url: `http://localhost/api/exports/${id}/file`,
  expires_at: '2026-06-01T00:00:00Z', filename: `plan-2026-05-01.${format}`, bytes: 10, error: null,
});

let clicked: string[];
beforeEach(() => {
  setCsrfToken('t'.repeat(64));
  clicked = [];
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push(`${this.href} ${this.download}`);
  });
});
afterEach(() => vi.restoreAllMocks());

describe('ExportMenu', () => {
  it('offers the three formats in a menu that the keyboard can use', async () => {
    mockServer({});
    render(<ExportMenu conversationId={CONV} />);
    const button = screen.getByRole('button', { name: 'Export' });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(button);
    expect(button).toHaveAttribute('aria-expanded', 'true');
    const items = screen.getAllByRole('menuitem');
    expect(items.map((i) => i.textContent)).toEqual(['PDF', 'Markdown', 'Plain text']);
    expect(items[0]).toHaveFocus();
    await userEvent.keyboard('{ArrowDown}');
    expect(items[1]).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(button).toHaveFocus();
  });

  it('asks for the export with the CSRF token and downloads a file made at once', async () => {
    const { calls } = mockServer({
      [`POST /api/conversations/${CONV}/exports`]: () => json(201, done('e1', 'pdf')),
    });
    render(<ExportMenu conversationId={CONV} />);
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'PDF' }));
    await waitFor(() => expect(clicked).toEqual(['http://localhost/api/exports/e1/file plan-2026-05-01.pdf']));
    expect(calls[0].body).toEqual({ format: 'pdf' });
    expect(calls[0].headers['x-csrf-token']).toBe('t'.repeat(64));
    expect(screen.getByRole('status')).toHaveTextContent('PDF file ready: plan-2026-05-01.pdf');
  });

  it('polls a queued export until the job process has made it', async () => {
    let polls = 0;
    mockServer({
      [`POST /api/conversations/${CONV}/exports`]: () =>
        json(201, { ...done('e2', 'md'), status: 'queued', url: null }),
      'GET /api/exports/e2': () => {
        polls += 1;
        return json(200, polls < 3 ? { ...done('e2', 'md'), status: 'running', url: null } : done('e2', 'md'));
      },
    });
    render(<ExportMenu conversationId={CONV} pollMs={5} />);
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'Markdown' }));
    expect(screen.getByRole('button', { name: 'Exporting…' })).toBeDisabled();
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(polls).toBe(3);
    expect(screen.getByRole('button', { name: 'Export' })).toBeEnabled();
  });

  it('says so when the export fails, and downloads nothing', async () => {
    mockServer({
      [`POST /api/conversations/${CONV}/exports`]: () =>
        json(503, { error: { code: 'export_failed', message: 'the export could not be made: disk full', request_id: 'r' } }),
    });
    render(<ExportMenu conversationId={CONV} />);
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'Plain text' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('disk full');
    expect(clicked).toHaveLength(0);
  });

  it('through a share link, exports what the link shows', async () => {
    const token = 'b'.repeat(64);
    const { calls } = mockServer({
      [`POST /api/shared/${token}/exports`]: () => json(201, done('e3', 'txt')),
    });
    render(<ExportMenu conversationId="" token={token} />);
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'Plain text' }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(calls[0].path).toBe(`/api/shared/${token}/exports`);
  });
});
