// Decoding a chunked watch body: lines split anywhere (even inside a UTF-8 character), ERROR
// events delivered, an undecodable line reported rather than dropped, and how `done` settles.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { WatchEvent } from '../../../src/clients/interfaces.js';
import { consumeWatch, LineSplitter } from '../../../src/clients/watch-stream.js';

function open() {
  const body = new PassThrough();
  let cancelled = 0;
  const events: WatchEvent[] = [];
  return { body, events, cancelled: () => cancelled, res: { status: 200, headers: {}, body, cancel: () => void cancelled++ } };
}

const line = (type: string, name: string) => `${JSON.stringify({ type, object: { metadata: { name } } })}\n`;

describe('LineSplitter', () => {
  it('keeps a partial line and a split UTF-8 character until the rest arrives', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('{"a":"é"}\n{"b"', 'utf8');
    const cut = bytes.indexOf(0xa9); // the second byte of é
    expect(s.push(bytes.subarray(0, cut))).toEqual([]);
    expect(s.push(bytes.subarray(cut))).toEqual(['{"a":"é"}']);
    expect(s.push(':1}\r\n\n')).toEqual(['{"b":1}']);
    expect(s.push('{"tail":true}')).toEqual([]);
    expect(s.end()).toEqual(['{"tail":true}']);
  });
});

describe('consumeWatch', () => {
  it('delivers events split across chunks and resolves done when the server ends', async () => {
    const w = open();
    const stream = consumeWatch(w.res, (ev) => w.events.push(ev));
    const text = line('ADDED', 'a') + line('MODIFIED', 'a') + line('ERROR', 'status');
    for (let i = 0; i < text.length; i += 7) w.body.write(text.slice(i, i + 7));
    w.body.end(line('DELETED', 'a').trimEnd());
    await stream.done;
    expect(w.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'MODIFIED a', 'ERROR status', 'DELETED a']);
  });

  it('reports an undecodable line as an ERROR event and stops', async () => {
    const w = open();
    const stream = consumeWatch(w.res, (ev) => w.events.push(ev));
    w.body.write(`not json\n${line('ADDED', 'late')}`);
    await stream.done;
    expect(w.events).toHaveLength(1);
    expect(w.events[0]).toMatchObject({ type: 'ERROR', object: { code: 500, reason: 'InternalError' } });
    expect(String(w.events[0]!.object.message)).toMatch(/unable to decode an event/);
    expect(w.cancelled()).toBe(1);
  });

  it('rejects done on a connection error', async () => {
    const w = open();
    const stream = consumeWatch(w.res, (ev) => w.events.push(ev));
    // Cut off inside the second event: its half line is not reported as an undecodable event.
    w.body.write(line('ADDED', 'a') + '{"type":"MOD');
    w.body.destroy(new Error('socket hang up'));
    await expect(stream.done).rejects.toThrow(/socket hang up/);
    expect(w.events).toHaveLength(1);
  });

  it('stops and rejects done when the callback throws', async () => {
    const w = open();
    const stream = consumeWatch(w.res, () => {
      throw new Error('handler broke');
    });
    w.body.write(line('ADDED', 'a') + line('ADDED', 'b'));
    await expect(stream.done).rejects.toThrow(/handler broke/);
    expect(w.cancelled()).toBe(1);
  });

  it('resolves done on stop() and delivers nothing after it', async () => {
    const w = open();
    const stream = consumeWatch(w.res, (ev) => w.events.push(ev));
    stream.stop();
    w.body.write(line('ADDED', 'a'));
    await stream.done;
    expect(w.events).toEqual([]);
  });
});
