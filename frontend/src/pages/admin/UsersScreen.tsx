// Users: search, page through (50 at a time), add a local account with a
// one-time sign-in link, disable and enable, assign a school and a team,
// change a role after a confirmation (never one's own), export and erase.

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, userExportUrl } from '../../api/client';
import type { AdminOrg, AdminTeam, AdminUser, Role, SignInLink } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { formatDate } from '../../format';
import { teacherMessage } from '../../api/errors';
import { useAuth } from '../../auth';

const ROLES: { id: Role; label: string }[] = [
  { id: 'educator', label: 'Educator' },
  { id: 'coach', label: 'Coach' },
  { id: 'admin', label: 'Admin' },
];
const roleLabel = (r: Role) => ROLES.find((x) => x.id === r)?.label ?? r;

/** The people list: a page of users and the cursors of the pages before it. */
interface Paging {
  /** the `after` cursor of each page shown so far ('' for the first) */
  cursors: string[];
  next: string | null;
}

export function UsersScreen() {
  const { user: me } = useAuth();
  const [q, setQ] = useState('');
  const [users, setUsers] = useState<AdminUser[]>([]);
  const [paging, setPaging] = useState<Paging>({ cursors: [''], next: null });
  const [orgs, setOrgs] = useState<AdminOrg[]>([]);
  const [teams, setTeams] = useState<AdminTeam[]>([]);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [link, setLink] = useState<(SignInLink & { email: string }) | null>(null);
  const [roleChange, setRoleChange] = useState<{ u: AdminUser; role: Role } | null>(null);
  const [erasing, setErasing] = useState<AdminUser | null>(null);

  const page = paging.cursors[paging.cursors.length - 1];

  const load = useCallback(async (query: string, after: string, cursors: string[]) => {
    try {
      const r = await api.users(query, after || null);
      setUsers(r.users);
      setPaging({ cursors, next: r.next_after });
      setError('');
    } catch (e) {
      setError(teacherMessage(e, 'Users could not be loaded.'));
    }
  }, []);

  // A new search starts again from the first page.
  useEffect(() => {
    const t = setTimeout(() => void load(q.trim(), '', ['']), 250);
    return () => clearTimeout(t);
  }, [q, load]);

  useEffect(() => {
    api.orgs().then((r) => setOrgs(r.organizations)).catch(() => setOrgs([]));
    api.teams().then((r) => setTeams(r.teams)).catch(() => setTeams([]));
  }, []);

  const reload = () => load(q.trim(), page, paging.cursors);

  const act = async (what: () => Promise<unknown>, done: string, failed: string) => {
    setError('');
    try {
      await what();
      await reload();
      setStatus(done);
    } catch (e) {
      setError(teacherMessage(e, failed));
    }
  };

  const setRole = (u: AdminUser, role: Role) => {
    setRoleChange(null);
    return act(() => api.setRole(u.id, role), `${u.email} is now ${roleLabel(role).toLowerCase()}.`, 'The role could not be changed.');
  };

  const setDisabled = (u: AdminUser, disabled: boolean) =>
    act(() => api.updateUser(u.id, { disabled }),
      disabled ? `${u.email} is disabled: they cannot sign in, and their sessions ended.` : `${u.email} can sign in again.`,
      disabled ? 'The account could not be disabled.' : 'The account could not be enabled.');

  const setSchool = (u: AdminUser, orgId: string) =>
    act(() => api.updateUser(u.id, { organization_id: orgId || null }),
      orgId ? `${u.email} now belongs to ${orgs.find((o) => o.id === orgId)?.name ?? 'the organization'}.` : `${u.email} belongs to no school now.`,
      'The school could not be changed.');

  const addToTeam = (u: AdminUser, teamId: string) => {
    const team = teams.find((t) => t.id === teamId);
    if (!team) return Promise.resolve();
    return act(() => api.setTeamPerson(teamId, u.id, 'members', true), `${u.email} was added to ${team.name}.`, 'The person could not be added to the team.');
  };

  const erase = async (u: AdminUser) => {
    setErasing(null);
    setError('');
    try {
      const r = await api.eraseUser(u.id);
      setStatus(`${u.email} was erased. Erasure id ${r.erasure_id}: keep it with the request.`);
      await reload();
    } catch (e) {
      setError(e instanceof ApiError && e.status === 409 ? 'You cannot erase yourself.' : teacherMessage(e, 'The user could not be erased.'));
    }
  };

  const newLink = async (u: AdminUser) => {
    setError('');
    setLink(null);
    try {
      const r = await api.userSignInLink(u.id);
      setLink({ ...r, email: u.email });
    } catch (err) {
      setError(teacherMessage(err, 'The sign-in link could not be made.'));
    }
  };

  const added = async (r: SignInLink & { email: string }) => {
    setLink(r);
    setStatus(`${r.email} was added.`);
    await reload();
  };

  const pageNo = paging.cursors.length;
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title" tabIndex={-1}>Users</h1>
      <AddPerson onAdded={added} onError={setError} />
      {link && (
        <div className="link-box" role="region" aria-label="Sign-in link">
          <p>Send this link to {link.email}. It signs them in once, without a password, until {formatDate(link.expires_at)}; they can then set a password in their profile.</p>
          <p><code>{link.sign_in_link}</code></p>
          <button type="button" className="small" onClick={() => void navigator.clipboard?.writeText(link.sign_in_link)}>Copy the link</button>
        </div>
      )}
      <h2>People</h2>
      <label htmlFor="user-search">Search by name or email</label>
      <input id="user-search" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
      <p role="status" className="status-text">{status}</p>
      {error && <p role="alert" className="error-text">{error}</p>}
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Users, page {pageNo}</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">School</th><th scope="col">Team</th><th scope="col">Last sign-in</th><th scope="col">Account</th><th scope="col">Data</th></tr></thead>
          <tbody>
            {users.map((u) => {
              const self = me?.id === u.id;
              return (
                <tr key={u.id} className={u.disabled ? 'disabled' : undefined}>
                  <td>{u.name}{u.disabled ? ' (disabled)' : ''}{self ? ' (you)' : ''}</td>
                  <td>{u.email}</td>
                  <td>
                    <label htmlFor={`role-${u.id}`} className="visually-hidden">Role of {u.email}</label>
                    <select id={`role-${u.id}`} value={u.role} disabled={self}
                      aria-describedby={self ? 'own-role' : undefined}
                      onChange={(e) => setRoleChange({ u, role: e.target.value as Role })}>
                      {ROLES.map((r) => <option key={r.id} value={r.id}>{r.label}</option>)}
                    </select>
                  </td>
                  <td>
                    <label htmlFor={`org-${u.id}`} className="visually-hidden">School of {u.email}</label>
                    <select id={`org-${u.id}`} value={u.organization_id ?? ''} onChange={(e) => void setSchool(u, e.target.value)}>
                      <option value="">None</option>
                      {orgs.map((o) => <option key={o.id} value={o.id}>{o.name}{o.kind === 'district' ? ' (district)' : ''}</option>)}
                    </select>
                  </td>
                  <td>
                    <label htmlFor={`team-${u.id}`} className="visually-hidden">Add {u.email} to a team</label>
                    <select id={`team-${u.id}`} value="" disabled={teams.length === 0} onChange={(e) => void addToTeam(u, e.target.value)}>
                      <option value="">Add to a team…</option>
                      {teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
                    </select>
                  </td>
                  <td>{formatDate(u.last_login_at) || 'Never'}</td>
                  <td className="row">
                    {!self && (u.disabled
                      ? <button type="button" className="small" onClick={() => void setDisabled(u, false)} aria-label={`Enable ${u.email}`}>Enable</button>
                      : <button type="button" className="small" onClick={() => void setDisabled(u, true)} aria-label={`Disable ${u.email}`}>Disable</button>)}
                    {!u.sso_only && !u.disabled && (
                      <button type="button" className="small" onClick={() => void newLink(u)}
                        aria-label={`New sign-in link for ${u.email}`}>Sign-in link</button>
                    )}
                  </td>
                  <td className="row">
                    <a href={userExportUrl(u.id)} download aria-label={`Export the data of ${u.email}`}>Export data</a>
                    <button type="button" className="danger small" aria-label={`Erase ${u.email}`}
                      onClick={() => setErasing(u)}>Erase</button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {users.length === 0 && <p>No users match.</p>}
      <p id="own-role" className="status-text">You cannot change your own role here: another administrator can.</p>
      <nav aria-label="Pages of users" className="row pager">
        <button type="button" disabled={pageNo === 1}
          onClick={() => { const c = paging.cursors.slice(0, -1); void load(q.trim(), c[c.length - 1], c); }}>Previous page</button>
        <span>Page {pageNo}</span>
        <button type="button" disabled={!paging.next}
          onClick={() => { if (paging.next) void load(q.trim(), paging.next, [...paging.cursors, paging.next]); }}>Next page</button>
      </nav>
      {roleChange && (
        <Dialog title={`Make ${roleChange.u.email} ${roleLabel(roleChange.role).toLowerCase()}?`} onClose={() => setRoleChange(null)} describedBy="role-what">
          <p id="role-what">
            {roleChange.role === 'admin'
              ? 'An admin can see and change every account, the library and the audit log.'
              : roleChange.role === 'coach'
                ? 'A coach sees the usage figures of the teams they coach.'
                : 'An educator uses the coach and sees only their own conversations and usage.'}
            {' '}The role stays as set here: signing in through single sign-on will not change it.
          </p>
          <div className="actions">
            <button type="button" onClick={() => setRoleChange(null)} data-autofocus>Cancel</button>
            <button type="button" className="primary" onClick={() => void setRole(roleChange.u, roleChange.role)}>
              Make {roleLabel(roleChange.role).toLowerCase()}
            </button>
          </div>
        </Dialog>
      )}
      {erasing && <EraseDialog u={erasing} onCancel={() => setErasing(null)} onErase={erase} />}
    </section>
  );
}

function AddPerson({ onAdded, onError }: { onAdded: (r: SignInLink & { email: string }) => Promise<void>; onError: (m: string) => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('educator');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    onError('');
    try {
      const r = await api.createUser({ email: email.trim(), name: name.trim(), role });
      setEmail('');
      setName('');
      setRole('educator');
      await onAdded({ sign_in_link: r.sign_in_link, expires_at: r.expires_at, email: r.user.email });
    } catch (err) {
      onError(err instanceof ApiError && err.code === 'email_in_use'
        ? 'Someone with this email already has an account.' : teacherMessage(err, 'The person could not be added.'));
    }
  };

  return (
    <form onSubmit={submit} className="stack narrow" aria-labelledby="add-person-title">
      <h2 id="add-person-title">Add a person</h2>
      <label htmlFor="new-email">Email</label>
      <input id="new-email" type="email" required maxLength={320} value={email} onChange={(e) => setEmail(e.target.value)} />
      <label htmlFor="new-name">Name</label>
      <input id="new-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor="new-role">Role</label>
      <select id="new-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
        {ROLES.map((r) => <option key={r.id} value={r.id}>{r.label}</option>)}
      </select>
      <button type="submit" className="primary">Add and make a sign-in link</button>
    </form>
  );
}

function EraseDialog({ u, onCancel, onErase }: { u: AdminUser; onCancel: () => void; onErase: (u: AdminUser) => Promise<void> }) {
  const [confirm, setConfirm] = useState('');
  const ok = confirm.trim().toLowerCase() === u.email.toLowerCase();
  return (
    <Dialog title={`Erase ${u.email}?`} onClose={onCancel} describedBy="erase-what">
      <form onSubmit={(e) => { e.preventDefault(); if (ok) void onErase(u); }}>
        <p id="erase-what">
          This deletes the account and everything that is theirs, for good: conversations, feedback,
          share links, exports, sessions. The audit log keeps a record under an erasure id, without
          their name or email. Export their data first if it was asked for.
        </p>
        <label htmlFor="erase-confirm">Type the email to confirm</label>
        <input id="erase-confirm" data-autofocus value={confirm} autoComplete="off" onChange={(e) => setConfirm(e.target.value)} />
        <div className="actions">
          <button type="button" onClick={onCancel}>Cancel</button>
          <button type="submit" className="danger" disabled={!ok}>Erase</button>
        </div>
      </form>
    </Dialog>
  );
}
