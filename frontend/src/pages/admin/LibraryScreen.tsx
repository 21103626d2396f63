// The content library: upload a book, follow its ingestion, remove a book.
// Recent ingestion jobs are folded away (failures and unfinished ones
// first, always in view) so the books table stays near the top.

import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, uploadBook } from '../../api/client';
import type { Book, IngestJob } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { formatDate } from '../../format';
import { teacherMessage } from '../../api/errors';

export function LibraryScreen() {
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

  // Failures first, then what is queued or running; what finished folds away.
  const attention = [...jobs.filter((j) => j.status === 'failed'), ...jobs.filter((j) => j.status === 'queued' || j.status === 'running')];
  const finished = jobs.filter((j) => j.status === 'done');

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
        <>
          {attention.length > 0 && <JobTable jobs={attention} caption="Uploads that failed or are not finished, failures first" onDelete={deleteJob} />}
          {finished.length > 0 && (
            <details className="jobs-done">
              <summary>{finished.length === 1 ? '1 finished upload' : `${finished.length} finished uploads`}</summary>
              <JobTable jobs={finished} caption="Finished uploads, newest first" onDelete={deleteJob} />
            </details>
          )}
        </>
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

function JobTable({ jobs, caption, onDelete }: { jobs: IngestJob[]; caption: string; onDelete: (j: IngestJob) => Promise<void> }) {
  return (
    // scrolls sideways on a phone: reachable by keyboard
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
    <div className="table-wrap" tabIndex={0} role="region" aria-label={`${caption} (scrolls)`}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead><tr><th scope="col">File</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Error</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id}>
              <td>{j.filename}</td>
              <td><span className={`badge ${j.status}`}>{j.status}</span></td>
              <td>{formatDate(j.created_at)}</td>
              <td>{j.error ?? ''}</td>
              <td>{j.status === 'failed' && (
                <button type="button" className="small" onClick={() => void onDelete(j)}
                  aria-label={`Delete the failed upload ${j.filename}`}>Delete</button>
              )}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
