// Sharing a conversation: make a view-only link (optionally expiring),
// see the link once, list the conversation's links and revoke them.

import { useCallback, useEffect, useState } from 'react';
import { Dialog } from './Dialog';
import { api } from '../api/client';
import type { NewShare, Share } from '../api/types';
import { formatDate } from '../format';
import { teacherMessage } from '../api/errors';

export function ShareDialog({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const [shares, setShares] = useState<Share[]>([]);
  const [expiry, setExpiry] = useState('0');
  const [created, setCreated] = useState<NewShare | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    try {
      const r = await api.shares(conversationId);
      setShares(r.shares);
    } catch (e) {
      setError(teacherMessage(e, 'The links could not be loaded.'));
    }
  }, [conversationId]);

  useEffect(() => {
    void load();
  }, [load]);

  const create = async () => {
    setError('');
    try {
      const s = await api.createShare(conversationId, Number(expiry) || null);
      setCreated(s);
      setStatus('Link created. Copy it now: it is shown only once.');
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

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.url);
      setStatus('Link copied.');
    } catch {
      setStatus('Copy the link from the box above.');
    }
  };

  return (
    <Dialog title="Share this conversation" onClose={onClose}>
      <div className="stack">
        <p>Anyone signed in who has the link can read this conversation as it is now. They cannot see your feedback or add to it.</p>
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
            <button type="button" onClick={copy}>Copy</button>
          </div>
        )}
        <p role="status" className="status-text">{status}</p>
        {error && <p role="alert" className="error-text">{error}</p>}
        <h3>Links</h3>
        {shares.length === 0 ? <p>No links yet.</p> : (
          <ul className="share-list">
            {shares.map((s) => (
              <li key={s.id}>
                <span>
                  Created {formatDate(s.created_at)}
                  {s.expires_at ? `, expires ${formatDate(s.expires_at)}` : ', never expires'}
                  {' - '}
                  <strong>{s.revoked ? 'revoked' : s.active ? 'active' : 'expired'}</strong>
                </span>
                {s.active && (
                  <button type="button" className="danger" onClick={() => revoke(s.id)}
                    aria-label={`Revoke the link created ${formatDate(s.created_at)}`}>Revoke</button>
                )}
              </li>
            ))}
          </ul>
        )}
        <div className="actions"><button type="button" onClick={onClose}>Done</button></div>
      </div>
    </Dialog>
  );
}
