import { describe, expect, it } from 'vitest';
import { SseParser, readSse } from './sse';

describe('SseParser', () => {
  it('assembles events split across arbitrary chunk boundaries', () => {
    const p = new SseParser();
    const text = 'event: delta\ndata: {"text":"Hel"}\n\nevent: delta\ndata: {"text":"lo"}\n\n';
    const out = [];
    for (const ch of text) out.push(...p.push(ch));
    expect(out).toEqual([
      { event: 'delta', data: '{"text":"Hel"}' },
      { event: 'delta', data: '{"text":"lo"}' },
    ]);
  });

  it('handles CRLF and CR line ends, a CRLF split between chunks, comments and multi-line data', () => {
    const p = new SseParser();
    const out = [
      ...p.push(': keep-alive\r\nevent: meta\r'),
      ...p.push('\ndata: a\rdata: b\r\n\r\n'),
    ];
    expect(out).toEqual([{ event: 'meta', data: 'a\nb' }]);
  });

  it('defaults the event name to message and ignores events without data', () => {
    const p = new SseParser();
    expect(p.push('event: ping\n\ndata:x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('flushes a final event that lacks the blank line on finish()', () => {
    const p = new SseParser();
    expect(p.push('event: done\ndata: {}')).toEqual([]);
    expect(p.finish()).toEqual([{ event: 'done', data: '{}' }]);
  });
});

describe('readSse', () => {
  it('decodes UTF-8 split inside a character', async () => {
    const bytes = new TextEncoder().encode('data: caf\u00e9 \u2014 ok\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (const b of bytes) c.enqueue(new Uint8Array([b]));
        c.close();
      },
    });
    const got = [];
    for await (const ev of readSse(stream)) got.push(ev);
    expect(got).toEqual([{ event: 'message', data: 'caf\u00e9 \u2014 ok' }]);
  });
});
