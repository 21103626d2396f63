import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../App';
import { json, ME, mockServer, type Call } from '../../test/mockServer';
import type { AdminUser, AuditEntry, IngestJob } from '../../api/types';

const ADMIN = { ...ME, role: 'admin' as const, email: 'boss@example.org', name: 'Boss' };
const user = (i: number, extra: Partial<AdminUser> = {}): AdminUser => ({
  id: `u-${i}`, email: `t${i}@example.org`, name: `Teacher ${i}`, role: 'educator', role_locked: false,
  organization_id: null, disabled: false, last_login_at: null, ...extra,
});
const SCHOOL = { id: 'o-s', name: 'Lincoln Elementary', kind: 'school', parent_id: 'o-d', user_count: 3, team_count: 1 };
const DISTRICT = { id: 'o-d', name: 'River District', kind: 'district', parent_id: null, user_count: 0, team_count: 0 };
const TEAM = { id: 't-1', name: 'Grade 3', organization_id: 'o-s', member_count: 1, coaches: [{ id: 'u-c', name: 'Cora' }] };

const patches = (calls: Call[]) => calls.filter((c) => c.method === 'PATCH');

beforeEach(() => history.replaceState(null, '', '/admin/users'));

describe('admin: users', () => {
  it('pages through users 50 at a time and back', async () => {
    const first = Array.from({ length: 50 }, (_, i) => user(i));
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ADMIN),
      'GET /api/admin/organizations': () => json(200, { organizations: [] }),
      'GET /api/admin/teams': () => json(200, { teams: [] }),
      'GET /api/admin/users': (c) => new URL(c.path, 'http://x').searchParams.get('after') === 'u-49'
        ? json(200, { users: [user(50)], next_after: null })
        : json(200, { users: first, next_after: 'u-49' }),
    });
    render(<App />);
    expect(await screen.findByText('t0@example.org', {}, { timeout: 10000 })).toBeInTheDocument();
    const pager = screen.getByRole('navigation', { name: 'Pages of users' });
    expect(within(pager).getByRole('button', { name: 'Previous page' })).toBeDisabled();
    await userEvent.click(within(pager).getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('t50@example.org')).toBeInTheDocument();
    expect(screen.queryByText('t0@example.org')).toBeNull();
    expect(within(pager).getByText('Page 2')).toBeInTheDocument();
    expect(within(pager).getByRole('button', { name: 'Next page' })).toBeDisabled();
    expect(calls.some((c) => c.path.includes('after=u-49'))).toBe(true);
    await userEvent.click(within(pager).getByRole('button', { name: 'Previous page' }));
    expect(await screen.findByText('t0@example.org')).toBeInTheDocument();
    expect(within(pager).getByText('Page 1')).toBeInTheDocument();
  });

  it('disables and enables an account, never one\'s own, with CSRF', async () => {
    let disabled = false;
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ADMIN),
      'GET /api/admin/organizations': () => json(200, { organizations: [] }),
      'GET /api/admin/teams': () => json(200, { teams: [] }),
      'GET /api/admin/users': () => json(200, { users: [user(1, { disabled }), user(0, { id: ADMIN.id, email: ADMIN.email, role: 'admin' })], next_after: null }),
      'PATCH /api/admin/users/u-1': (c) => { disabled = (c.body as { disabled: boolean }).disabled; return json(200, {}); },
    });
    render(<App />);
    await userEvent.click(await screen.findByRole('button', { name: 'Disable t1@example.org' }, { timeout: 10000 }));
    expect(await screen.findByText(/t1@example.org is disabled/)).toBeInTheDocument();
    expect(patches(calls)[0].body).toEqual({ disabled: true });
    expect(patches(calls)[0].headers['x-csrf-token']).toBe(ME.csrf_token);
    expect(await screen.findByText('Teacher 1 (disabled)')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Enable t1@example.org' }));
    await waitFor(() => expect(patches(calls)[1]?.body).toEqual({ disabled: false }));
    expect(screen.queryByRole('button', { name: `Disable ${ADMIN.email}` })).toBeNull();
    expect(screen.getByLabelText(`Role of ${ADMIN.email}`)).toBeDisabled();
  });

  it('assigns a school and adds to a team; a role change can be cancelled', async () => {
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ADMIN),
      'GET /api/admin/organizations': () => json(200, { organizations: [DISTRICT, SCHOOL] }),
      'GET /api/admin/teams': () => json(200, { teams: [TEAM] }),
      'GET /api/admin/users': () => json(200, { users: [user(1)], next_after: null }),
      'PATCH /api/admin/users/u-1': () => json(200, {}),
      'PUT /api/admin/teams/t-1/members/u-1': () => json(204, null),
    });
    render(<App />);
    const school = await screen.findByLabelText('School of t1@example.org', {}, { timeout: 10000 });
    await waitFor(() => expect(within(school).getByRole('option', { name: 'Lincoln Elementary' })).toBeInTheDocument());
    await userEvent.selectOptions(school, 'o-s');
    expect(await screen.findByText('t1@example.org now belongs to Lincoln Elementary.')).toBeInTheDocument();
    expect(patches(calls)[0].body).toEqual({ organization_id: 'o-s' });
    await userEvent.selectOptions(screen.getByLabelText('Add t1@example.org to a team'), 't-1');
    expect(await screen.findByText('t1@example.org was added to Grade 3.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'PUT')?.headers['x-csrf-token']).toBe(ME.csrf_token);
    await userEvent.selectOptions(screen.getByLabelText('Role of t1@example.org'), 'admin');
    const dialog = await screen.findByRole('dialog', { name: 'Make t1@example.org admin?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(patches(calls)).toHaveLength(1);
    expect(screen.getByLabelText('Role of t1@example.org')).toHaveValue('educator');
  });
});

