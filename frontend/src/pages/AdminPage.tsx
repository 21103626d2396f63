// Administration (admins only; loaded on demand so teachers never download
// it): users, roles and their data (export, erasure), the content
// library, flagged feedback, and a way to the analytics page.

import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, uploadBook, userExportUrl } from '../api/client';
import type { AdminUser, Book, FlaggedFeedback, IngestJob, Role, SignInLink } from '../api/types';
import { Link } from '../router';
import { Dialog } from '../components/Dialog';
import { citationLabel, formatDate, REASONS, renumberCitations, withoutMarkup } from '../format';
import { Markdown } from '../components/Markdown';
import { teacherMessage } from '../api/errors';

const SECTIONS = [
  { path: '/admin/users', label: 'Users' },
  { path: '/admin/library', label: 'Content library' },
  { path: '/admin/feedback', label: 'Flagged feedback' },
];

export default function AdminPage({ section }: { section: string }) {
  const current = SECTIONS.find((s) => s.path === '/admin/' + section) ?? SECTIONS[0];
  return (
    <div className="page admin">
      <nav aria-label="Administration" className="subnav">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.path}>
              <Link href={s.path} aria-current={s === current ? 'page' : undefined}>{s.label}</Link>
            </li>
          ))}
        </ul>
      </nav>
      {current.path === '/admin/users' && <UsersSection />}
      {current.path === '/admin/library' && <LibrarySection />}
      {current.path === '/admin/feedback' && <FeedbackSection />}
      <p className="status-text">Usage of every team, school and district: <Link href="/analytics">Analytics</Link>.</p>
    </div>
  );
}

