import { afterEach, describe, expect, it } from 'vitest';
import { redactShareTokens, reportClientError } from './client';
import { json, mockServer } from '../test/mockServer';

afterEach(() => history.replaceState(null, '', '/'));

describe('client error reports', () => {
  it('never carry a share token, in the path, the message or the stack', async () => {
    const token = 'f'.repeat(64);
    history.replaceState(null, '', `/shared/${token}`);
    const { calls } = mockServer({ 'POST /api/client-errors': () => json(202, { accepted: true }) });
    reportClientError(`render failed on /shared/${token}`, `Error\n    at http://localhost/shared/${token}:1:2`);
    await new Promise((r) => setTimeout(r, 0));
    const body = calls.find((c) => c.path === '/api/client-errors')?.body as Record<string, string>;
    expect(JSON.stringify(body)).not.toContain(token);
    expect(body.url).toBe('/shared/[redacted]');
    expect(body.message).toBe('render failed on /shared/[redacted]');
    expect(body.stack).toContain('at http://localhost/shared/[redacted]');
  });

  it('redacts only share links', () => {
    expect(redactShareTokens('/c/123')).toBe('/c/123');
    expect(redactShareTokens('/api/conversations/1/shares')).toBe('/api/conversations/1/shares');
    expect(redactShareTokens('/SHARED//abc?x=1')).toBe('/SHARED//[redacted]?x=1');
  });
});
