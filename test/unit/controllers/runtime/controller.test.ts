import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/controllers/runtime/clock.js';
import { Controller } from '../../../../src/controllers/runtime/controller.js';
import { TerminalError, type Request, type Result } from '../../../../src/controllers/runtime/reconcile.js';
import { ApiError } from '../../../../src/clients/interfaces.js';
import { flush } from './fake-client.js';

type Step = Result | void | Error;

/** A reconciler that answers from a script per request and records when it ran. */
function scripted(clock: VirtualClock, script: Record<string, Step[]>) {
  const calls: [string, number][] = [];
  return {
    calls,
    reconciler: {
      async reconcile(req: Request): Promise<Result | void> {
        const key = req.namespace ? `${req.namespace}/${req.name}` : req.name;
        calls.push([key, clock.now().getTime()]);
        const step = script[key]?.shift();
        if (step instanceof Error) throw step;
        return step;
      },
    },
  };
}

async function run(clock: VirtualClock, ms: number, step = 1): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(step);
    await flush(2);
  }
}

describe('Controller', () => {
  it('retries an error with per-item backoff and forgets on success', async () => {
    const clock = new VirtualClock(0);
    const { calls, reconciler } = scripted(clock, { 'ns/a': [new Error('1'), new Error('2'), new Error('3'), undefined] });
    const errors: unknown[] = [];
    const c = new Controller({ name: 't', reconciler, clock, onError: (e) => errors.push(e) });
    await c.start();
    c.enqueue({ namespace: 'ns', name: 'a' });
    await flush();
    await run(clock, 100);
    expect(calls).toEqual([
      ['ns/a', 0],
      ['ns/a', 5],
      ['ns/a', 15],
      ['ns/a', 35],
    ]);
    expect(errors).toHaveLength(3);
    expect(c.queue.numRequeues('ns/a')).toBe(0);
    await c.stop();
  });

  it('honours requeueAfter, resetting the backoff; requeue: true backs off', async () => {
    const clock = new VirtualClock(0);
    const { calls, reconciler } = scripted(clock, {
      a: [new Error('x'), { requeueAfter: 50 }, { requeue: true }, undefined],
    });
    const c = new Controller({ name: 't', reconciler, clock, onError: () => {} });
    await c.start();
    c.enqueue({ name: 'a' });
    await flush();
    await run(clock, 100);
    // error at 0 -> 5ms; requeueAfter at 5 -> 55 (forgot: next backoff starts at 5ms) -> 60
    expect(calls).toEqual([
      ['a', 0],
      ['a', 5],
      ['a', 55],
      ['a', 60],
    ]);
    await c.stop();
  });

  it('does not retry a TerminalError', async () => {
    const clock = new VirtualClock(0);
    const { calls, reconciler } = scripted(clock, { a: [new TerminalError('bad spec')] });
    const c = new Controller({ name: 't', reconciler, clock, onError: () => {} });
    await c.start();
    c.enqueue({ name: 'a' });
    await flush();
    await run(clock, 2000, 100);
    expect(calls).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
    await c.stop();
  });

  it('neither reports nor retries a create refused in a terminating namespace', async () => {
    const clock = new VirtualClock(0);
    const refused = new ApiError(403, 'Forbidden', 'jobs.batch "x" is forbidden: unable to create new content in namespace ns because it is being terminated', {
      details: { causes: [{ reason: 'NamespaceTerminating', message: 'namespace ns is being terminated', field: 'metadata.namespace' }] },
    });
    const { calls, reconciler } = scripted(clock, { 'ns/a': [refused] });
    const reported: unknown[] = [];
    const c = new Controller({ name: 't', reconciler, clock, onError: (e) => reported.push(e) });
    await c.start();
    c.enqueue({ namespace: 'ns', name: 'a' });
    await flush();
    await run(clock, 2000, 100);
    expect(calls).toHaveLength(1);
    expect(reported).toEqual([]);
    await c.stop();
  });

  it('never runs one request on two workers at once, and collapses repeats', async () => {
    const clock = new VirtualClock(0);
    let active = 0;
    let maxActive = 0;
    const seen: string[] = [];
    const gates: (() => void)[] = [];
    const c = new Controller({
      name: 't',
      clock,
      workers: 3,
      reconciler: {
        async reconcile(req) {
          seen.push(req.name);
          if (req.name === 'a') {
            active++;
            maxActive = Math.max(maxActive, active);
            await new Promise<void>((r) => gates.push(r));
            active--;
          }
        },
      },
    });
    await c.start();
    c.enqueue({ name: 'a' });
    await flush();
    c.enqueue({ name: 'a' });
    c.enqueue({ name: 'a' });
    c.enqueue({ name: 'b' });
    await flush();
    expect(maxActive).toBe(1);
    expect(seen).toEqual(['a', 'b']);
    gates.shift()!();
    await flush();
    expect(seen).toEqual(['a', 'b', 'a']);
    gates.shift()!();
    await flush();
    expect(maxActive).toBe(1);
    await c.stop();
  });

  it('stop waits for in-flight reconciles and ends the workers', async () => {
    const clock = new VirtualClock(0);
    let finished = false;
    let release!: () => void;
    const c = new Controller({
      name: 't',
      clock,
      reconciler: {
        async reconcile() {
          await new Promise<void>((r) => (release = r));
          finished = true;
        },
      },
    });
    await c.start();
    c.enqueue({ name: 'a' });
    await flush();
    const stopped = c.stop();
    await flush();
    expect(finished).toBe(false);
    release();
    await stopped;
    expect(finished).toBe(true);
    expect(() => new Controller({ name: 'x', clock, reconciler: { reconcile: async () => {} }, workers: 0 })).toThrow(/workers/);
  });
});