function UsersSection() {
  const [q, setQ] = useState('');
  const [users, setUsers] = useState<AdminUser[]>([]);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [newEmail, setNewEmail] = useState('');
  const [newName, setNewName] = useState('');
  const [newRole, setNewRole] = useState<Role>('educator');
  const [link, setLink] = useState<(SignInLink & { email: string }) | null>(null);

  const load = useCallback(async (query: string) => {
    try {
      const r = await api.users(query);
      setUsers(r.users);
      setError('');
    } catch (e) {
      setError(teacherMessage(e, 'Users could not be loaded.'));
    }
  }, []);

  useEffect(() => {
    const t = setTimeout(() => void load(q.trim()), 250);
    return () => clearTimeout(t);
  }, [q, load]);

  const [erasing, setErasing] = useState<AdminUser | null>(null);
  const [confirm, setConfirm] = useState('');

  const erase = async (u: AdminUser) => {
    setErasing(null);
    setConfirm('');
    setError('');
    try {
      const r = await api.eraseUser(u.id);
      setStatus(`${u.email} was erased. Erasure id ${r.erasure_id}: keep it with the request.`);
      await load(q.trim());
    } catch (e) {
      setError(e instanceof ApiError && e.status === 409 ? 'You cannot erase yourself.' : teacherMessage(e, 'The user could not be erased.'));
    }
  };

  const setRole = async (u: AdminUser, role: Role) => {
    setError('');
    try {
      await api.setRole(u.id, role);
      setStatus(`${u.email} is now ${role}.`);
      await load(q.trim());
    } catch (e) {
      setError(e instanceof ApiError && e.status === 409 ? 'You cannot change your own role.' : teacherMessage(e, 'The role could not be changed.'));
    }
  };

  const addPerson = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    setLink(null);
    try {
      const r = await api.createUser({ email: newEmail.trim(), name: newName.trim(), role: newRole });
      setLink({ sign_in_link: r.sign_in_link, expires_at: r.expires_at, email: r.user.email });
      setStatus(`${r.user.email} was added.`);
      setNewEmail('');
      setNewName('');
      setNewRole('educator');
      await load(q.trim());
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'email_in_use'
        ? 'Someone with this email already has an account.' : (err as Error).message);
    }
  };

  const newLink = async (u: AdminUser) => {
    setError('');
    setLink(null);
    try {
      const r = await api.userSignInLink(u.id);
      setLink({ ...r, email: u.email });
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title" tabIndex={-1}>Users</h1>
      <form onSubmit={addPerson} className="stack narrow" aria-labelledby="add-person-title">
        <h2 id="add-person-title">Add a person</h2>
        <label htmlFor="new-email">Email</label>
        <input id="new-email" type="email" required maxLength={320} value={newEmail} onChange={(e) => setNewEmail(e.target.value)} />
        <label htmlFor="new-name">Name</label>
        <input id="new-name" required maxLength={200} value={newName} onChange={(e) => setNewName(e.target.value)} />
        <label htmlFor="new-role">Role</label>
        <select id="new-role" value={newRole} onChange={(e) => setNewRole(e.target.value as Role)}>
          <option value="educator">Educator</option>
          <option value="coach">Coach</option>
          <option value="admin">Admin</option>
        </select>
        <button type="submit" className="primary">Add and make a sign-in link</button>
      </form>
      {link && (
        <div className="link-box" role="region" aria-label="Sign-in link">
          <p>Send this link to {link.email}. It signs them in once, without a password, until {formatDate(link.expires_at)}; they can then set a password in their profile.</p>
          <p><code>{link.sign_in_link}</code></p>
          <button type="button" className="small" onClick={() => void navigator.clipboard?.writeText(link.sign_in_link)}>Copy the link</button>
        </div>
      )}
      <h2>People</h2>
      <label htmlFor="user-search">Search by name or email</label>
      <input id="user-search" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
      <p role="status" className="status-text">{status}</p>
      {error && <p role="alert" className="error-text">{error}</p>}
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Users</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Last sign-in</th><th scope="col"><span className="visually-hidden">Sign-in link</span></th><th scope="col">Data</th></tr></thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.name}{u.disabled ? ' (disabled)' : ''}</td>
                <td>{u.email}</td>
                <td>
                  <label htmlFor={`role-${u.id}`} className="visually-hidden">Role of {u.email}</label>
                  <select id={`role-${u.id}`} value={u.role} onChange={(e) => void setRole(u, e.target.value as Role)}>
                    <option value="educator">Educator</option>
                    <option value="coach">Coach</option>
                    <option value="admin">Admin</option>
                  </select>
                </td>
                <td>{formatDate(u.last_login_at) || 'Never'}</td>
                <td>
                  {!u.sso_only && !u.disabled && (
                    <button type="button" className="small" onClick={() => void newLink(u)}
                      aria-label={`New sign-in link for ${u.email}`}>Sign-in link</button>
                  )}
                </td>
                <td className="row">
                  <a href={userExportUrl(u.id)} download aria-label={`Export the data of ${u.email}`}>Export data</a>
                  <button type="button" className="danger small" aria-label={`Erase ${u.email}`}
                    onClick={() => { setConfirm(''); setErasing(u); }}>Erase</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {users.length === 0 && <p>No users match.</p>}
      {erasing && (
        <Dialog title={`Erase ${erasing.email}?`} onClose={() => setErasing(null)} describedBy="erase-what">
          <form onSubmit={(e) => { e.preventDefault(); if (confirm.trim().toLowerCase() === erasing.email.toLowerCase()) void erase(erasing); }}>
            <p id="erase-what">
              This deletes the account and everything that is theirs, for good: conversations, feedback,
              share links, exports, sessions. The audit log keeps a record under an erasure id, without
              their name or email. Export their data first if it was asked for.
            </p>
            <label htmlFor="erase-confirm">Type the email to confirm</label>
            <input id="erase-confirm" data-autofocus value={confirm} autoComplete="off" onChange={(e) => setConfirm(e.target.value)} />
            <div className="actions">
              <button type="button" onClick={() => setErasing(null)}>Cancel</button>
              <button type="submit" className="danger" disabled={confirm.trim().toLowerCase() !== erasing.email.toLowerCase()}>Erase</button>
            </div>
          </form>
        </Dialog>
      )}
    </section>
  );
}

