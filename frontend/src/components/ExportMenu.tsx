// "Export" in the conversation's header: a menu button (aria-expanded,
// arrow keys, Escape returns focus) with the three formats.  Choosing one
// asks the server for the export; a small conversation comes back done
// and downloads at once, a longer one is polled until the job process has
// made it.  Progress and errors are announced in a live region.  With a
// share token, the export is of what the link shows.

import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { ConversationExport, ExportFormat } from '../api/types';

const FORMATS: { format: ExportFormat; label: string }[] = [
  { format: 'pdf', label: 'PDF' },
  { format: 'md', label: 'Markdown' },
  { format: 'txt', label: 'Plain text' },
];

const POLL_MS = 1000;
const POLL_LIMIT = 180; // three minutes

/** Starts the browser's download of an export's file. */
export function download(e: ConversationExport): void {
  if (!e.url) return;
  const a = document.createElement('a');
  a.href = e.url;
  a.download = e.filename ?? '';
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function ExportMenu({ conversationId, token, pollMs = POLL_MS }: {
  conversationId: string;
  token?: string;
  pollMs?: number;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const alive = useRef(true);

  useEffect(() => () => { alive.current = false; }, []);

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onDown = (e: MouseEvent) => {
      if (!menu.current?.contains(e.target as Node) && e.target !== button.current) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const onMenuKey = (e: React.KeyboardEvent) => {
    const items = Array.from(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      e.stopPropagation();
      setOpen(false);
      button.current?.focus();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      items[(i + 1) % items.length]?.focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      items[(i - 1 + items.length) % items.length]?.focus();
    } else if (e.key === 'Tab') {
      setOpen(false);
    }
  };

  const choose = async (format: ExportFormat, label: string) => {
    setOpen(false);
    button.current?.focus();
    setBusy(true);
    setError('');
    setStatus(`Preparing the ${label} file…`);
    try {
      let e = await api.createExport(conversationId, format, token);
      for (let i = 0; (e.status === 'queued' || e.status === 'running') && i < POLL_LIMIT; i++) {
        await sleep(pollMs);
        if (!alive.current) return;
        e = await api.exportStatus(e.id, token);
      }
      if (!alive.current) return;
      if (e.status === 'done' && e.url) {
        download(e);
        setStatus(`${label} file ready: ${e.filename ?? 'downloading'}.`);
      } else if (e.status === 'failed') {
        setStatus('');
        setError(e.error ? `The export failed: ${e.error}` : 'The export failed.');
      } else {
        setStatus('');
        setError('The export is taking longer than expected. Try again in a few minutes.');
      }
    } catch (err) {
      if (!alive.current) return;
      setStatus('');
      setError(err instanceof Error ? err.message : 'The export failed.');
    } finally {
      if (alive.current) setBusy(false);
    }
  };

  return (
    <div className="export-menu">
      <button type="button" ref={button} aria-haspopup="menu" aria-expanded={open}
        aria-controls="export-menu-list" disabled={busy} onClick={() => setOpen(!open)}>
        {busy ? 'Exporting…' : 'Export'}
      </button>
      {open && (
        <div id="export-menu-list" ref={menu} role="menu" aria-label="Export as" className="menu"
          tabIndex={-1} onKeyDown={onMenuKey}>
          {FORMATS.map((f) => (
            <button key={f.format} type="button" role="menuitem" tabIndex={-1}
              onClick={() => void choose(f.format, f.label)}>{f.label}</button>
          ))}
        </div>
      )}
      <span className="export-status" role="status" aria-live="polite">{status}</span>
      {error && <p className="export-error" role="alert">{error}</p>}
    </div>
  );
}
