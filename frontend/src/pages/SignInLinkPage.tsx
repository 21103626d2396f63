// A one-time sign-in link: /sign-in/link#TOKEN.  The token is in the
// fragment, which the browser never sends to a server; this page posts it
// to POST /api/auth/link, which answers with a session, and then removes
// it from the address bar and the history.

import { useEffect, useRef, useState } from 'react';
import { api, ApiError, setCsrfToken } from '../api/client';
import type { Profile } from '../api/types';
import { Link } from '../router';

export function SignInLinkPage({ onSignedIn }: { onSignedIn: (p: Profile) => void }) {
  const [error, setError] = useState('');
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return; // React's development double effect: a link works once
    started.current = true;
    const token = location.hash.replace(/^#/, '');
    history.replaceState(null, '', '/sign-in/link');
    if (!/^[0-9a-f]{64}$/.test(token)) {
      setError('This sign-in link is incomplete. Copy the whole link, including everything after the #.');
      return;
    }
    api.signInWithLink(token).then((r) => {
      setCsrfToken(r.csrf_token);
      onSignedIn(r.user);
    }).catch((e) => {
      setError(e instanceof ApiError && e.status === 401
        ? 'This sign-in link has expired or was already used. Ask your administrator for a new one; on a local install, run plccoach user sign-in-link --email YOUR-EMAIL (see the README).'
        : e instanceof Error ? e.message : 'Signing in failed.');
    });
  }, [onSignedIn]);

  return (
    <div className="signin">
      <div className="signin-card">
        <h1 tabIndex={-1}>Sign in to PLC Coach</h1>
        {error
          ? (<><p role="alert" className="error-text">{error}</p><p><Link href="/sign-in">Go to the sign-in page</Link></p></>)
          : <p role="status">Signing you in…</p>}
      </div>
    </div>
  );
}
