// Profile: name (editable), email, organization and role, and the
// password: set a first one (an account that signed in with a one-time
// link) or change it.

import { useState, type FormEvent } from 'react';
import { api, ApiError, MY_EXPORT_URL } from '../api/client';
import { useAuth } from '../auth';
import { formatDate } from '../format';
import { teacherMessage } from '../api/errors';

const ROLE_NAMES = { educator: 'Educator', coach: 'Coach', admin: 'Administrator' } as const;

export function ProfilePage() {
  const { user, setUser } = useAuth();
  const [name, setName] = useState(user?.name ?? '');
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [pwStatus, setPwStatus] = useState('');
  const [pwError, setPwError] = useState('');
  if (!user) return null;

  const hasPassword = user.has_password ?? false;
  const canSetPassword = hasPassword || !user.single_sign_on;
  const savePassword = async (e: FormEvent) => {
    e.preventDefault();
    setPwError('');
    setPwStatus('');
    try {
      await api.setPassword(next, hasPassword ? current : undefined);
      setUser({ ...user, has_password: true });
      setCurrent('');
      setNext('');
      setPwStatus(hasPassword ? 'Your password was changed; your other sessions ended.' : 'Your password was set: you can now sign in with your email and it.');
    } catch (err) {
      setPwError(err instanceof ApiError && err.code === 'bad_credentials' ? 'The current password is wrong.' : (err as Error).message);
    }
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    try {
      const p = await api.updateMe(name.trim());
      setUser({ ...user, ...p });
      setStatus('Your name was saved.');
    } catch (err) {
      setError(teacherMessage(err, 'Your name could not be saved.'));
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
      {canSetPassword && (
        <form onSubmit={savePassword} className="stack narrow" aria-labelledby="password-title">
          <h2 id="password-title">{hasPassword ? 'Change your password' : 'Set a password'}</h2>
          {!hasPassword && <p>You signed in with a one-time link. Set a password to sign in with your email from now on.</p>}
          {hasPassword && (<>
            <label htmlFor="current-password">Current password</label>
            <input id="current-password" type="password" autoComplete="current-password" required value={current}
              onChange={(e) => setCurrent(e.target.value)} />
          </>)}
          <label htmlFor="new-password">New password (at least 10 characters)</label>
          <input id="new-password" type="password" autoComplete="new-password" required minLength={10} maxLength={1024}
            value={next} onChange={(e) => setNext(e.target.value)} />
          <button type="submit" className="primary">{hasPassword ? 'Change password' : 'Set password'}</button>
          <p role="status" className="status-text">{pwStatus}</p>
          {pwError && <p role="alert" className="error-text">{pwError}</p>}
        </form>
      )}
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