describe('admin: organizations and teams', () => {
  it('adds a school in a district and a team, and adds and removes a team\'s people', async () => {
    let people = { members: [{ id: 'u-1', name: 'Teacher 1', email: 't1@example.org' }], coaches: [] as { id: string; name: string; email: string }[] };
    history.replaceState(null, '', '/admin/organizations');
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ADMIN),
      'GET /api/admin/organizations': () => json(200, { organizations: [DISTRICT, SCHOOL] }),
      'GET /api/admin/teams': () => json(200, { teams: [TEAM] }),
      'POST /api/admin/organizations': () => json(201, { id: 'o-new', name: 'Oak Middle', kind: 'school', parent_id: 'o-d' }),
      'POST /api/admin/teams': () => json(201, { id: 't-2', name: 'Grade 4', organization_id: 'o-s' }),
      'GET /api/admin/teams/t-1/people': () => json(200, people),
      'GET /api/admin/users': () => json(200, { users: [user(2, { email: 'cora@example.org', name: 'Cora', id: 'u-c2', role: 'coach' })], next_after: null }),
      'PUT /api/admin/teams/t-1/coaches/u-c2': () => { people = { ...people, coaches: [{ id: 'u-c2', name: 'Cora', email: 'cora@example.org' }] }; return json(204, null); },
      'DELETE /api/admin/teams/t-1/members/u-1': () => { people = { ...people, members: [] }; return json(204, null); },
    });
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Organizations and teams' }, { timeout: 10000 })).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Name'), 'Oak Middle');
    await waitFor(() => expect(within(screen.getByLabelText('In the district')).getByRole('option', { name: 'River District' })).toBeInTheDocument());
    await userEvent.selectOptions(screen.getByLabelText('In the district'), 'o-d');
    await userEvent.click(screen.getByRole('button', { name: 'Add the organization' }));
    expect(await screen.findByText('School Oak Middle was added.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST' && c.path === '/api/admin/organizations')?.body).toEqual({ name: 'Oak Middle', kind: 'school', parent_id: 'o-d' });

    await userEvent.selectOptions(screen.getByLabelText('School'), 'o-s');
    await userEvent.type(screen.getByLabelText('Team name'), 'Grade 4');
    await userEvent.click(screen.getByRole('button', { name: 'Add the team' }));
    expect(await screen.findByText('Team Grade 4 was added.')).toBeInTheDocument();
    expect(calls.find((c) => c.path === '/api/admin/teams' && c.method === 'POST')?.body).toEqual({ organization_id: 'o-s', name: 'Grade 4' });

    await userEvent.click(screen.getByRole('button', { name: 'People of Grade 3' }));
    const panel = await screen.findByRole('region', { name: 'People of Grade 3' });
    expect(await within(panel).findByText('Teacher 1 (t1@example.org)')).toBeInTheDocument();
    await userEvent.type(within(panel).getByLabelText('Email'), 'cora@example.org');
    await userEvent.selectOptions(within(panel).getByLabelText('as'), 'coaches');
    await userEvent.click(within(panel).getByRole('button', { name: 'Add' }));
    expect(await within(panel).findByText('Cora (cora@example.org)')).toBeInTheDocument();
    await userEvent.click(within(panel).getByRole('button', { name: 'Remove t1@example.org from the members' }));
    await waitFor(() => expect(within(panel).queryByText('Teacher 1 (t1@example.org)')).toBeNull());
    const changes = calls.filter((c) => c.method === 'PUT' || c.method === 'DELETE');
    expect(changes.map((c) => `${c.method} ${c.path}`)).toEqual(['PUT /api/admin/teams/t-1/coaches/u-c2', 'DELETE /api/admin/teams/t-1/members/u-1']);
    expect(changes.every((c) => c.headers['x-csrf-token'] === ME.csrf_token)).toBe(true);
  });

  it('says when nobody has the email to add', async () => {
    history.replaceState(null, '', '/admin/organizations');
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ADMIN),
      'GET /api/admin/organizations': () => json(200, { organizations: [SCHOOL] }),
      'GET /api/admin/teams': () => json(200, { teams: [TEAM] }),
      'GET /api/admin/teams/t-1/people': () => json(200, { members: [], coaches: [] }),
      'GET /api/admin/users': () => json(200, { users: [user(1, { email: 'nobody.else@example.org' })], next_after: null }),
    });
    render(<App />);
    await userEvent.click(await screen.findByRole('button', { name: 'People of Grade 3' }, { timeout: 10000 }));
    const panel = await screen.findByRole('region', { name: 'People of Grade 3' });
    await userEvent.type(within(panel).getByLabelText('Email'), 'nobody@example.org');
    await userEvent.click(within(panel).getByRole('button', { name: 'Add' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Nobody has the email nobody@example.org: add them under Users first.');
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
  });
});

