// Profile: name (editable), email, organization and role.

import { useState, type FormEvent } from 'react';
import { api, MY_EXPORT_URL } from '../api/client';
import { useAuth } from '../auth';
import { formatDate } from '../format';

const ROLE_NAMES = { educator: 'Educator', coach: 'Coach', admin: 'Administrator' } as const;

export function ProfilePage() {
  const { user, setUser } = useAuth();
  const [name, setName] = useState(user?.name ?? '');
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  if (!user) return null;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    try {
      const p = await api.updateMe(name.trim());
      setUser({ ...user, ...p });
      setStatus('Your name was saved.');
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Your name could not be saved.');
    }
  };

  const org = user.organization;
  return (
    <div className="page">
      <h1 tabIndex={-1}>Your profile</h1>
      <form onSubmit={save} className="stack narrow">
        <label htmlFor="profile-name">Name</label>
        <input id="profile-name" value={name} maxLength={200} required onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="primary">Save name</button>
        <p role="status" className="status-text">{status}</p>
        {error && <p role="alert" className="error-text">{error}</p>}
      </form>
      <dl className="facts">
        <dt>Email</dt><dd>{user.email}</dd>
        <dt>Organization</dt>
        <dd>{org ? `${org.name}${org.parent ? `, ${org.parent.name}` : ''} (${org.kind})` : 'None'}</dd>
        <dt>Role</dt><dd>{ROLE_NAMES[user.role] ?? user.role}</dd>
        {user.last_login_at && (<><dt>Last sign-in</dt><dd>{formatDate(user.last_login_at)}</dd></>)}
      </dl>
      <section className="data-rights" aria-labelledby="your-data">
        <h2 id="your-data">Your data</h2>
        <p>
          A ZIP with your profile, every conversation you kept (as JSON and PDF), your feedback, your share
          links and the audit entries about you. Downloading it is recorded.
        </p>
        <p><a className="button" href={MY_EXPORT_URL} download>Download my data</a></p>
      </section>
    </div>
  );
}
