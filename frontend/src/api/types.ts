// Shapes of the JSON the server sends (docs/openapi.yaml is the source of
// truth; only the fields the web app reads are listed).

export type Role = 'educator' | 'coach' | 'admin';

export interface Organization {
  id: string;
  name: string;
  kind: 'district' | 'school';
  parent?: { id: string; name: string } | null;
}

export interface Profile {
  id: string;
  email: string;
  name: string;
  role: Role;
  organization: Organization | null;
  created_at?: string;
  last_login_at?: string | null;
  /** the account has a local password */
  has_password?: boolean;
  /** the account has a single sign-on identity */
  single_sign_on?: boolean;
}

export interface Provider {
  id: string;
  name: string;
  kind: 'password' | 'oidc';
  login_url?: string;
}

export interface ConversationSummary {
  id: string;
  title: string;
  preview: string;
  created_at: string;
  updated_at: string;
  message_count: number;
  archived: boolean;
  archived_at: string | null;
}

export interface Citation {
  n: number;
  chunk_id: string;
  book: { title: string; authors: string[] };
  chapter: { number: string | number | null; title: string | null };
  pages: { start: string | number; end: string | number };
  quote: string;
}

export type FeedbackReason = 'inaccurate' | 'incomplete' | 'not_relevant' | 'missing_citations' | 'other';

export interface Feedback {
  message_id: string;
  rating: 'up' | 'down';
  reasons: FeedbackReason[];
  comment: string | null;
  flagged: boolean;
  resolved_at: string | null;
  /** the administrator's note when the flag was resolved */
  resolution_note?: string | null;
}

export interface Message {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  citations: Citation[];
  domains?: string[];
  mode?: 'llm' | 'extractive' | null;
  grounded?: boolean | null;
  created_at?: string;
  feedback?: Feedback | null;
  /** what kind of reply an assistant message is (null for questions);
   * `error`: the answer could not be finished and `content` says why */
  type?: 'answer' | 'clarification' | 'refusal' | 'error' | null;
  /** of a failure: `db_unavailable`, `cancelled` */
  error_code?: string | null;
  /** of a question with no reply after it: being answered, or interrupted
   * (its answer will not come; it can be asked again in place) */
  answer_state?: 'pending' | 'interrupted' | null;
  /** a clarifying question's choices, as first shown */
  clarification?: { question: string; choices: string[] } | null;
}

export interface Conversation extends ConversationSummary {
  messages: Message[];
}

export interface Share {
  id: string;
  created_at: string;
  expires_at: string | null;
  revoked: boolean;
  revoked_at: string | null;
  /** true: the link shows the conversation as it grows; false: a snapshot */
  live: boolean;
  active: boolean;
}

export interface NewShare {
  id: string;
  token: string;
  url: string;
  created_at: string;
  expires_at: string | null;
  live: boolean;
}

export interface SharedConversation {
  title: string;
  messages: Message[];
  shared_by: { name: string };
  created_at: string;
  expires_at: string | null;
  live: boolean;
}

export interface CoachAnswer {
  type: 'answer' | 'clarification' | 'refusal';
  mode: 'llm' | 'extractive';
  answer: string;
  citations: Citation[];
  clarification?: { question: string; choices: string[] } | null;
  domains: string[];
  conversation_id: string;
  message_id: string;
  grounded?: boolean;
  notice?: string;
}

export interface CoachMeta {
  conversation_id: string;
  message_id?: string;
  user_message_id?: string;
  domains?: string[];
  mode?: 'llm' | 'extractive';
  type?: CoachAnswer['type'];
}

export interface AdminUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  role_locked: boolean;
  organization_id: string | null;
  disabled: boolean;
  last_login_at: string | null;
  /** signs in through single sign-on only: no sign-in link */
  sso_only?: boolean;
}

/** A one-time sign-in link (POST /api/admin/users and .../sign-in-link). */
export interface SignInLink {
  sign_in_link: string;
  expires_at: string;
}

export interface Book {
  id: string;
  title: string;
  authors: string[];
  format: string;
  sample: boolean;
  page_count: number;
  chapter_count: number;
  chunk_count: number;
  created_at: string;
}

