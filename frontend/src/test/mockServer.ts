// A fetch() stand-in for component tests: routes by method and path to
// handlers, records every call (with headers and body), and helps build
// JSON and server-sent-event responses, including streams the test feeds
// by hand to watch intermediate states.

import { vi } from 'vitest';

export interface Call {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

type Handler = (call: Call) => Response | Promise<Response>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A text/event-stream response and the functions that feed it. */
export function manualStream(): { response: Response; push: (s: string) => void; close: () => void; fail: () => void } {
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start(c) { ctrl = c; } });
  const enc = new TextEncoder();
  return {
    response: new Response(stream, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    push: (s) => ctrl.enqueue(enc.encode(s)),
    close: () => ctrl.close(),
    fail: () => ctrl.error(new TypeError('network error')),
  };
}

export function sseResponse(events: string[]): Response {
  const enc = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      for (const e of events) c.enqueue(enc.encode(e));
      c.close();
    },
  });
  return new Response(stream, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

export function mockServer(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const method = (init?.method ?? 'GET').toUpperCase();
    const path = url.replace(/^https?:\/\/[^/]+/, '');
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => { headers[k.toLowerCase()] = v; });
    let body: unknown = init?.body;
    if (typeof body === 'string') {
      try { body = JSON.parse(body); } catch { /* leave as text */ }
    }
    const call = { method, path, headers, body };
    calls.push(call);
    const bare = path.split('?')[0];
    const handler = routes[`${method} ${path}`] ?? routes[`${method} ${bare}`];
    if (!handler) return json(404, { error: { code: 'not_found', message: `no mock for ${method} ${path}`, request_id: 't' } });
    return handler(call);
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}

export const ME = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'teacher@example.org',
  name: 'Terry Teacher',
  role: 'educator' as const,
  organization: { id: '00000000-0000-4000-8000-0000000000aa', name: 'Lincoln Elementary', kind: 'school' as const, parent: { id: 'x', name: 'River District' } },
  csrf_token: 'a'.repeat(64),
};

export const CITATION = {
  n: 1,
  chunk_id: '00000000-0000-4000-8000-0000000000c1',
  book: { title: 'Learning by Doing', authors: ['Richard DuFour', 'Rebecca DuFour'] },
  chapter: { number: '3', title: 'Creating a Results Orientation' },
  pages: { start: '45', end: '47' },
  quote: 'A common formative assessment is given by every member of the team.',
};
