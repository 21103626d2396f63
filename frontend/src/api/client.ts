// The HTTP client: same-origin fetch with the session cookie, JSON bodies,
// the CSRF token on every state change, and the server's error envelope
// turned into an ApiError.

import type {
  AdminOrg, AdminTeam, AdminUser, AnalyticsReport, AuditEntry, AuditFilter, SharedAbout, TeamPeople, AnalyticsScopes, Book, CitationPages, Conversation,
  ConversationExport, ConversationSummary, Erasure, ExportFormat, Feedback, FeedbackReason,
  FlaggedFeedback, IngestJob, NewShare, Profile, Provider, Role, Share, SharedConversation,
  SignInLink,
} from './types';

let csrfToken = '';

/** Remembers the session's CSRF token (from sign-in or GET /api/me). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token ?? '';
}

export function getCsrfToken(): string {
  return csrfToken;
}

/** A failed request: the HTTP status, the envelope's code and message, and
 * for 429 the seconds of Retry-After. status 0 means the network failed. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryAfter: number | null;
  constructor(status: number, code: string, message: string, retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export function isNetworkError(e: unknown): boolean {
  return e instanceof ApiError && e.status === 0;
}

/** Reads an error response into an ApiError. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  let code = 'http_' + res.status;
  let message = res.statusText || 'The request failed.';
  try {
    const body = await res.json();
    if (body && body.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
    }
  } catch {
    // not JSON: keep the status line
  }
  const ra = res.headers.get('Retry-After');
  const retryAfter = ra !== null && /^\d+$/.test(ra) ? Number(ra) : null;
  return new ApiError(res.status, code, message, retryAfter);
}

/** Tells the app that the session ended (a 401 from a signed-in call):
 * it shows the sign-in screen, saying why, and comes back to this page. */
export function signalSessionEnded(): void {
  window.dispatchEvent(new Event('plc:unauthenticated'));
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Headers for a request: CSRF on state changes. */
export function requestHeaders(method: string, extra?: Record<string, string>): Record<string, string> {
  const h: Record<string, string> = { Accept: 'application/json', ...extra };
  if (STATE_CHANGING.has(method) && csrfToken) h['X-CSRF-Token'] = csrfToken;
  return h;
}

/** One request; resolves to the parsed JSON (undefined for 204). */
export async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', signal };
  if (body !== undefined) {
    init.headers = requestHeaders(method, { 'Content-Type': 'application/json' });
    init.body = JSON.stringify(body);
  } else {
    init.headers = requestHeaders(method);
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The server could not be reached. Check your connection.');
  }
  if (!res.ok) {
    const err = await errorFromResponse(res);
    // The session ended (30 minutes idle, or signed out elsewhere): the
    // app shows the sign-in screen.
    if (err.status === 401 && !path.startsWith('/api/auth/') && path !== '/api/me') signalSessionEnded();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  }
  const s = u.toString();
  return s ? '?' + s : '';
}

// ---- sign-in and profile -------------------------------------------------

