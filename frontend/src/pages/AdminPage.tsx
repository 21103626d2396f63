// Administration (admins only; loaded on demand so teachers never download
// it): one screen per concern, each in pages/admin/: users, organizations
// and teams, the content library, flagged feedback and the audit log, and
// a way to the analytics page.

import { Link } from '../router';
import { UsersScreen } from './admin/UsersScreen';
import { OrgsScreen } from './admin/OrgsScreen';
import { LibraryScreen } from './admin/LibraryScreen';
import { FeedbackScreen } from './admin/FeedbackScreen';
import { AuditScreen } from './admin/AuditScreen';

const SECTIONS = [
  { path: '/admin/users', label: 'Users', screen: UsersScreen },
  { path: '/admin/organizations', label: 'Organizations and teams', screen: OrgsScreen },
  { path: '/admin/library', label: 'Content library', screen: LibraryScreen },
  { path: '/admin/feedback', label: 'Flagged feedback', screen: FeedbackScreen },
  { path: '/admin/audit', label: 'Audit log', screen: AuditScreen },
];

/** An unknown section shows "not found" rather than silently another
 * screen (/admin alone is the users screen). */
export default function AdminPage({ section }: { section: string }) {
  const current = SECTIONS.find((s) => s.path === '/admin/' + (section || 'users'));
  const Screen = current?.screen;
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
      {Screen ? <Screen /> : <><h1 tabIndex={-1}>Page not found</h1><p>There is no administration page here.</p></>}
      <p className="status-text">Usage of every team, school and district: <Link href="/analytics">Analytics</Link>.</p>
    </div>
  );
}
