// Sign-in: a button per configured OpenID provider and the local
// email/password form.  Errors from a failed single sign-on arrive as
// /sign-in?error=CODE.

import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, setCsrfToken } from '../api/client';
import type { Profile, Provider } from '../api/types';
import { teacherMessage } from '../api/errors';

const SSO_ERRORS: Record<string, string> = {
  provider_denied: 'Sign-in was cancelled at the provider.',
  state_invalid: 'That sign-in link expired. Please try again.',
  provider_unavailable: 'The sign-in provider could not be reached. Please try again shortly.',
  code_rejected: 'The sign-in provider refused the sign-in. Please try again.',
  token_invalid: 'The sign-in could not be verified. Please try again.',
  student_account: 'PLC Coach is for educators; student accounts cannot sign in.',
  email_missing: 'Your account at the provider has no email address.',
  email_in_use: 'That email address already belongs to another sign-in method.',
  account_disabled: 'Your account is disabled. Contact your administrator.',
  server_error: 'Something went wrong while signing in. Please try again.',
};

export function SignInPage({ onSignedIn, returnTo, sessionEnded = false, intro }: {
  onSignedIn: (p: Profile) => void;
  returnTo: string;
  /** what the page is for, above the sign-in options (a share link: who
   * shared what) */
  intro?: ReactNode;
  /** the session ended (idle timeout): say so, and that the draft is kept */
  sessionEnded?: boolean;
}) {
  const [providers, setProviders] = useState<Provider[] | null>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(() => {
    const code = new URLSearchParams(location.search).get('error');
    return code ? SSO_ERRORS[code] ?? 'Sign-in failed. Please try again.' : '';
  });
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const firstProvider = useRef<HTMLAnchorElement>(null);

  useEffect(() => {
    heading.current?.focus();
    api.providers().then((r) => setProviders(r.providers)).catch(() => setProviders([{ id: 'password', name: 'Email and password', kind: 'password' }]));
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const r = await api.login(email.trim(), password);
      setCsrfToken(r.csrf_token);
      onSignedIn(r.user);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError('That email and password do not match an account.');
      else if (err instanceof ApiError && err.status === 429) setError(`Too many attempts. Try again in ${Math.ceil((err.retryAfter ?? 900) / 60)} minutes.`);
      else setError(teacherMessage(err, 'Sign-in failed.'));
      setBusy(false);
    }
  };

  // After a session ended, single sign-on is one press away: focus waits
  // on the first provider's button (the provider usually still has the
  // teacher signed in and sends them straight back to returnTo).
  useEffect(() => {
    if (sessionEnded && providers) firstProvider.current?.focus();
  }, [sessionEnded, providers]);

  const oidc = (providers ?? []).filter((p) => p.kind === 'oidc');
  const local = (providers ?? []).some((p) => p.kind === 'password');
  const withReturn = (url: string) => {
    if (!returnTo || returnTo === '/') return url;
    return url + (url.includes('?') ? '&' : '?') + 'return_to=' + encodeURIComponent(returnTo);
  };

  return (
    <div className="signin">
      <div className="signin-card">
        <h1 ref={heading} tabIndex={-1}>Sign in to PLC Coach</h1>
        <p>Practical answers about Professional Learning Communities, grounded in the PLC library.</p>
        {intro}
        {sessionEnded && !error && (
          <p role="status" className="banner warn session-ended">
            Your session ended because PLC Coach was not used for a while, so you were signed out.
            Sign in again to go back to where you were; anything you were typing has been kept.
          </p>
        )}
        {error && <p role="alert" className="error-text">{error}</p>}
        {providers === null && <p role="status">Loading sign-in options…</p>}
        {oidc.length > 0 && (
          <ul className="provider-list">
            {oidc.map((p, i) => (
              <li key={p.id}><a ref={i === 0 ? firstProvider : undefined} className="button provider" href={withReturn(p.login_url ?? `/api/auth/${p.id}/login`)}>Sign in with {p.name}</a></li>
            ))}
          </ul>
        )}
        {oidc.length > 0 && local && <p className="divider"><span>or</span></p>}
        {local && (
          <form onSubmit={submit} className="stack" aria-label="Sign in with email and password">
            <label htmlFor="signin-email">Email</label>
            <input id="signin-email" type="email" autoComplete="username" required value={email}
              onChange={(e) => setEmail(e.target.value)} />
            <label htmlFor="signin-password">Password</label>
            <input id="signin-password" type="password" autoComplete="current-password" required value={password}
              onChange={(e) => setPassword(e.target.value)} />
            <button type="submit" className="primary" disabled={busy}>Sign in</button>
          </form>
        )}
        {local && oidc.length === 0 && (
          <div className="signin-help">
            <h2>No account yet?</h2>
            <p>Ask your administrator to add you: they get a one-time sign-in link to send you.</p>
            <p>
              On a local install, <code>scripts/up</code> prints a sign-in link for the administrator the first
              time it runs, and <code>plccoach user sign-in-link --email YOUR-EMAIL</code> prints a new one at
              any time, also after a forgotten password (see the README's Quick start).
            </p>
          </div>
        )}
      </div>
    </div>
  );
}