function LibrarySection() {
  const [books, setBooks] = useState<Book[]>([]);
  const [jobs, setJobs] = useState<IngestJob[]>([]);
  const [title, setTitle] = useState('');
  const [authors, setAuthors] = useState('');
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [removing, setRemoving] = useState<Book | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    try {
      const r = await api.books();
      setBooks(r.books);
      setJobs(r.jobs);
    } catch (e) {
      setError(teacherMessage(e, 'The library could not be loaded.'));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  // Poll while a job is queued or running.
  const pending = jobs.some((j) => j.status === 'queued' || j.status === 'running');
  useEffect(() => {
    if (!pending) return;
    const t = setInterval(() => void load(), 1500);
    return () => clearInterval(t);
  }, [pending, load]);

  const upload = async (e: FormEvent) => {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setError('Choose a file to upload.');
      return;
    }
    setError('');
    setStatus(`Uploading ${file.name}…`);
    try {
      const job = await uploadBook(file, { title: title.trim(), authors: authors.trim() });
      setStatus(`${job.filename} uploaded; ingestion is queued.`);
      setTitle('');
      setAuthors('');
      if (fileRef.current) fileRef.current.value = '';
      await load();
    } catch (err) {
      setStatus('');
      setError(teacherMessage(err, 'The upload failed.'));
    }
  };

  const deleteJob = async (j: IngestJob) => {
    setError('');
    try {
      await api.deleteJob(j.id);
      setStatus(`The failed upload ${j.filename} was deleted.`);
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'The job could not be deleted.');
    }
  };

  const remove = async (b: Book) => {
    setRemoving(null);
    try {
      await api.deleteBook(b.id);
      setStatus(`${b.title} was removed.`);
      await load();
    } catch (e) {
      setError(teacherMessage(e, 'The book could not be removed.'));
    }
  };

  return (
    <section aria-labelledby="library-title">
      <h1 id="library-title" tabIndex={-1}>Content library</h1>
      <form onSubmit={upload} className="stack narrow" aria-labelledby="upload-title">
        <h2 id="upload-title">Upload a book</h2>
        <label htmlFor="book-file">File (PDF, Markdown or plain text)</label>
        <input id="book-file" ref={fileRef} type="file" accept=".pdf,.md,.markdown,.txt,application/pdf,text/markdown,text/plain" />
        <label htmlFor="book-title">Title (optional: read from the file when empty)</label>
        <input id="book-title" value={title} maxLength={500} onChange={(e) => setTitle(e.target.value)} />
        <label htmlFor="book-authors">Authors (separate with semicolons)</label>
        <input id="book-authors" value={authors} maxLength={500} onChange={(e) => setAuthors(e.target.value)} />
        <button type="submit" className="primary">Upload</button>
      </form>
      <p role="status" className="status-text">{status}</p>
      {error && <p role="alert" className="error-text">{error}</p>}

      <h2>Ingestion</h2>
      {jobs.length === 0 ? <p>No uploads yet.</p> : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Ingestion jobs, newest first</caption>
            <thead><tr><th scope="col">File</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Error</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id}>
                  <td>{j.filename}</td>
                  <td><span className={`badge ${j.status}`}>{j.status}</span></td>
                  <td>{formatDate(j.created_at)}</td>
                  <td>{j.error ?? ''}</td>
                  <td>{j.status === 'failed' && (
                    <button type="button" className="small" onClick={() => void deleteJob(j)}
                      aria-label={`Delete the failed upload ${j.filename}`}>Delete</button>
                  )}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Books</h2>
      {books.length === 0 ? <p>The library is empty: the coach has nothing to answer from until a book is added.</p> : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Books in the library</caption>
            <thead><tr><th scope="col">Title</th><th scope="col">Authors</th><th scope="col">Pages</th><th scope="col">Chapters</th><th scope="col">Passages</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {books.map((b) => (
                <tr key={b.id}>
                  <td>{b.title}{b.sample ? ' (sample)' : ''}</td>
                  <td>{b.authors.join('; ')}</td>
                  <td>{b.page_count}</td>
                  <td>{b.chapter_count}</td>
                  <td>{b.chunk_count}</td>
                  <td><button type="button" className="small danger" onClick={() => setRemoving(b)} aria-label={`Remove ${b.title}`}>Remove</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {removing && (
        <Dialog title="Remove this book?" onClose={() => setRemoving(null)}>
          <p>“{removing.title}” and all its passages will be removed from the library. Answers will no longer cite it.</p>
          <div className="actions">
            <button type="button" onClick={() => setRemoving(null)} data-autofocus>Cancel</button>
            <button type="button" className="danger" onClick={() => void remove(removing)}>Remove</button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

/** The flagged answer with its sources: numbered 1..n in the text and
 * the list (as the teacher saw them), each marker moving focus to its
 * source, which shows the book, chapter, pages and the quoted passage. */
function FlaggedAnswer({ f }: { f: FlaggedFeedback }) {
  const shown = useMemo(() => renumberCitations(f.answer.content, f.answer.citations ?? []), [f.answer]);
  const known = useMemo(() => new Set(shown.citations.map((c) => c.n)), [shown]);
  const id = (n: number) => `flag-${f.message_id}-source-${n}`;
  return (
    <>
      <Markdown text={shown.text} knownCitations={known}
        onCite={(n) => document.getElementById(id(n))?.focus()} />
      {shown.citations.length > 0 && (
        <div className="sources">
          <h4>Sources</h4>
          <ol>
            {shown.citations.map((c) => (
              <li key={c.n} id={id(c.n)} tabIndex={-1}>
                <span className="chip-n" aria-hidden="true">{c.n}</span>
                <span className="visually-hidden">Source {c.n}: </span>
                {citationLabel(c)}
                {c.quote && <blockquote className="quote">{withoutMarkup(c.quote)}</blockquote>}
              </li>
            ))}
          </ol>
        </div>
      )}
    </>
  );
}

function FeedbackSection() {
  const [filter, setFilter] = useState<'open' | 'resolved' | 'all'>('open');
  const [items, setItems] = useState<FlaggedFeedback[]>([]);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    try {
      const r = await api.flagged(filter);
      setItems(r.feedback);
    } catch (e) {
      setError(teacherMessage(e, 'Flagged feedback could not be loaded.'));
    }
  }, [filter]);

  useEffect(() => {
    void load();
  }, [load]);

  const resolve = async (f: FlaggedFeedback) => {
    try {
      await api.resolveFlag(f.message_id, (notes[f.message_id] ?? '').trim());
      setStatus('Marked as resolved.');
      await load();
    } catch (e) {
      setError(teacherMessage(e, 'Could not resolve.'));
    }
  };

  const reasonLabel = (r: string) => REASONS.find((x) => x.id === r)?.label ?? r;

  return (
    <section aria-labelledby="feedback-title">
      <h1 id="feedback-title" tabIndex={-1}>Flagged feedback</h1>
      <label htmlFor="flag-filter">Show</label>
      <select id="flag-filter" value={filter} onChange={(e) => setFilter(e.target.value as typeof filter)}>
        <option value="open">Open</option>
        <option value="resolved">Resolved</option>
        <option value="all">All</option>
      </select>
      <p role="status" className="status-text">{status}</p>
      {error && <p role="alert" className="error-text">{error}</p>}
      {items.length === 0 ? <p>Nothing is flagged.</p> : (
        <ul className="flag-list">
          {items.map((f) => (
            <li key={f.message_id} className="card">
              <h2>Flagged by {f.flagged_by.name || f.flagged_by.email} on {formatDate(f.flagged_at)}</h2>
              <p><strong>Rating:</strong> {f.rating === 'down' ? 'Not helpful' : 'Helpful'}
                {f.reasons.length > 0 && <> · <strong>Reasons:</strong> {f.reasons.map(reasonLabel).join(', ')}</>}</p>
              {f.comment && <p><strong>Comment:</strong> {f.comment}</p>}
              {f.question && (<><h3>Question</h3><p className="user-text">{f.question.content}</p></>)}
              {f.deleted && (
                <p className="notice warn" role="note">
                  {f.deleted === 'conversation'
                    ? 'The teacher has since deleted this conversation. The question and answer below are the copies kept with the flag.'
                    : 'This answer has since been replaced (the question was asked again). The answer below is the copy kept with the flag.'}
                </p>
              )}
              <h3>Answer</h3>
              <FlaggedAnswer f={f} />
              {f.status === 'resolved' ? (
                <p className="notice subtle">Resolved{f.resolved_by ? ` by ${f.resolved_by.name}` : ''} on {formatDate(f.resolved_at)}{f.resolution_note ? `: ${f.resolution_note}` : ''}</p>
              ) : (
                <div className="row">
                  <label htmlFor={`note-${f.message_id}`}>Resolution note (optional)</label>
                  <input id={`note-${f.message_id}`} value={notes[f.message_id] ?? ''} maxLength={2000}
                    onChange={(e) => setNotes({ ...notes, [f.message_id]: e.target.value })} />
                  <button type="button" className="primary" onClick={() => void resolve(f)}>Resolve</button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
