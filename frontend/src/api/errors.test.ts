import { describe, expect, it } from 'vitest';
import { ApiError } from './client';
import { ERROR_SENTENCES, errorReason, teacherMessage } from './errors';

// Every code the server can put in an error envelope, read from its
// sources (resp_error calls, the coach stream's error event) and from
// the API description, so a new code without a sentence fails here.
const SOURCES = import.meta.glob('../../../src/**/*.c', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const DOCS = import.meta.glob('../../../docs/api.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

function serverCodes(): Set<string> {
  const codes = new Set<string>();
  for (const text of Object.values(SOURCES)) {
    for (const m of text.matchAll(/resp_error\([^,]+,\s*\d{3},\s*"([a-z_]+)"/g)) codes.add(m[1]);
    for (const m of text.matchAll(/json_add_str\(err,\s*"code",\s*"([a-z_]+)"/g)) codes.add(m[1]);
    // resp_db_status()'s table (http/response.c): {status, "code", "message"}.
    for (const m of text.matchAll(/\{\s*[1-5]\d\d,\s*"([a-z_]+)",\s*"/g)) codes.add(m[1]);
  }
  for (const text of Object.values(DOCS)) {
    for (const m of text.matchAll(/\b[1-5]\d\d `([a-z_]+)`/g)) codes.add(m[1]);
  }
  return codes;
}

describe('error sentences', () => {
  it('reads the server\'s codes', () => {
    const codes = serverCodes();
    expect(Object.keys(SOURCES).length).toBeGreaterThan(10);
    for (const c of ['unauthenticated', 'invalid_field', 'rate_limited', 'db_unavailable', 'model_failed', 'library_empty']) {
      expect(codes).toContain(c);
    }
  });

  it('has a teacher\'s sentence for every code the server can send', () => {
    const missing = [...serverCodes()].filter((c) => !(c in ERROR_SENTENCES));
    expect(missing).toEqual([]);
  });

  it('writes each as sentences that say what to do, never the raw code or server message', () => {
    for (const [code, s] of Object.entries(ERROR_SENTENCES)) {
      expect(s, code).toMatch(/^[A-Z].*[.!]$/);
      expect(s, code).not.toContain(code.includes('_') ? code : `\`${code}\``);
      const said = teacherMessage(new ApiError(400, code, 'field "question" must be 1 to 2000 characters long'), 'It failed.');
      expect(said).not.toMatch(/field "question"/);
      expect(said.startsWith('It failed. ')).toBe(true);
    }
  });

  it('falls back on the status for codes without a sentence (a proxy\'s page) and on the network', () => {
    expect(errorReason(new ApiError(502, 'http_502', 'Bad Gateway'))).toBe(ERROR_SENTENCES.db_unavailable);
    expect(errorReason(new ApiError(0, 'network', 'x'))).toBe(ERROR_SENTENCES.network);
    expect(errorReason(new ApiError(500, 'http_500', 'Internal Server Error'))).toBe(ERROR_SENTENCES.internal);
    expect(errorReason(new TypeError('x is undefined'))).not.toMatch(/undefined/);
  });
});