describe('admin: audit log', () => {
  const entry = (id: number, action: string): AuditEntry => ({
    id, at: '2026-05-11T14:03:09.000Z', actor_id: 'u-b', actor_email: 'boss@example.org', action,
    target_type: 'user', target_id: `u-${id}`, ip: '127.0.0.1', detail: { role: 'coach' },
  });

  it('is its own screen, filters by action, actor and target, and pages to older entries', async () => {
    history.replaceState(null, '', '/admin/audit');
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ADMIN),
      'GET /api/admin/audit': (c) => {
        const p = new URL(c.path, 'http://x').searchParams;
        if (p.get('before') === '11') return json(200, { entries: [entry(10, 'user.update')], next_before: null });
        return json(200, { entries: [entry(12, 'user.role'), entry(11, 'user.role')], next_before: 11 });
      },
    });
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Audit log' }, { timeout: 10000 })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Users' })).toBeNull();
    expect(await screen.findByText('u-12')).toBeInTheDocument();
    expect(screen.getAllByText('role: coach')).toHaveLength(2);
    await userEvent.selectOptions(screen.getByLabelText('Action'), 'user');
    await userEvent.type(screen.getByLabelText('By (email)'), 'boss@example.org');
    await userEvent.type(screen.getByLabelText('On (id)'), 'u-12');
    await userEvent.click(screen.getByRole('button', { name: 'Filter' }));
    await waitFor(() => expect(calls.some((c) => c.path.includes('action=user') && c.path.includes('actor=boss%40example.org') && c.path.includes('target=u-12'))).toBe(true));
    const pager = screen.getByRole('navigation', { name: 'Pages of the audit log' });
    await userEvent.click(within(pager).getByRole('button', { name: 'Older entries' }));
    expect(await screen.findByText('u-10')).toBeInTheDocument();
    const older = calls[calls.length - 1];
    expect(older.path).toContain('before=11');
    expect(older.path).toContain('action=user');
    expect(within(pager).getByRole('button', { name: 'Older entries' })).toBeDisabled();
    await userEvent.click(within(pager).getByRole('button', { name: 'Newer entries' }));
    expect(await screen.findByText('u-12')).toBeInTheDocument();
  });

  it('filters by a range of days, and refuses a range that ends before it starts', async () => {
    history.replaceState(null, '', '/admin/audit');
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ADMIN),
      'GET /api/admin/audit': (c) => {
        const p = new URL(c.path, 'http://x').searchParams;
        return json(200, { entries: p.get('from') ? [entry(5, 'share.create')] : [entry(12, 'user.role')], next_before: null });
      },
    });
    render(<App />);
    expect(await screen.findByText('u-12', {}, { timeout: 10000 })).toBeInTheDocument();
    const audits = () => calls.filter((c) => c.path.startsWith('/api/admin/audit')).length;
    const before = audits();
    await userEvent.type(screen.getByLabelText('From (day)'), '2026-05-12');
    await userEvent.type(screen.getByLabelText('To (day)'), '2026-05-01');
    await userEvent.click(screen.getByRole('button', { name: 'Filter' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The first day must not be after the last day.');
    expect(audits()).toBe(before);
    await userEvent.clear(screen.getByLabelText('To (day)'));
    await userEvent.type(screen.getByLabelText('To (day)'), '2026-05-31');
    await userEvent.click(screen.getByRole('button', { name: 'Filter' }));
    expect(await screen.findByText('u-5')).toBeInTheDocument();
    expect(calls[calls.length - 1].path).toMatch(/from=2026-05-12.*to=2026-05-31|to=2026-05-31.*from=2026-05-12/);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('an unknown administration page is "not found", not the users screen', async () => {
    history.replaceState(null, '', '/admin/nothing-here');
    mockServer({ 'GET /api/me': () => json(200, ADMIN) });
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Page not found' }, { timeout: 10000 })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Users' })).toBeNull();
  });
});

