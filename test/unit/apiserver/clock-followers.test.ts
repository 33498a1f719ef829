// The server's side of clock following: each step waits for every follower to report that it
// settled, a follower's earliest timer becomes a step, and one that leaves is not waited for.
import { describe, expect, it } from 'vitest';
import { ClockFollowers, type ClockLine } from '../../../src/apiserver/clock-followers.js';
import { advanceSettling } from '../../../src/apiserver/clock-endpoint.js';
import { VirtualClock } from '../../../src/controllers/runtime/clock.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('ClockFollowers', () => {
  it('sends the time on joining, and a sync waits for the report of that step', async () => {
    const f = new ClockFollowers();
    const lines: ClockLine[] = [];
    const m = f.join(new Date(T0), (l) => lines.push(l));
    expect(lines).toEqual([{ id: m.id, now: '2026-01-01T00:00:00.000Z', step: 0 }]);
    let synced = false;
    const p = f.sync(new Date(T0 + 1000)).then(() => (synced = true));
    await new Promise((r) => setImmediate(r));
    expect(lines[1]).toEqual({ now: '2026-01-01T00:00:01.000Z', step: 1 });
    expect(synced).toBe(false);
    expect(f.report(m.id, { step: 0 })).toBe(true); // an older step does not settle this one
    await new Promise((r) => setImmediate(r));
    expect(synced).toBe(false);
    f.report(m.id, { step: 1, nextTimerAt: '2026-01-01T00:05:00.000Z' });
    await p;
    expect(f.nextTimerAt()).toBe(T0 + 5 * 60_000);
  });

  it('stops waiting for a follower that leaves, and forgets its timers', async () => {
    const f = new ClockFollowers();
    const m = f.join(new Date(T0), () => {});
    f.report(m.id, { nextTimerAt: '2026-01-01T00:01:00.000Z' });
    const p = f.sync(new Date(T0));
    m.leave();
    await p;
    expect(f.nextTimerAt()).toBeUndefined();
    expect(f.report(m.id, { step: 1 })).toBe(false);
  });

  it('a sync with no followers returns at once', async () => {
    await new ClockFollowers().sync(new Date(T0));
  });
});

describe('advanceSettling with followers', () => {
  it("steps through a follower's timers, each followed by its report", async () => {
    const clock = new VirtualClock(T0);
    const f = new ClockFollowers();
    const seen: string[] = [];
    let id = '';
    // A follower with timers every 10 minutes that reports its next one after each step (the
    // first step, at the start, lets it react to what was written just before the advance).
    const nextAfter = (iso: string) => new Date(Date.parse(iso) + 10 * 60_000 - (Date.parse(iso) % (10 * 60_000))).toISOString();
    id = f.join(clock.now(), (l) => {
      if (l.id) return;
      seen.push(l.now);
      queueMicrotask(() => f.report(id, { step: l.step, nextTimerAt: nextAfter(l.now) }));
    }).id;
    f.report(id, { nextTimerAt: '2026-01-01T00:10:00.000Z' });
    await advanceSettling(clock, 35 * 60_000, { followers: f });
    expect(seen).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T00:10:00.000Z', '2026-01-01T00:20:00.000Z', '2026-01-01T00:30:00.000Z', '2026-01-01T00:35:00.000Z']);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:35:00.000Z');
  });
});
