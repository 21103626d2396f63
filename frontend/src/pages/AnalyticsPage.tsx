// Analytics (issue 14; loaded on demand with its chart library, so the
// initial bundle does not carry them): "My usage" for everyone, the Team
// view for a coach's assigned teams, any team, school or district for an
// admin.  Aggregates only; figures of fewer than five people come back
// hidden from the server and say so here.  Every chart has its data as a
// table beside it and a CSV download.

import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { analyticsCsvUrl, api, ApiError, type AnalyticsQuery } from '../api/client';
import type { AnalyticsFigure, AnalyticsReport, AnalyticsScopes } from '../api/types';
import { useAuth } from '../auth';
import { BarChart, TimeChart, type Datum } from '../components/Charts';
import { REASONS } from '../format';

const DOMAIN_NAMES: Record<string, string> = {
  assessment: 'Assessment',
  collaboration: 'Collaboration',
  leadership: 'Leadership',
  curriculum: 'Curriculum',
  data_analysis: 'Data analysis',
  school_culture: 'School culture',
  student_learning: 'Student learning',
};
const HIDDEN = 'Hidden: fewer than 5 people';

/** A figure as text: its value with a unit, "—" when nothing was
 * measured, or why it is hidden. */
export function figureText(f: AnalyticsFigure | undefined, unit = ''): string {
  if (!f) return '—';
  if (f.suppressed) return HIDDEN;
  if (f.value === null) return '—';
  if (unit === 'ms') return f.value >= 10000 ? `${(f.value / 1000).toFixed(1)} s` : `${Math.round(f.value)} ms`;
  return f.value.toLocaleString();
}

function Figure({ label, children }: { label: string; children: string }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd className={children === HIDDEN ? 'hidden-figure' : undefined}>{children}</dd>
    </div>
  );
}

/** A chart with its data as a table (in a disclosure) and a CSV link. */
function ChartBlock({ title, csv, table, children }: {
  title: string;
  csv: string;
  table: ReactNode;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <figure className="chart-block" aria-labelledby={id}>
      <figcaption id={id}><h2>{title}</h2></figcaption>
      {children}
      <details>
        <summary>Data table: {title}</summary>
        {table}
      </details>
      <p><a href={csv} download>Download CSV: {title}</a></p>
    </figure>
  );
}

function cell(v: number | null, suppressed: boolean): string {
  return suppressed ? 'hidden' : v === null ? '—' : v.toLocaleString();
}