export interface IngestJob {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  filename: string;
  book_id: string | null;
  error: string | null;
  created_at: string;
  finished_at?: string | null;
}

export interface FlaggedFeedback {
  message_id: string;
  /** the answer's conversation, only when it is the reading admin's own */
  conversation_id?: string | null;
  status: 'open' | 'resolved';
  rating: 'up' | 'down';
  reasons: FeedbackReason[];
  comment: string | null;
  flagged_at: string;
  flagged_by: { id: string; name: string; email: string };
  resolved_at: string | null;
  resolved_by: { id: string; name: string } | null;
  resolution_note: string | null;
  question: { id: string; content: string; created_at: string } | null;
  /** the flag outlived its answer: what was deleted (the answer and
   * question shown are the copies kept with the flag) */
  deleted?: 'conversation' | 'answer' | null;
  answer: Message;
}

/** An export of a conversation (POST /api/conversations/{id}/exports). */
export type ExportFormat = 'pdf' | 'md' | 'txt';
export interface ConversationExport {
  id: string;
  format: ExportFormat;
  status: 'queued' | 'running' | 'done' | 'failed';
  url: string | null;
  expires_at: string;
  created_at?: string;
  filename?: string;
  bytes?: number | null;
  error?: string | null;
}

/** A citation opened as its pages (GET /api/messages/{id}/citations/{n}). */
export interface CitationPages {
  n: number;
  label: string;
  quote: string;
  book: { title: string };
  source: 'pdf' | 'text' | 'passage';
  notice: string | null;
  pages: { index: number; label: string; text: string; image: string }[];
}

// ---- analytics (GET /api/analytics) ----------------------------------------

export type AnalyticsKind = 'me' | 'team' | 'school' | 'district';

/** A figure: null when hidden (suppressed) or when there is nothing to measure. */
export interface AnalyticsFigure {
  value: number | null;
  suppressed: boolean;
}

export interface AnalyticsReport {
  scope: { kind: AnalyticsKind; id: string; name: string; members: number };
  from: string;
  to: string;
  bucket: 'day' | 'week';
  min_people: number | null;
  summary: Record<string, AnalyticsFigure>;
  timeline: { period_start: string; active_users: number | null; questions: number | null; conversations: number | null; suppressed: boolean }[];
  domains: { domain: string; answers: number | null; suppressed: boolean }[];
  reasons: { reason: string; count: number | null; suppressed: boolean }[];
  topics: { rank: number; book: string; chapter_number: string | null; chapter_title: string | null; citations: number }[];
  topics_hidden: number;
  suppressed: boolean;
  notice: string | null;
}

export interface AnalyticsScopes {
  me: { id: string; name: string };
  teams: { id: string; name: string; school: string | null }[];
  schools: { id: string; name: string; district: string | null }[];
  districts: { id: string; name: string }[];
}

export interface Erasure {
  erasure_id: string;
  deleted: Record<string, number>;
  files_pending: number;
}

/** An organization as the administration lists it. */
export interface AdminOrg {
  id: string;
  name: string;
  kind: 'district' | 'school';
  parent_id: string | null;
  source?: string;
  user_count?: number;
  team_count?: number;
}

/** A team as the administration lists it. */
export interface AdminTeam {
  id: string;
  name: string;
  organization_id: string;
  member_count?: number;
  coaches?: { id: string; name: string }[];
}

export interface TeamPerson {
  id: string;
  name: string;
  email: string;
}

export interface TeamPeople {
  members: TeamPerson[];
  coaches: TeamPerson[];
}

export interface AuditEntry {
  id: number;
  at: string;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditFilter {
  action: string;
  actor: string;
  target: string;
  /** first and last day (YYYY-MM-DD, UTC, both included); '' for open */
  from: string;
  to: string;
}

/** What a share link's recipient is told before signing in. */
export interface SharedAbout {
  title: string;
  shared_by: { name: string };
  created_at: string;
  expires_at: string | null;
  live: boolean;
}
