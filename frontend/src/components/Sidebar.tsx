// The conversation list: newest first, keyword search, "show archived",
// new conversation, and per conversation rename, archive and delete.

import { useEffect, useState, type FormEvent } from 'react';
import { Link } from '../router';
import { Dialog } from './Dialog';
import { formatDate } from '../format';
import type { ConversationSummary } from '../api/types';
import { teacherMessage } from '../api/errors';

/** How long a status line stays. */
export const STATUS_MS = 6000;

export function Sidebar({ items, activeId, query, onQuery, archived, onArchived, onNew, onRename, onArchive, onDelete,
  hasMore, onMore, loading, error, onRetry, onNavigate }: {
  items: ConversationSummary[];
  activeId: string | null;
  query: string;
  onQuery: (q: string) => void;
  archived: boolean;
  onArchived: (v: boolean) => void;
  onNew: () => void;
  onRename: (id: string, title: string) => Promise<void>;
  onArchive: (id: string, archived: boolean) => Promise<void>;
  onDelete: (id: string) => Promise<void>;
  hasMore: boolean;
  onMore: () => void;
  loading: boolean;
  error: string;
  onRetry?: () => void;
  onNavigate?: () => void;
}) {
  const [menu, setMenu] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [deleting, setDeleting] = useState<ConversationSummary | null>(null);
  const [status, setStatus] = useState('');
  // A status line ("Renamed to ...") is read out once and then clears.
  useEffect(() => {
    if (!status) return;
    const t = setTimeout(() => setStatus(''), STATUS_MS);
    return () => clearTimeout(t);
  }, [status]);

  const startRename = (c: ConversationSummary) => {
    setMenu(null);
    setRenaming(c.id);
    setTitle(c.title);
  };
  const saveRename = async (e: FormEvent) => {
    e.preventDefault();
    if (!renaming) return;
    const t = title.trim();
    try {
      await onRename(renaming, t);
      setStatus(`Renamed to ${t}.`);
      setRenaming(null);
    } catch (err) {
      setStatus(teacherMessage(err, 'Could not rename.'));
    }
  };

  return (
    <div className="sidebar-inner">
      <button type="button" className="primary new-conv" onClick={onNew}>New conversation</button>
      <div className="search">
        <label htmlFor="conv-search">Search conversations</label>
        <input id="conv-search" type="search" value={query} onChange={(e) => onQuery(e.target.value)}
          placeholder="Keywords" maxLength={200} />
      </div>
      <label className="check">
        <input type="checkbox" checked={archived} onChange={(e) => onArchived(e.target.checked)} />
        Show archived
      </label>
      <p role="status" className="status-text">{status}</p>
      {error && (
        <div role="alert" className="error-text">
          <p>{error}</p>
          {onRetry && <button type="button" onClick={onRetry}>Try again</button>}
        </div>
      )}
      <nav aria-label="Conversations">
        {items.length === 0 && !loading ? (
          <p className="empty">{query ? 'No conversations match.' : archived ? 'No archived conversations.' : 'No conversations yet.'}</p>
        ) : (
          <ul className="conv-list">
            {items.map((c) => (
              <li key={c.id} className={c.id === activeId ? 'active' : undefined}>
                {renaming === c.id ? (
                  <form onSubmit={saveRename} className="rename">
                    <label htmlFor={`rename-${c.id}`} className="visually-hidden">New title</label>
                    {/* eslint-disable-next-line jsx-a11y/no-autofocus -- focus goes to the field the user asked for */}
                    <input id={`rename-${c.id}`} value={title} maxLength={200} autoFocus
                      onChange={(e) => setTitle(e.target.value)}
                      onKeyDown={(e) => { if (e.key === 'Escape') setRenaming(null); }} />
                    <button type="submit" className="small">Save</button>
                    <button type="button" className="small" onClick={() => setRenaming(null)}>Cancel</button>
                  </form>
                ) : (
                  <>
                    <Link href={`/c/${c.id}`} className="conv-link" aria-current={c.id === activeId ? 'page' : undefined}
                      onClick={() => onNavigate?.()}>
                      <span className="conv-title">{c.title || 'Untitled'}</span>
                      {c.preview && c.preview !== c.title && <span className="conv-preview">{c.preview}</span>}
                      <span className="conv-date">
                        {c.archived ? 'Archived · ' : ''}<time dateTime={c.updated_at}>{formatDate(c.updated_at)}</time>
                      </span>
                    </Link>
                    <button type="button" className="icon-button more" aria-expanded={menu === c.id}
                      aria-label={`Actions for ${c.title || 'Untitled'}`} onClick={() => setMenu(menu === c.id ? null : c.id)}>
                      ⋯
                    </button>
                    {menu === c.id && (
                      <div className="conv-actions">
                        <button type="button" className="small" onClick={() => startRename(c)}>Rename</button>
                        <button type="button" className="small" onClick={async () => {
                          setMenu(null);
                          await onArchive(c.id, !c.archived);
                          setStatus(c.archived ? 'Conversation restored.' : 'Conversation archived.');
                        }}>{c.archived ? 'Unarchive' : 'Archive'}</button>
                        <button type="button" className="small danger" onClick={() => { setMenu(null); setDeleting(c); }}>Delete</button>
                      </div>
                    )}
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
        {hasMore && <button type="button" className="link-button" onClick={onMore}>Show more</button>}
      </nav>
      {deleting && (
        <Dialog title="Delete this conversation?" onClose={() => setDeleting(null)}>
          <p>“{deleting.title || 'Untitled'}” and all its messages, feedback and share links will be deleted for good.</p>
          <div className="actions">
            <button type="button" onClick={() => setDeleting(null)} data-autofocus>Cancel</button>
            <button type="button" className="danger" onClick={async () => {
              const d = deleting;
              setDeleting(null);
              await onDelete(d.id);
              setStatus('Conversation deleted.');
            }}>Delete</button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