export const api = {
  providers: () => request<{ providers: Provider[] }>('GET', '/api/auth/providers'),
  login: (email: string, password: string) =>
    request<{ user: Profile; csrf_token: string }>('POST', '/api/auth/login', { email, password }),
  signInWithLink: (token: string) =>
    request<{ user: Profile; csrf_token: string }>('POST', '/api/auth/link', { token }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  me: () => request<Profile & { csrf_token: string }>('GET', '/api/me'),
  updateMe: (name: string) => request<Profile>('PATCH', '/api/me', { name }),
  setPassword: (newPassword: string, currentPassword?: string) =>
    request<void>('PUT', '/api/me/password', currentPassword
      ? { current_password: currentPassword, new_password: newPassword }
      : { new_password: newPassword }),

  // ---- conversations --------------------------------------------------------
  conversations: (opts: { q?: string; archived?: 'true' | 'false' | 'all'; cursor?: string | null; limit?: number }) =>
    request<{ conversations: ConversationSummary[]; next_cursor: string | null }>(
      'GET', '/api/conversations' + qs({ q: opts.q, archived: opts.archived, cursor: opts.cursor, limit: opts.limit })),
  conversation: (id: string) => request<Conversation>('GET', `/api/conversations/${encodeURIComponent(id)}`),
  updateConversation: (id: string, patch: { title?: string; archived?: boolean }) =>
    request<ConversationSummary>('PATCH', `/api/conversations/${encodeURIComponent(id)}`, patch),
  deleteConversation: (id: string) => request<void>('DELETE', `/api/conversations/${encodeURIComponent(id)}`),

  // ---- feedback -----------------------------------------------------------
  feedback: (messageId: string, body: { rating: 'up' | 'down'; reasons?: FeedbackReason[]; comment?: string; flag?: boolean }) =>
    request<Feedback>('POST', `/api/messages/${encodeURIComponent(messageId)}/feedback`, body),

  // ---- shares -------------------------------------------------------------
  shares: (id: string) => request<{ shares: Share[] }>('GET', `/api/conversations/${encodeURIComponent(id)}/shares`),
  /** live: the link shows the conversation as it grows, not a snapshot */
  createShare: (id: string, expiresInDays: number | null, live = false) =>
    request<NewShare>('POST', `/api/conversations/${encodeURIComponent(id)}/shares`,
      { ...(expiresInDays ? { expires_in_days: expiresInDays } : {}), ...(live ? { live: true } : {}) }),
  revokeShare: (id: string, shareId: string) =>
    request<void>('DELETE', `/api/conversations/${encodeURIComponent(id)}/shares/${encodeURIComponent(shareId)}`),
  shared: (token: string) => request<SharedConversation>('GET', `/api/shared/${encodeURIComponent(token)}`),
  /** who shared what, until when: told to a recipient who is not signed in */
  sharedAbout: (token: string) => request<SharedAbout>('GET', `/api/shared/${encodeURIComponent(token)}/about`),
  /** copies a shared conversation into the caller's own history */
  copyShared: (token: string) =>
    request<{ conversation_id: string }>('POST', `/api/shared/${encodeURIComponent(token)}/copy`),

  // ---- exports and cited pages (token: through a share link) -----------------
  createExport: (conversationId: string, format: ExportFormat, token?: string) =>
    request<ConversationExport>('POST', token
      ? `/api/shared/${encodeURIComponent(token)}/exports`
      : `/api/conversations/${encodeURIComponent(conversationId)}/exports`, { format }),
  exportStatus: (id: string, token?: string) =>
    request<ConversationExport>('GET', token
      ? `/api/shared/${encodeURIComponent(token)}/exports/${encodeURIComponent(id)}`
      : `/api/exports/${encodeURIComponent(id)}`),
  citationPages: (messageId: string, n: number, token?: string) =>
    request<CitationPages>('GET', (token ? `/api/shared/${encodeURIComponent(token)}` : '/api')
      + `/messages/${encodeURIComponent(messageId)}/citations/${n}`),

  // ---- administration ----------------------------------------------------
  users: (q: string, after?: string | null) =>
    request<{ users: AdminUser[]; next_after: string | null }>('GET', '/api/admin/users' + qs({ q, after, limit: 50 })),
  createUser: (body: { email: string; name: string; role: Role }) =>
    request<SignInLink & { user: Profile }>('POST', '/api/admin/users', body),
  userSignInLink: (id: string) =>
    request<SignInLink>('POST', `/api/admin/users/${encodeURIComponent(id)}/sign-in-link`),
  setRole: (id: string, role: Role) => request<Profile>('PATCH', `/api/admin/users/${encodeURIComponent(id)}`, { role }),
  updateUser: (id: string, change: { disabled?: boolean; organization_id?: string | null }) =>
    request<Profile>('PATCH', `/api/admin/users/${encodeURIComponent(id)}`, change),
  orgs: () => request<{ organizations: AdminOrg[] }>('GET', '/api/admin/organizations'),
  createOrg: (body: { name: string; kind: 'district' | 'school'; parent_id?: string }) =>
    request<AdminOrg>('POST', '/api/admin/organizations', body),
  teams: () => request<{ teams: AdminTeam[] }>('GET', '/api/admin/teams'),
  createTeam: (body: { organization_id: string; name: string }) => request<AdminTeam>('POST', '/api/admin/teams', body),
  teamPeople: (id: string) => request<TeamPeople>('GET', `/api/admin/teams/${encodeURIComponent(id)}/people`),
  setTeamPerson: (teamId: string, userId: string, as: 'members' | 'coaches', add: boolean) =>
    request<void>(add ? 'PUT' : 'DELETE', `/api/admin/teams/${encodeURIComponent(teamId)}/${as}/${encodeURIComponent(userId)}`),
  audit: (f: AuditFilter, before?: number | null) =>
    request<{ entries: AuditEntry[]; next_before: number | null }>('GET', '/api/admin/audit'
      + qs({ action: f.action || undefined, actor: f.actor || undefined, target: f.target || undefined,
        from: f.from || undefined, to: f.to || undefined, before: before ?? undefined, limit: 50 })),
  books: () => request<{ books: Book[]; jobs: IngestJob[] }>('GET', '/api/admin/books'),
  job: (id: string) => request<IngestJob>('GET', `/api/admin/jobs/${encodeURIComponent(id)}`),
  deleteJob: (id: string) => request<void>('DELETE', `/api/admin/jobs/${encodeURIComponent(id)}`),
  deleteBook: (id: string) => request<void>('DELETE', `/api/admin/books/${encodeURIComponent(id)}`),
  flagged: (status: 'open' | 'resolved' | 'all') =>
    request<{ feedback: FlaggedFeedback[]; next_cursor: string | null }>('GET', '/api/admin/feedback' + qs({ status })),
  resolveFlag: (messageId: string, note: string) =>
    request<FlaggedFeedback>('POST', `/api/admin/feedback/${encodeURIComponent(messageId)}/resolve`, note ? { note } : {}),
  eraseUser: (id: string) => request<Erasure>('DELETE', `/api/admin/users/${encodeURIComponent(id)}`),

  // ---- analytics -------------------------------------------------------------
  analytics: (q: AnalyticsQuery, signal?: AbortSignal) =>
    request<AnalyticsReport>('GET', '/api/analytics' + analyticsQs(q), undefined, signal),
  analyticsScopes: () => request<AnalyticsScopes>('GET', '/api/analytics/scopes'),
};

/** What an analytics report asks for (the server's defaults when absent). */
export interface AnalyticsQuery {
  scope?: string;
  from?: string;
  to?: string;
  bucket?: 'day' | 'week';
}

export function analyticsQs(q: AnalyticsQuery, metric?: string): string {
  return qs({ scope: q.scope && q.scope !== 'me' ? q.scope : undefined, from: q.from, to: q.to, bucket: q.bucket, metric });
}

/** Where a table of a report downloads as CSV (a plain link: the session
 * cookie goes with it). */
export function analyticsCsvUrl(q: AnalyticsQuery, metric: 'summary' | 'timeline' | 'domains' | 'reasons' | 'topics'): string {
  return '/api/analytics.csv' + analyticsQs(q, metric);
}

/** The data exports (a ZIP download through a plain link). */
export const MY_EXPORT_URL = '/api/me/export';
export function userExportUrl(id: string): string {
  return `/api/admin/users/${encodeURIComponent(id)}/export`;
}

/** Uploads a book as a multipart form (file + metadata); 202 with a job. */
export async function uploadBook(file: File, meta: { title?: string; authors?: string }): Promise<{ id: string; status: string; filename: string }> {
  const form = new FormData();
  form.append('file', file, file.name);
  if (meta.title) form.append('title', meta.title);
  if (meta.authors) form.append('authors', meta.authors);
  let res: Response;
  try {
    res = await fetch('/api/admin/books', {
      method: 'POST', credentials: 'same-origin', headers: requestHeaders('POST'), body: form,
    });
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached. Check your connection.');
  }
  if (!res.ok) throw await errorFromResponse(res);
  return res.json();
}

/** Replaces the token of every share link in s ("/shared/TOKEN") with
 * "[redacted]": error reports go to the server's log, which must never
 * hold one (the server redacts too). */
export function redactShareTokens(s: string): string {
  return s.replace(/(\/shared\/+)[^/?#&\s"'{]+/gi, '$1[redacted]');
}

/** Best effort: tells the server about a browser error (never throws). */
export function reportClientError(message: string, stack?: string): void {
  try {
    void fetch('/api/client-errors', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        message: redactShareTokens(message).slice(0, 2000),
        url: redactShareTokens(location.pathname).slice(0, 2000),
        stack: stack === undefined ? undefined : redactShareTokens(stack).slice(0, 8000),
      }),
    }).catch(() => undefined);
  } catch {
    // ignore
  }
}