describe('admin: content library', () => {
  it('puts failed uploads first and folds the finished ones away', async () => {
    history.replaceState(null, '', '/admin/library');
    const job = (id: string, status: IngestJob['status'], filename: string): IngestJob => ({
      id, status, filename, book_id: null, error: status === 'failed' ? 'no text layer' : null, created_at: '2026-05-11T14:03:09Z',
    });
    mockServer({
      'GET /api/me': () => json(200, ADMIN),
      'GET /api/admin/books': () => json(200, {
        books: [],
        jobs: [job('j1', 'done', 'one.md'), job('j2', 'done', 'two.md'), job('j3', 'failed', 'bad.pdf'), job('j4', 'done', 'three.md')],
      }),
    });
    render(<App />);
    const failed = await screen.findByText('bad.pdf', {}, { timeout: 10000 });
    expect(failed).toBeVisible();
    const folded = screen.getByText('3 finished uploads').closest('details') as HTMLDetailsElement;
    expect(folded.open).toBe(false);
    expect(within(folded).getByText('one.md')).not.toBeVisible();
    // the failure's table comes before the folded list in the page
    expect(failed.compareDocumentPosition(folded) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    await userEvent.click(screen.getByText('3 finished uploads'));
    expect(folded.open).toBe(true);
  });
});
