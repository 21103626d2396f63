// The application shell: who is signed in, the header with navigation,
// the skip link, and the routes.  Focus moves to the new page's heading
// when the page changes (not when only the open conversation changes).

import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { api, setCsrfToken } from './api/client';
import type { Profile } from './api/types';
import { AuthContext } from './auth';
import { Link, match, navigate, usePath } from './router';
import { CoachPage } from './pages/CoachPage';
import { SignInPage } from './pages/SignInPage';
import { SignInLinkPage } from './pages/SignInLinkPage';
import { ProfilePage } from './pages/ProfilePage';
import { SharedPage, SharedSignInNote } from './pages/SharedPage';
import { forgetUser, rememberSignedIn, wasSignedIn } from './drafts';

const AdminPage = lazy(() => import('./pages/AdminPage'));
// Analytics and its chart library load only when opened (issue 14).
const AnalyticsPage = lazy(() => import('./pages/AnalyticsPage'));

function pageKey(path: string): string {
  const seg = path.split('?')[0].split('/')[1] ?? '';
  return seg === '' || seg === 'c' ? 'coach' : path.split('?')[0];
}

export function App() {
  const path = usePath();
  const [user, setUser] = useState<Profile | null>(null);
  const [loading, setLoading] = useState(true);
  // The sign-in page says why it is shown when a session ended (idle
  // timeout, or signed out elsewhere) rather than the teacher signing out.
  const [sessionEnded, setSessionEnded] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const lastPage = useRef<string>('');

  useEffect(() => {
    api.me().then((me) => {
      setCsrfToken(me.csrf_token);
      rememberSignedIn(me.id);
      setUser(me);
    }).catch(() => {
      setSessionEnded(wasSignedIn());
      setUser(null);
    }).finally(() => setLoading(false));
    const gone = () => {
      setSessionEnded(wasSignedIn());
      setUser(null);
    };
    window.addEventListener('plc:unauthenticated', gone);
    return () => window.removeEventListener('plc:unauthenticated', gone);
  }, []);

  const key = pageKey(path);
  useEffect(() => {
    if (loading) return;
    if (lastPage.current && lastPage.current !== key) {
      const h = mainRef.current?.querySelector<HTMLElement>('h1');
      h?.focus();
    }
    lastPage.current = key;
    setMenuOpen(false);
  }, [key, loading]);

  useEffect(() => {
    const titles: Record<string, string> = { coach: 'Coach', '/profile': 'Profile', '/sign-in': 'Sign in', '/analytics': 'Analytics' };
    document.title = (titles[key] ?? (key.startsWith('/admin') ? 'Administration' : key.startsWith('/shared') ? 'Shared conversation' : 'PLC Coach')) + ' · PLC Coach';
  }, [key]);

  if (loading) {
    return <main id="main" className="loading"><p role="status">Loading PLC Coach…</p></main>;
  }

  const signOut = async () => {
    if (user) forgetUser(user.id);
    try {
      await api.logout();
    } finally {
      setCsrfToken('');
      setUser(null);
      navigate('/sign-in');
    }
  };

  // A one-time sign-in link signs in whoever is (or is not) signed in now.
  if (path.split('?')[0] === '/sign-in/link' && (location.hash.length > 1 || !user)) {
    return (
      <AuthContext.Provider value={{ user, setUser }}>
        <main id="main">
          <SignInLinkPage onSignedIn={(p) => {
            rememberSignedIn(p.id);
            setSessionEnded(false);
            setUser(p);
            navigate('/', { replace: true });
          }} />
        </main>
      </AuthContext.Provider>
    );
  }

  if (!user) {
    const returnTo = path.startsWith('/sign-in') ? '/' : path;
    const shared = match('/shared/:token', path.split('?')[0]);
    return (
      <AuthContext.Provider value={{ user, setUser }}>
        <main id="main">
          <SignInPage returnTo={returnTo} sessionEnded={sessionEnded}
            intro={shared ? <SharedSignInNote token={shared.token} /> : undefined} onSignedIn={(p) => {
            rememberSignedIn(p.id);
            setSessionEnded(false);
            setUser(p);
            navigate(returnTo, { replace: true });
          }} />
        </main>
      </AuthContext.Provider>
    );
  }

  let page;
  let m: Record<string, string> | null;
  const plain = path.split('?')[0];
  if (plain === '/' || plain === '/sign-in' || plain === '/sign-in/link') page = <CoachPage conversationId={null} />;
  else if ((m = match('/c/:id', plain))) page = <CoachPage conversationId={m.id} />;
  else if ((m = match('/shared/:token', plain))) page = <SharedPage token={m.token} />;
  else if (plain === '/profile') page = <ProfilePage />;
  else if (plain === '/analytics') page = <Suspense fallback={<p role="status">Loading…</p>}><AnalyticsPage /></Suspense>;
  else if (plain === '/admin' || plain.startsWith('/admin/')) {
    page = user.role === 'admin'
      ? <Suspense fallback={<p role="status">Loading…</p>}><AdminPage section={plain.split('/')[2] ?? 'users'} /></Suspense>
      : <div className="page"><h1 tabIndex={-1}>Not allowed</h1><p>Only administrators can see this page.</p></div>;
  } else {
    page = <div className="page"><h1 tabIndex={-1}>Page not found</h1><p><Link href="/">Go to the coach</Link></p></div>;
  }

  const navItems = [
    { href: '/', label: 'Coach', active: key === 'coach' },
    { href: '/analytics', label: user.role === 'educator' ? 'My usage' : 'Analytics', active: key === '/analytics' },
    ...(user.role === 'admin' ? [{ href: '/admin/users', label: 'Admin', active: key.startsWith('/admin') }] : []),
    { href: '/profile', label: 'Profile', active: key === '/profile' },
  ];

  return (
    <AuthContext.Provider value={{ user, setUser }}>
      <a href="#main" className="skip-link">Skip to main content</a>
      <header className="app-header">
        <Link href="/" className="brand">PLC Coach</Link>
        <button type="button" className="menu-toggle" aria-expanded={menuOpen} aria-controls="app-nav"
          onClick={() => setMenuOpen(!menuOpen)}>Menu</button>
        <nav id="app-nav" aria-label="Main" className={menuOpen ? 'open' : undefined}>
          <ul>
            {navItems.map((n) => (
              <li key={n.href}><Link href={n.href} aria-current={n.active ? 'page' : undefined}>{n.label}</Link></li>
            ))}
            <li><button type="button" className="link-button" onClick={() => void signOut()}>Sign out</button></li>
          </ul>
        </nav>
        <span className="who"><span className="visually-hidden">Signed in as </span>{user.name || user.email}</span>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>{page}</main>
    </AuthContext.Provider>
  );
}
