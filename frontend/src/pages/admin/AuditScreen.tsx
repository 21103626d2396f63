// The audit log: newest first, 50 at a time, filtered by kind of action,
// by who acted (email), by what was acted on (its id) and by a range of
// days (UTC, both ends included).

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { AuditEntry, AuditFilter } from '../../api/types';
import { formatDate } from '../../format';
import { teacherMessage } from '../../api/errors';

/** The families of actions (an action matches its family's prefix). */
const ACTIONS = [
  { id: '', label: 'Everything' },
  { id: 'login', label: 'Sign-ins' },
  { id: 'signin_link', label: 'Sign-in links' },
  { id: 'password', label: 'Passwords' },
  { id: 'user', label: 'Accounts and roles' },
  { id: 'org', label: 'Organizations' },
  { id: 'team', label: 'Teams' },
  { id: 'share', label: 'Share links' },
  { id: 'export', label: 'Exports' },
  { id: 'feedback', label: 'Flagged feedback' },
  { id: 'book', label: 'Books' },
  { id: 'job', label: 'Uploads' },
  { id: 'conversation', label: 'Deleted conversations' },
  { id: 'retention', label: 'Retention' },
  { id: 'analytics', label: 'Analytics reads' },
];

const EMPTY: AuditFilter = { action: '', actor: '', target: '', from: '', to: '' };

function detailText(d: AuditEntry['detail']): string {
  if (!d || Object.keys(d).length === 0) return '';
  return Object.entries(d).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('; ');
}

export function AuditScreen() {
  const [draft, setDraft] = useState<AuditFilter>(EMPTY);
  const [filter, setFilter] = useState<AuditFilter>(EMPTY);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  // the `before` cursor of each page shown so far (null: the newest)
  const [cursors, setCursors] = useState<(number | null)[]>([null]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState('');
  const [rangeError, setRangeError] = useState('');
  const [loaded, setLoaded] = useState(false);

  const load = useCallback(async (f: AuditFilter, stack: (number | null)[]) => {
    try {
      const r = await api.audit(f, stack[stack.length - 1]);
      setEntries(r.entries);
      setNext(r.next_before);
      setCursors(stack);
      setError('');
    } catch (e) {
      setError(teacherMessage(e, 'The audit log could not be loaded.'));
    } finally {
      setLoaded(true);
    }
  }, []);

  useEffect(() => {
    void load(filter, [null]);
  }, [filter, load]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      setRangeError('The first day must not be after the last day.');
      return;
    }
    setRangeError('');
    setFilter({ ...draft, actor: draft.actor.trim(), target: draft.target.trim() });
  };

  const pageNo = cursors.length;
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title" tabIndex={-1}>Audit log</h1>
      <p>Every change to accounts, roles, teams, share links, exports and the library, and every read of other people's data, newest first.</p>
      <form onSubmit={apply} className="row filters" aria-label="Filter the audit log">
        <label htmlFor="audit-action">Action</label>
        <select id="audit-action" value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })}>
          {ACTIONS.map((a) => <option key={a.id} value={a.id}>{a.label}</option>)}
        </select>
        <label htmlFor="audit-actor">By (email)</label>
        <input id="audit-actor" type="email" value={draft.actor} maxLength={320} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} />
        <label htmlFor="audit-target">On (id)</label>
        <input id="audit-target" value={draft.target} maxLength={200} onChange={(e) => setDraft({ ...draft, target: e.target.value })} />
        <label htmlFor="audit-from">From (day)</label>
        <input id="audit-from" type="date" value={draft.from}
          aria-describedby="audit-days" onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        <label htmlFor="audit-to">To (day)</label>
        <input id="audit-to" type="date" value={draft.to}
          aria-describedby="audit-days" onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        <button type="submit" className="primary">Filter</button>
        <button type="button" onClick={() => { setDraft(EMPTY); setFilter(EMPTY); setRangeError(''); }}>Clear</button>
      </form>
      <p id="audit-days" className="status-text">Days are in UTC; both the first and the last day are included.</p>
      {rangeError && <p role="alert" className="error-text">{rangeError}</p>}
      {error && <p role="alert" className="error-text">{error}</p>}
      <p role="status" className="status-text">
        {loaded && !error ? (entries.length === 0 ? 'No entries match.' : `Page ${pageNo}: ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}.`) : ''}
      </p>
      {entries.length > 0 && (
        // scrolls sideways on a phone: reachable by keyboard
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Audit entries (scrolls)">
          <table>
            <caption className="visually-hidden">Audit log, page {pageNo}, newest first</caption>
            <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">On</th><th scope="col">From</th><th scope="col">Detail</th></tr></thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatDate(e.at)}</td>
                  <td>{e.actor_email ?? (e.actor_id ? 'an erased account' : 'the system')}</td>
                  <td><code>{e.action}</code></td>
                  <td>{e.target_type ? `${e.target_type} ` : ''}{e.target_id && <code>{e.target_id}</code>}</td>
                  <td>{e.ip ?? ''}</td>
                  <td className="detail">{detailText(e.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages of the audit log" className="row pager">
        <button type="button" disabled={pageNo === 1} onClick={() => void load(filter, cursors.slice(0, -1))}>Newer entries</button>
        <span>Page {pageNo}</span>
        <button type="button" disabled={next === null} onClick={() => void load(filter, [...cursors, next])}>Older entries</button>
      </nav>
    </section>
  );
}
