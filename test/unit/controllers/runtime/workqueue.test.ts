import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/controllers/runtime/clock.js';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
} from '../../../../src/controllers/runtime/rate-limiter.js';
import { WorkQueue } from '../../../../src/controllers/runtime/workqueue.js';
import { flush } from './fake-client.js';

describe('ItemExponentialFailureRateLimiter', () => {
  it('doubles per failure from 5ms, caps at 1000s, and forget resets', () => {
    const rl = new ItemExponentialFailureRateLimiter<string>();
    const delays = Array.from({ length: 6 }, () => rl.when('a'));
    expect(delays).toEqual([5, 10, 20, 40, 80, 160]);
    expect(rl.when('b')).toBe(5);
    expect(rl.numRequeues('a')).toBe(6);
    for (let i = 0; i < 100; i++) rl.when('a');
    expect(rl.when('a')).toBe(1_000_000);
    rl.forget('a');
    expect(rl.numRequeues('a')).toBe(0);
    expect(rl.when('a')).toBe(5);
  });
});

describe('BucketRateLimiter', () => {
  it('allows a burst of 100, then 10 per second', () => {
    const clock = new VirtualClock(0);
    const rl = new BucketRateLimiter<string>({ clock });
    for (let i = 0; i < 100; i++) expect(rl.when(`x${i}`)).toBe(0);
    expect(rl.when('y')).toBeCloseTo(100);
    expect(rl.when('z')).toBeCloseTo(200);
    clock.advance(1000); // ten tokens back, two of them owed: 8 left
    for (let i = 0; i < 8; i++) expect(rl.when(`w${i}`)).toBeCloseTo(0);
    expect(rl.when('v')).toBeCloseTo(100);
  });
});

describe('defaultControllerRateLimiter', () => {
  it('takes the larger of the per-item and the overall delay', () => {
    const clock = new VirtualClock(0);
    const rl = defaultControllerRateLimiter<string>(clock);
    expect(rl.when('a')).toBe(5);
    expect(rl.when('a')).toBe(10);
    for (let i = 0; i < 98; i++) rl.when(`i${i}`);
    // bucket exhausted: the 101st token costs 100ms, more than b's 5ms
    expect(rl.when('b')).toBeCloseTo(100);
    expect(rl.numRequeues('a')).toBe(2);
  });
});

describe('WorkQueue', () => {
  const newQueue = () => {
    const clock = new VirtualClock(0);
    return { clock, q: new WorkQueue<string>({ clock }) };
  };

  it('deduplicates items waiting in the queue and keeps order', async () => {
    const { q } = newQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('holds an item added while it is processing until done, then queues it once', async () => {
    const { q } = newQueue();
    q.add('a');
    const item = await q.get();
    q.add('a');
    q.add('a');
    expect(q.len()).toBe(0); // not handed to a second worker
    q.done(item!);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe('a');
    q.done('a');
    expect(q.len()).toBe(0);
  });

  it('wakes a waiting get when an item arrives', async () => {
    const { q } = newQueue();
    const p = q.get();
    q.add('x');
    expect(await p).toBe('x');
    q.add('x'); // processing: held
    expect(q.len()).toBe(0);
  });

  it('addAfter waits on the clock; the earliest of repeated addAfters wins', async () => {
    const { clock, q } = newQueue();
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 500);
    clock.advance(49);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(q.len()).toBe(1);
    clock.advance(1000);
    expect(q.len()).toBe(1);
    q.addAfter('b', 0);
    expect(q.len()).toBe(2);
  });

  it('addRateLimited backs off exponentially per item until forget', async () => {
    const { clock, q } = newQueue();
    const arrivals: number[] = [];
    for (let i = 0; i < 4; i++) {
      q.addRateLimited('a');
      const start = clock.now().getTime();
      while (q.len() === 0) clock.advance(1);
      arrivals.push(clock.now().getTime() - start);
      q.done((await q.get())!);
    }
    expect(arrivals).toEqual([5, 10, 20, 40]);
    expect(q.numRequeues('a')).toBe(4);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
  });

  it('shutDown wakes waiting workers with undefined, drains queued items, cancels delayed ones', async () => {
    const { clock, q } = newQueue();
    const waiting = q.get();
    q.shutDown();
    expect(await waiting).toBeUndefined();

    const r = newQueue();
    r.q.add('a');
    r.q.add('b');
    r.q.addAfter('c', 10);
    const a = await r.q.get();
    r.q.add('a'); // dirty while processing
    r.q.shutDown();
    r.q.add('d'); // ignored
    r.clock.advance(100);
    expect(await r.q.get()).toBe('b');
    r.q.done(a!); // still requeued so a drain sees it
    expect(await r.q.get()).toBe('a');
    expect(await r.q.get()).toBeUndefined();
    expect(clock.pendingTimers()).toBe(0);
    await flush(1);
  });
});
