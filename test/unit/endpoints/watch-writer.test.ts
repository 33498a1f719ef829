// The watch stream's writer: events queued in one turn go out as one write, in order; a stream
// over its byte limit is cut off; end() sends what is queued first, abandon() drops it; and the
// response sink frames each flush as one valid HTTP/1.1 chunk that a client decodes.
import { request, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkedSink, frameChunk, WatchWriter, type WatchSink } from '../../../src/apiserver/endpoints/handlers/watch-writer.js';

class FakeSink implements WatchSink {
  writes: string[] = [];
  ended = false;
  destroyed = false;
  writableLength = 0;
  write(events: readonly Buffer[], bytes: number): void {
    const text = Buffer.concat(events as Buffer[]).toString();
    expect(Buffer.byteLength(text)).toBe(bytes);
    this.writes.push(text);
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

type Step = { send: string } | 'flush' | 'end' | 'abandon' | { backlog: number };

const cases: Array<{ name: string; max?: number; steps: Step[]; writes: string[]; flushesScheduled: number; ended?: boolean; destroyed?: boolean; overflows?: number }> = [
  { name: 'one event, one write', steps: [{ send: 'a\n' }, 'flush'], writes: ['a\n'], flushesScheduled: 1 },
  { name: 'events of one turn share one write, in order', steps: [{ send: 'a\n' }, { send: 'b\n' }, { send: 'c\n' }, 'flush'], writes: ['a\nb\nc\n'], flushesScheduled: 1 },
  { name: 'each turn schedules its own flush', steps: [{ send: 'a\n' }, 'flush', { send: 'b\n' }, 'flush', 'flush'], writes: ['a\n', 'b\n'], flushesScheduled: 2 },
  { name: 'end sends what is queued, then ends', steps: [{ send: 'a\n' }, 'end', { send: 'b\n' }, 'flush'], writes: ['a\n'], flushesScheduled: 1, ended: true },
  { name: 'abandon drops what is queued', steps: [{ send: 'a\n' }, 'abandon', 'flush'], writes: [], flushesScheduled: 1 },
  { name: 'a queue over the limit is cut off', max: 3, steps: [{ send: 'ab\n' }, { send: 'c\n' }, 'flush'], writes: [], flushesScheduled: 1, destroyed: true, overflows: 1 },
  { name: 'a socket backlog over the limit after a flush is cut off', max: 10, steps: [{ send: 'a\n' }, { backlog: 11 }, 'flush', { send: 'b\n' }, 'flush'], writes: ['a\n'], flushesScheduled: 1, destroyed: true, overflows: 1 },
];

describe('WatchWriter', () => {
  it.each(cases)('$name', (c) => {
    const sink = new FakeSink();
    let scheduled = 0;
    let overflows = 0;
    const writer = new WatchWriter(sink, { maxPendingBytes: c.max ?? 1024, onOverflow: () => overflows++, schedule: () => scheduled++ });
    for (const step of c.steps) {
      if (step === 'flush') writer.flush();
      else if (step === 'end') writer.end();
      else if (step === 'abandon') writer.abandon();
      else if ('backlog' in step) sink.writableLength = step.backlog;
      else writer.send(Buffer.from(step.send));
    }
    expect(sink.writes).toEqual(c.writes);
    expect(scheduled).toBe(c.flushesScheduled);
    expect(sink.ended).toBe(c.ended ?? false);
    expect(sink.destroyed).toBe(c.destroyed ?? false);
    expect(overflows).toBe(c.overflows ?? 0);
  });
});

describe('chunkedSink', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    // Three flushes (one of two events, one with a multi-byte character), then the end.
    server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      const writer = new WatchWriter(chunkedSink(res), { maxPendingBytes: 1 << 20, onOverflow: () => undefined, schedule: () => undefined });
      writer.send(Buffer.from('{"n":1}\n'));
      writer.send(Buffer.from('{"n":2}\n'));
      writer.flush();
      writer.send(Buffer.from('{"n":"é"}\n'));
      writer.flush();
      writer.send(Buffer.from('{"n":4}\n'));
      writer.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('frames every flush as a chunk an HTTP client decodes, and ends the body', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      request(`http://127.0.0.1:${port}/`, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve(text));
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
    expect(body).toBe('{"n":1}\n{"n":2}\n{"n":"é"}\n{"n":4}\n');
  });
});

describe('frameChunk', () => {
  const a = Buffer.from('{"n":1}\n');
  const b = Buffer.from('{"n":"é"}\n');
  it.each([
    { name: 'one event', events: [a], text: '8\r\n{"n":1}\n\r\n' },
    { name: 'two events, size in bytes (é is two) and in hex', events: [a, b], text: '13\r\n{"n":1}\n{"n":"é"}\n\r\n' },
  ])('$name', ({ events, text }) => {
    const bytes = events.reduce((n, e) => n + e.length, 0);
    expect(frameChunk(events, bytes).toString()).toBe(text);
  });

  it('shares the frame between queues of the same event buffers, not between different ones', () => {
    const first = frameChunk([a, b], a.length + b.length);
    expect(frameChunk([a, b], a.length + b.length)).toBe(first);
    expect(frameChunk([a, Buffer.from(b)], a.length + b.length)).not.toBe(first);
    expect(frameChunk([a], a.length)).not.toBe(first);
  });
});
