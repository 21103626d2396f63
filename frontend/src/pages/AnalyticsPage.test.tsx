import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../App';
import { figureText } from './AnalyticsPage';
import { json, ME, mockServer } from '../test/mockServer';
import type { AnalyticsReport } from '../api/types';

const COACH = { ...ME, role: 'coach' as const, email: 'cora@example.org', name: 'Cora Coach' };
const ADMIN = { ...ME, role: 'admin' as const, email: 'boss@example.org', name: 'Boss' };
const TEAM = '00000000-0000-4000-8000-0000000000t1';

const fig = (value: number | null, suppressed = false) => ({ value, suppressed });

function report(kind: 'me' | 'team', over: Partial<AnalyticsReport> = {}): AnalyticsReport {
  return {
    scope: { kind, id: kind === 'me' ? ME.id : TEAM, name: kind === 'me' ? ME.name : 'Grade 3', members: kind === 'me' ? 1 : 7 },
    from: '2026-04-12', to: '2026-05-11', bucket: 'day', min_people: kind === 'me' ? null : 5,
    summary: {
      members: fig(kind === 'me' ? 1 : 7), active_users: fig(kind === 'me' ? 1 : 6), conversations: fig(kind === 'me' ? 3 : 12),
      questions: fig(kind === 'me' ? 4 : 17), questions_per_user_median: fig(3), questions_per_user_p90: fig(3.5),
      answer_ms_avg: fig(2917), answer_ms_p95: fig(12800), ttft_ms_avg: fig(333), ttft_ms_p95: fig(675),
      feedback_up: fig(5), feedback_down: fig(null, kind !== 'me'), flagged: fig(null, kind !== 'me'),
    },
    timeline: [
      { period_start: '2026-05-10', active_users: null, questions: null, conversations: null, suppressed: true },
      { period_start: '2026-05-11', active_users: 6, questions: 10, conversations: 5, suppressed: false },
    ],
    domains: [
      { domain: 'assessment', answers: 10, suppressed: false },
      { domain: 'collaboration', answers: null, suppressed: true },
    ],
    reasons: [{ reason: 'incomplete', count: null, suppressed: true }],
    topics: [{ rank: 1, book: 'Learning by Doing', chapter_number: '3', chapter_title: 'A Results Orientation', citations: 10 }],
    topics_hidden: 2,
    suppressed: kind !== 'me',
    notice: kind !== 'me' ? 'Figures that describe fewer than 5 people are hidden to protect their privacy.' : null,
    ...over,
  };
}

beforeEach(() => history.replaceState(null, '', '/analytics'));

