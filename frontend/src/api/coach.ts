// Asking the coach: POST /api/coach/ask with Accept: text/event-stream,
// read as server-sent events (meta, citation, delta, done, error).  A
// server that answers with one JSON document instead is handled too.

import { ApiError, errorFromResponse, requestHeaders, signalSessionEnded } from './client';
import { readSse } from './sse';
import type { CoachAnswer, CoachMeta, Citation } from './types';

/** How one ask is sent. */
export interface AskOptions {
  /** the question's Idempotency-Key: a retry of the same question sends
   * the same key, so the server returns the first outcome or answers the
   * saved question again instead of asking it twice */
  key?: string;
  /** answer this saved question (of conversationId) again, in place */
  retryOf?: string;
}

/** A fresh Idempotency-Key for a question. */
export function newQuestionKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

export interface AskHandlers {
  onMeta?: (meta: CoachMeta) => void;
  onCitation?: (c: Citation) => void;
  onDelta?: (text: string) => void;
  /** The model failed after text was streamed: that text is withdrawn and
   * the library's quoted answer follows (its citations, then done with a
   * notice; docs/api.md). */
  onModelFailed?: (message: string) => void;
}

/** Streams one answer; resolves to the final document (the `done` event,
 * whose answer text replaces what was streamed).  Rejects with ApiError:
 * status 0 for a network failure or a stream that ended without `done`,
 * the HTTP status for an error answer (429 carries retryAfter), and the
 * `error` event's code with status 500.  An abort rejects with the
 * AbortError DOMException. */
export async function askCoach(
  question: string,
  conversationId: string | null,
  handlers: AskHandlers,
  signal?: AbortSignal,
  opts: AskOptions = {},
): Promise<CoachAnswer> {
  const body: Record<string, string> = { question };
  if (conversationId) body.conversation_id = conversationId;
  if (opts.retryOf) body.retry_of = opts.retryOf;
  const extra: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'text/event-stream' };
  if (opts.key) extra['Idempotency-Key'] = opts.key;
  let res: Response;
  try {
    res = await fetch('/api/coach/ask', {
      method: 'POST',
      credentials: 'same-origin',
      headers: requestHeaders('POST', extra),
      body: JSON.stringify(body),
      signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The connection was lost before the coach answered.');
  }
  if (!res.ok) {
    const err = await errorFromResponse(res);
    if (err.status === 401) signalSessionEnded();
    throw err;
  }
  const type = res.headers.get('Content-Type') ?? '';
  if (!type.includes('text/event-stream') || !res.body) {
    const doc = (await res.json()) as CoachAnswer;
    handlers.onMeta?.({ conversation_id: doc.conversation_id, message_id: doc.message_id, mode: doc.mode, type: doc.type, domains: doc.domains });
    return doc;
  }
  try {
    for await (const ev of readSse(res.body, signal)) {
      if (signal?.aborted) break;
      let data: unknown;
      try {
        data = JSON.parse(ev.data);
      } catch {
        continue; // a malformed event is skipped, never shown
      }
      switch (ev.event) {
        case 'meta':
          handlers.onMeta?.(data as CoachMeta);
          break;
        case 'citation':
          handlers.onCitation?.(data as Citation);
          break;
        case 'delta':
          handlers.onDelta?.((data as { text?: string }).text ?? '');
          break;
        case 'done':
          return data as CoachAnswer;
        case 'error': {
          // The server's error envelope {error: {code, message}}.
          const env = data as { error?: { code?: string; message?: string }; code?: string; message?: string };
          const err = env.error ?? env;
          if (err.code === 'model_failed') {
            handlers.onModelFailed?.(err.message ?? '');
            break;
          }
          throw new ApiError(500, err.code ?? 'coach_error', err.message ?? 'The coach could not answer.');
        }
        default:
          break;
      }
    }
  } catch (e) {
    if (e instanceof ApiError) throw e;
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    if (signal?.aborted) throw new DOMException('Aborted', 'AbortError');
    throw new ApiError(0, 'network', 'The connection was lost while the answer was streaming.');
  }
  if (signal?.aborted) throw new DOMException('Aborted', 'AbortError');
  throw new ApiError(0, 'network', 'The connection was lost while the answer was streaming.');
}
