// What a teacher reads when a request fails: every error code the server
// can send (the `error.code` of its envelope, docs/api.md "Errors", and
// the coach stream's `error` event), and the client's own (`network`,
// `http_NNN` for an answer without the envelope), mapped to a sentence
// that says what happened and what to do next.  The server's own message
// is for developers and logs; it never reaches the page.

import { ApiError } from './client';

const TRY_AGAIN_SOON = 'Wait a minute and try again; if it keeps happening, tell your administrator.';
const FIX_INPUT = 'Check what you entered and try again.';
const RELOAD = 'Reload the page and try again.';

/** Why it failed and what to do, by the server's error code. */
export const ERROR_SENTENCES: Record<string, string> = {
  // the request itself
  bad_request: `The request was not understood. ${FIX_INPUT}`,
  bad_query: 'The search could not be read. Use plain words, and check any quotation marks.',
  invalid_field: `Something in it is not allowed. ${FIX_INPUT}`,
  invalid_parameter: `The page asked for something the server does not accept. ${RELOAD}`,
  malformed_json: `The page sent something the server could not read. ${RELOAD}`,
  missing_field: `Something required is missing. ${FIX_INPUT}`,
  unknown_field: `The page is out of date. ${RELOAD}`,
  method_not_allowed: `The page is out of date. ${RELOAD}`,
  payload_too_large: 'It is too large to send. Make it shorter, or choose a smaller file.',
  unsupported_media_type: 'That kind of file is not supported. Choose a PDF, EPUB, Markdown or text file.',
  headers_too_large: 'Your browser sent more than the server accepts. Sign out, sign in again, and try again.',
  uri_too_long: `The address is longer than the server accepts. ${RELOAD}`,
  invalid_header: `The page sent something the server does not accept. ${RELOAD}`,
  not_an_answer: 'Only the coach\'s answers can be rated, not your own questions.',
  // who you are and what you may do
  unauthenticated: 'Your session has ended. Sign in again to continue.',
  bad_credentials: 'That email address and password do not match. Check them and try again.',
  too_many_attempts: 'There have been too many sign-in attempts. Wait 15 minutes and try again.',
  forbidden: 'Your account does not have access to this. Ask your administrator if you need it.',
  csrf: `Your session's security check did not match, usually because you signed in again in another tab. ${RELOAD}`,
  bad_origin: `The request came from a page PLC Coach does not recognise. Open PLC Coach from its usual address and try again.`,
  sso_account: 'You sign in through your school\'s single sign-on, so your password is managed there, not here.',
  email_in_use: 'Someone already has an account with this email address. Use another address, or find that account in the list.',
  link_invalid: 'This sign-in link has expired or was already used. Ask your administrator for a new one.',
  provider_unavailable: 'The sign-in service could not be reached. Wait a minute and try again.',
  // the thing asked about
  not_found: 'It no longer exists, or it was deleted, or the link is wrong. Go back to your conversations and choose another.',
  gone: 'This link has expired. Ask for a new one.',
  conflict: `Someone changed this at the same time. ${RELOAD}`,
  invalid: `That cannot be done to this item as it is now. ${RELOAD}`,
  in_progress: 'The coach is still answering this question. Wait a few seconds; the answer will appear in the conversation.',
  conversation_deleted: 'This conversation was deleted while the coach was answering, so the answer was not kept.',
  job_not_failed: 'Only a failed job can be deleted. Wait for this one to finish.',
  already_resolved: 'Another administrator has already resolved this flag. Reload the list to see their note.',
  not_ready: 'It is not ready yet. Wait a few seconds and try again.',
  library_empty: 'The library has no books yet, so the coach has nothing to answer from. Ask an administrator to add books.',
  rate_limited: 'You have reached the limit for now. Wait a while and try again.',
  // the service
  internal: `Something went wrong on the server. ${TRY_AGAIN_SOON}`,
  db_unavailable: `The service is busy or restarting. ${TRY_AGAIN_SOON}`,
  server_busy: 'Every part of the coach is answering other teachers right now. Wait a few seconds and try again.',
  storage_unavailable: `File storage is not answering. ${TRY_AGAIN_SOON}`,
  storage_full: 'The server\'s file storage is full. Tell your administrator.',
  cancelled: 'The server stopped this because it was shutting down. Try again.',
  export_failed: `The server could not make the file. ${TRY_AGAIN_SOON}`,
  export_too_large: 'This conversation is too long to export in one file. Try Markdown or plain text, or share it instead.',
  render_failed: 'The page could not be drawn. Open the quoted passage instead.',
  render_timeout: 'Drawing the page took too long. Wait a minute and try again, or open the quoted passage instead.',
  model_failed: 'The AI writer stopped partway. Ask again; the coach can also quote the library directly.',
  coach_error: `The coach could not finish the answer. ${TRY_AGAIN_SOON}`,
  // the client's own
  network: 'The connection was lost. Check your internet connection and try again.',
};

/** By HTTP status, for a code not in the table (an answer from a proxy). */
function byStatus(status: number): string {
  if (status === 0) return ERROR_SENTENCES.network;
  if (status === 401) return ERROR_SENTENCES.unauthenticated;
  if (status === 403) return ERROR_SENTENCES.forbidden;
  if (status === 404) return ERROR_SENTENCES.not_found;
  if (status === 413) return ERROR_SENTENCES.payload_too_large;
  if (status === 429) return ERROR_SENTENCES.rate_limited;
  if (status === 502 || status === 503 || status === 504) return ERROR_SENTENCES.db_unavailable;
  if (status >= 500) return ERROR_SENTENCES.internal;
  return `The request was not accepted. ${RELOAD}`;
}

/** Why a request failed and what to do next, in a teacher's words. */
export function errorReason(e: unknown): string {
  if (e instanceof ApiError) return ERROR_SENTENCES[e.code] ?? byStatus(e.status);
  return `Something went wrong in this page. ${RELOAD}`;
}

/** "What failed" followed by why and what to do next: `what` is a short
 * sentence such as "The link could not be created." */
export function teacherMessage(e: unknown, what: string): string {
  return `${what} ${errorReason(e)}`;
}