describe('analytics', () => {
  it('formats figures: units, nothing measured, hidden', () => {
    expect(figureText(fig(2917), 'ms')).toBe('2917 ms');
    expect(figureText(fig(12800), 'ms')).toBe('12.8 s');
    expect(figureText(fig(null))).toBe('—');
    expect(figureText(fig(null, true))).toBe('Hidden: fewer than 5 people');
  });

  it('shows an educator her own usage, with a chart, its table and CSV links', async () => {
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ME),
      'GET /api/analytics': () => json(200, report('me')),
    });
    render(<App />);
    expect(await screen.findByRole('heading', { level: 1, name: 'My usage' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'My usage' })).toHaveAttribute('aria-current', 'page');
    const figures = await screen.findByLabelText('Summary');
    expect(within(figures).getByText('Questions').nextSibling).toHaveTextContent('4');
    expect(within(figures).getByText('Answer time (95th percentile)').nextSibling).toHaveTextContent('12.8 s');
    expect(screen.queryByLabelText('Show')).toBeNull();
    expect(calls.filter((c) => c.path.startsWith('/api/analytics/scopes'))).toHaveLength(0);
    expect(calls.find((c) => c.path.startsWith('/api/analytics'))?.path).toBe('/api/analytics?bucket=day');
    // The chart is one labelled image; its numbers are in a table too.
    expect(screen.getByRole('img', { name: 'Answers by domain' })).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Answers by domain' });
    expect(within(table).getByRole('row', { name: 'Assessment 10' })).toBeInTheDocument();
    expect(within(table).getByRole('row', { name: 'Collaboration hidden' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Download CSV: Answers by domain' })).toHaveAttribute('href', '/api/analytics.csv?bucket=day&metric=domains');
    expect(screen.getByRole('link', { name: 'Download CSV: summary' })).toHaveAttribute('href', '/api/analytics.csv?bucket=day&metric=summary');
    expect(screen.getByRole('cell', { name: 'Chapter 3: A Results Orientation' })).toBeInTheDocument();
  });

  it('opens a coach on her team, says what is hidden, and follows the filters', async () => {
    const { calls } = mockServer({
      'GET /api/me': () => json(200, COACH),
      'GET /api/analytics/scopes': () => json(200, { me: { id: COACH.id, name: COACH.name }, teams: [{ id: TEAM, name: 'Grade 3', school: 'Lincoln' }], schools: [], districts: [] }),
      'GET /api/analytics': (c) => json(200, report(c.path.includes('scope=team') ? 'team' : 'me', c.path.includes('bucket=week') ? { bucket: 'week' } : {})),
    });
    render(<App />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Analytics' })).toBeInTheDocument();
    expect(await screen.findByRole('heading', { level: 2, name: /^Team: Grade 3/ })).toBeInTheDocument();
    expect(calls.some((c) => c.path === `/api/analytics?scope=team%3A${TEAM}&bucket=day`)).toBe(true);
    expect(screen.getByLabelText('Show')).toHaveValue(`team:${TEAM}`);
    expect(screen.getByText(/fewer than 5 people are hidden to protect their privacy/)).toBeInTheDocument();
    const figures = screen.getByLabelText('Summary');
    expect(within(figures).getByText('Members').nextSibling).toHaveTextContent('7');
    expect(within(figures).getByText('Not helpful (thumbs down)').nextSibling).toHaveTextContent('Hidden: fewer than 5 people');
    expect(screen.getByText('2 more chapters are hidden: cited for fewer than 5 people.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Download CSV: most cited chapters' }).getAttribute('href'))
      .toBe(`/api/analytics.csv?scope=team%3A${TEAM}&bucket=day&metric=topics`);
    await userEvent.selectOptions(screen.getByLabelText('Periods'), 'week');
    await waitFor(() => expect(calls.some((c) => c.path === `/api/analytics?scope=team%3A${TEAM}&bucket=week`)).toBe(true));
    await userEvent.selectOptions(screen.getByLabelText('Show'), 'me');
    expect(await screen.findByRole('heading', { level: 2, name: /^Your own usage/ })).toBeInTheDocument();
  });

  it('offers an admin every team, school and district', async () => {
    mockServer({
      'GET /api/me': () => json(200, ADMIN),
      'GET /api/analytics/scopes': () => json(200, {
        me: { id: ADMIN.id, name: ADMIN.name }, teams: [{ id: TEAM, name: 'Grade 3', school: 'Lincoln' }],
        schools: [{ id: 's1', name: 'Lincoln', district: 'River' }], districts: [{ id: 'd1', name: 'River' }],
      }),
      'GET /api/analytics': () => json(200, report('me')),
    });
    render(<App />);
    const select = await screen.findByLabelText('Show');
    await waitFor(() => expect(within(select).getAllByRole('option').map((o) => o.textContent))
      .toEqual(['My usage', 'Grade 3 (Lincoln)', 'Lincoln', 'River']));
  });

  it('shows the server\'s refusal', async () => {
    mockServer({
      'GET /api/me': () => json(200, ME),
      'GET /api/analytics': () => json(400, { error: { code: 'invalid_parameter', message: 'a range covers at most 366 days', request_id: 'r' } }),
    });
    render(<App />);
    expect(await screen.findByRole('alert')).toHaveTextContent('a range covers at most 366 days');
  });
});

describe('data rights', () => {
  it('lets anyone download their data from the profile', async () => {
    history.replaceState(null, '', '/profile');
    mockServer({ 'GET /api/me': () => json(200, ME) });
    render(<App />);
    const link = await screen.findByRole('link', { name: 'Download my data' });
    expect(link).toHaveAttribute('href', '/api/me/export');
    expect(link).toHaveAttribute('download');
  });

  it('lets an admin export and erase a user, confirming with the email', async () => {
    history.replaceState(null, '', '/admin/users');
    const user = { id: 'u-ed', email: 'ed@example.org', name: 'Ed', role: 'educator', role_locked: false, organization_id: null, disabled: false, last_login_at: null };
    let users = [user];
    const { calls } = mockServer({
      'GET /api/me': () => json(200, ADMIN),
      'GET /api/admin/users': () => json(200, { users, next_after: null }),
      'DELETE /api/admin/users/u-ed': () => {
        users = [];
        return json(200, { erasure_id: 'e-1', deleted: { conversations: 2 }, files_pending: 0 });
      },
    });
    render(<App />);
    // (the list loads after the search box's 250 ms pause)
    expect(await screen.findByRole('link', { name: 'Export the data of ed@example.org' }, { timeout: 5000 }))
      .toHaveAttribute('href', '/api/admin/users/u-ed/export');
    await userEvent.click(screen.getByRole('button', { name: 'Erase ed@example.org' }));
    const dialog = screen.getByRole('dialog', { name: 'Erase ed@example.org?' });
    const go = within(dialog).getByRole('button', { name: 'Erase' });
    expect(go).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText('Type the email to confirm'), 'ED@example.org');
    expect(go).toBeEnabled();
    await userEvent.click(go);
    expect(await screen.findByText(/ed@example.org was erased\. Erasure id e-1/)).toBeInTheDocument();
    const del = calls.find((c) => c.method === 'DELETE');
    expect(del?.headers['x-csrf-token']).toBe(ME.csrf_token);
  });
});