export default function AnalyticsPage() {
  const { user } = useAuth();
  const isEducator = user?.role === 'educator';
  const [scopes, setScopes] = useState<AnalyticsScopes | null>(null);
  const [scope, setScope] = useState<string | null>(isEducator ? 'me' : null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [bucket, setBucket] = useState<'day' | 'week'>('day');
  const [report, setReport] = useState<AnalyticsReport | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);

  // Coaches and admins choose among the groups they may see; a coach
  // starts on the Team view of her first team.
  useEffect(() => {
    if (isEducator) return;
    api.analyticsScopes().then((s) => {
      setScopes(s);
      setScope((cur) => cur ?? (user?.role === 'coach' && s.teams.length > 0 ? `team:${s.teams[0].id}` : 'me'));
    }).catch((e) => {
      setError(e instanceof Error ? e.message : 'The groups could not be loaded.');
      setScope('me');
    });
  }, [isEducator, user?.role]);

  const query: AnalyticsQuery = useMemo(() => ({
    scope: scope ?? 'me', from: from || undefined, to: to || undefined, bucket,
  }), [scope, from, to, bucket]);

  useEffect(() => {
    if (scope === null) return;
    const ctl = new AbortController();
    setLoading(true);
    api.analytics(query, ctl.signal).then((r) => {
      setReport(r);
      setError('');
    }).catch((e) => {
      if (e instanceof DOMException && e.name === 'AbortError') return;
      setReport(null);
      setError(e instanceof ApiError ? e.message : 'The report could not be loaded.');
    }).finally(() => {
      if (!ctl.signal.aborted) setLoading(false);
    });
    return () => ctl.abort();
  }, [query, scope]);

  const title = isEducator ? 'My usage' : 'Analytics';
  const s = report?.summary;
  const group = report && report.scope.kind !== 'me';
  const timeline: Datum[] = (report?.timeline ?? []).map((b) => ({ label: b.period_start, value: b.questions, hidden: b.suppressed }));
  const people: Datum[] = (report?.timeline ?? []).map((b) => ({ label: b.period_start, value: b.active_users, hidden: b.suppressed }));
  const domains: Datum[] = (report?.domains ?? []).map((d) => ({ label: DOMAIN_NAMES[d.domain] ?? d.domain, value: d.answers, hidden: d.suppressed }));
  const reasons: Datum[] = (report?.reasons ?? []).map((r) => ({ label: REASONS.find((x) => x.id === r.reason)?.label ?? r.reason, value: r.count, hidden: r.suppressed }));

  return (
    <div className="page analytics">
      <h1 tabIndex={-1}>{title}</h1>
      <form className="filters" aria-label="Report filters" onSubmit={(e) => e.preventDefault()}>
        {!isEducator && (
          <div className="field">
            <label htmlFor="an-scope">Show</label>
            <select id="an-scope" value={scope ?? 'me'} onChange={(e) => setScope(e.target.value)}>
              <option value="me">My usage</option>
              {scopes && scopes.teams.length > 0 && (
                <optgroup label={user?.role === 'coach' ? 'My teams' : 'Teams'}>
                  {scopes.teams.map((t) => <option key={t.id} value={`team:${t.id}`}>{t.name}{t.school ? ` (${t.school})` : ''}</option>)}
                </optgroup>
              )}
              {scopes && scopes.schools.length > 0 && (
                <optgroup label="Schools">
                  {scopes.schools.map((o) => <option key={o.id} value={`school:${o.id}`}>{o.name}</option>)}
                </optgroup>
              )}
              {scopes && scopes.districts.length > 0 && (
                <optgroup label="Districts">
                  {scopes.districts.map((o) => <option key={o.id} value={`district:${o.id}`}>{o.name}</option>)}
                </optgroup>
              )}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="an-from">From</label>
          <input id="an-from" type="date" value={from || report?.from || ''} max={to || report?.to}
            onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="an-to">To</label>
          <input id="an-to" type="date" value={to || report?.to || ''} min={from || report?.from}
            onChange={(e) => setTo(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="an-bucket">Periods</label>
          <select id="an-bucket" value={bucket} onChange={(e) => setBucket(e.target.value as 'day' | 'week')}>
            <option value="day">Days</option>
            <option value="week">Weeks</option>
          </select>
        </div>
      </form>
      <p role="status" className="status-text">{loading ? 'Loading the report…' : ''}</p>
      {error && <p role="alert" className="error-text">{error}</p>}
      {report && s && (
        <>
          <h2 className="report-title">
            {report.scope.kind === 'me' ? 'Your own usage' : `${report.scope.kind === 'team' ? 'Team' : report.scope.kind === 'school' ? 'School' : 'District'}: ${report.scope.name}`}
            {', '}{report.from} to {report.to}
          </h2>
          {group && (
            <p className="banner info">
              Aggregates only: no one&apos;s questions are shown. Figures that describe fewer than {report.min_people} people are hidden.
            </p>
          )}
          {report.suppressed && report.notice && <p className="banner warn">{report.notice}</p>}
          <dl className="figures" aria-label="Summary">
            {group && <Figure label="Members">{figureText(s.members)}</Figure>}
            <Figure label="Active users">{figureText(s.active_users)}</Figure>
            <Figure label="Conversations">{figureText(s.conversations)}</Figure>
            <Figure label="Questions">{figureText(s.questions)}</Figure>
            <Figure label="Questions per user (median)">{figureText(s.questions_per_user_median)}</Figure>
            <Figure label="Questions per user (90th percentile)">{figureText(s.questions_per_user_p90)}</Figure>
            <Figure label="Answer time (average)">{figureText(s.answer_ms_avg, 'ms')}</Figure>
            <Figure label="Answer time (95th percentile)">{figureText(s.answer_ms_p95, 'ms')}</Figure>
            <Figure label="First words (average)">{figureText(s.ttft_ms_avg, 'ms')}</Figure>
            <Figure label="First words (95th percentile)">{figureText(s.ttft_ms_p95, 'ms')}</Figure>
            <Figure label="Helpful (thumbs up)">{figureText(s.feedback_up)}</Figure>
            <Figure label="Not helpful (thumbs down)">{figureText(s.feedback_down)}</Figure>
            <Figure label="Flagged for review">{figureText(s.flagged)}</Figure>
          </dl>
          <p><a href={analyticsCsvUrl(query, 'summary')} download>Download CSV: summary</a></p>

          <ChartBlock title="Engagement over time" csv={analyticsCsvUrl(query, 'timeline')} table={(
            <table>
              <caption className="visually-hidden">Engagement over time</caption>
              <thead><tr><th scope="col">{report.bucket === 'week' ? 'Week of' : 'Day'}</th><th scope="col">Active users</th><th scope="col">Questions</th><th scope="col">Conversations</th></tr></thead>
              <tbody>
                {report.timeline.map((b) => (
                  <tr key={b.period_start}>
                    <th scope="row">{b.period_start}</th>
                    <td>{cell(b.active_users, b.suppressed)}</td>
                    <td>{cell(b.questions, b.suppressed)}</td>
                    <td>{cell(b.conversations, b.suppressed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}>
            <TimeChart label={`Questions and active users per ${report.bucket}`} bars={timeline} line={people}
              barName="Questions" lineName="Active users" />
          </ChartBlock>

          <ChartBlock title="Answers by domain" csv={analyticsCsvUrl(query, 'domains')} table={(
            <table>
              <caption className="visually-hidden">Answers by domain</caption>
              <thead><tr><th scope="col">Domain</th><th scope="col">Answers</th></tr></thead>
              <tbody>{report.domains.map((d, i) => <tr key={d.domain}><th scope="row">{domains[i].label}</th><td>{cell(d.answers, d.suppressed)}</td></tr>)}</tbody>
            </table>
          )}>
            <BarChart label="Answers by domain" data={domains} valueName="Answers" />
          </ChartBlock>

          <ChartBlock title="Why answers were not helpful" csv={analyticsCsvUrl(query, 'reasons')} table={(
            <table>
              <caption className="visually-hidden">Why answers were not helpful</caption>
              <thead><tr><th scope="col">Reason</th><th scope="col">Thumbs down</th></tr></thead>
              <tbody>{report.reasons.map((r, i) => <tr key={r.reason}><th scope="row">{reasons[i].label}</th><td>{cell(r.count, r.suppressed)}</td></tr>)}</tbody>
            </table>
          )}>
            <BarChart label="Thumbs down by reason" data={reasons} valueName="Thumbs down" />
          </ChartBlock>

          <section aria-labelledby="an-topics" className="chart-block">
            <h2 id="an-topics">Most cited chapters</h2>
            {report.topics.length === 0 ? <p>No chapter to show.</p> : (
              <div>
                <table>
                  <caption className="visually-hidden">Most cited chapters</caption>
                  <thead><tr><th scope="col">Rank</th><th scope="col">Book</th><th scope="col">Chapter</th><th scope="col">Citations</th></tr></thead>
                  <tbody>
                    {report.topics.map((t) => (
                      <tr key={t.rank}>
                        <td>{t.rank}</td>
                        <td>{t.book}</td>
                        <td>{[t.chapter_number ? `Chapter ${t.chapter_number}` : '', t.chapter_title ?? ''].filter(Boolean).join(': ')}</td>
                        <td>{t.citations.toLocaleString()}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {report.topics_hidden > 0 && (
              <p className="status-text">{report.topics_hidden} more {report.topics_hidden === 1 ? 'chapter is' : 'chapters are'} hidden: cited for fewer than 5 people.</p>
            )}
            <p><a href={analyticsCsvUrl(query, 'topics')} download>Download CSV: most cited chapters</a></p>
          </section>
        </>
      )}
    </div>
  );
}
