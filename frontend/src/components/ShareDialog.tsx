// Sharing a conversation: make a view-only link (optionally expiring), a
// snapshot of the conversation as it is now or a live link that keeps up
// with it; see the link; list the conversation's links (which kind, when
// each expires, a copy button) and revoke them.

import { useCallback, useEffect, useState } from 'react';
import { Dialog } from './Dialog';
import { api } from '../api/client';
import type { NewShare, Share } from '../api/types';
import { formatDate } from '../format';
import { teacherMessage } from '../api/errors';
import { useAuth } from '../auth';
import { loadLinks, saveLinks } from '../drafts';

export function ShareDialog({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const [shares, setShares] = useState<Share[]>([]);
  const [expiry, setExpiry] = useState('0');
  const [live, setLive] = useState(false);
  const [created, setCreated] = useState<NewShare | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  // The server keeps only each link's hash: a link can be copied again
  // where it was made, from what this browser remembers (drafts.ts).
  const owner = useAuth().user?.id ?? '';
  const [links, setLinks] = useState<Record<string, string>>(() => loadLinks(owner, conversationId));

  const load = useCallback(async () => {
    try {
      const r = await api.shares(conversationId);
      setShares(r.shares);
      const active = new Set(r.shares.filter((s) => s.active).map((s) => s.id));
      const kept = Object.fromEntries(Object.entries(loadLinks(owner, conversationId)).filter(([id]) => active.has(id)));
      saveLinks(owner, conversationId, kept);
      setLinks(kept);
    } catch (e) {
      setError(teacherMessage(e, 'The links could not be loaded.'));
    }
  }, [conversationId, owner]);

  useEffect(() => {
    void load();
  }, [load]);

  const create = async () => {
    setError('');
    try {
      const s = await api.createShare(conversationId, Number(expiry) || null, live);
      setCreated(s);
      saveLinks(owner, conversationId, { ...loadLinks(owner, conversationId), [s.id]: s.url });
      setStatus('Link created. It is listed below; on another device it cannot be copied again.');
      await load();
    } catch (e) {
      setError(teacherMessage(e, 'The link could not be created.'));
    }
  };

  const revoke = async (id: string) => {
    setError('');
    try {
      await api.revokeShare(conversationId, id);
      if (created?.id === id) setCreated(null);
      setStatus('Link revoked. It no longer works.');
      await load();
    } catch (e) {
      setError(teacherMessage(e, 'The link could not be revoked.'));
    }
  };

  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setStatus('Link copied.');
    } catch {
      setStatus('Your browser did not allow copying. Select the link in the box and copy it.');
    }
  };
  const active = shares.filter((s) => s.active);
  const inactive = shares.filter((s) => !s.active);
  const expiryText = (s: Share) => (s.expires_at ? `expires ${formatDate(s.expires_at)}` : 'never expires');
  const kind = (s: Share) => (s.live ? 'Live link' : 'Snapshot');

  return (
    <Dialog title="Share this conversation" onClose={onClose}>
      <div className="stack">
        <p>Anyone signed in who has the link can read this conversation. They cannot see your feedback or add to it.</p>
        <fieldset className="share-kind">
          <legend>The link shows</legend>
          <label className="check">
            <input type="radio" name="share-kind" checked={!live} onChange={() => setLive(false)} />
            {' '}This conversation as it is now (a snapshot)
          </label>
          <label className="check">
            <input type="radio" name="share-kind" checked={live} onChange={() => setLive(true)} />
            {' '}Keep this link up to date: questions you ask later appear too
          </label>
        </fieldset>
        <div className="row">
          <label htmlFor="share-expiry">Link expires</label>
          <select id="share-expiry" value={expiry} onChange={(e) => setExpiry(e.target.value)} data-autofocus>
            <option value="0">Never</option>
            <option value="1">After 1 day</option>
            <option value="7">After 7 days</option>
            <option value="30">After 30 days</option>
            <option value="365">After a year</option>
          </select>
          <button type="button" className="primary" onClick={create}>Create link</button>
        </div>
        {created && (
          <div className="row">
            <label htmlFor="share-url">Link</label>
            <input id="share-url" readOnly value={created.url} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" onClick={() => void copy(created.url)}>Copy</button>
          </div>
        )}
        <p role="status" className="status-text">{status}</p>
        {error && <p role="alert" className="error-text">{error}</p>}
        <h3>Active links</h3>
        {active.length === 0 ? <p>No active links.</p> : (
          <ul className="share-list">
            {active.map((s) => (
              <li key={s.id}>
                <span>{kind(s)}, created {formatDate(s.created_at)}, <strong>{expiryText(s)}</strong></span>
                {links[s.id] ? (
                  <button type="button" onClick={() => void copy(links[s.id])}
                    aria-label={`Copy the link created ${formatDate(s.created_at)}`}>Copy</button>
                ) : (
                  <span className="status-text">Made on another device: it can be copied there, or revoked here.</span>
                )}
                <button type="button" className="danger" onClick={() => revoke(s.id)}
                  aria-label={`Revoke the link created ${formatDate(s.created_at)}`}>Revoke</button>
              </li>
            ))}
          </ul>
        )}
        {inactive.length > 0 && (
          <details>
            <summary>Revoked and expired links ({inactive.length})</summary>
            <ul className="share-list">
              {inactive.map((s) => (
                <li key={s.id}>
                  {kind(s)}, created {formatDate(s.created_at)}, {s.revoked ? `revoked ${formatDate(s.revoked_at)}` : `expired ${formatDate(s.expires_at)}`}
                </li>
              ))}
            </ul>
          </details>
        )}
        <div className="actions"><button type="button" onClick={onClose}>Done</button></div>
      </div>
    </Dialog>
  );
}
