import { describe, expect, it } from 'vitest';
import { parseDuration, VirtualClock } from '../../../../src/controllers/runtime/clock.js';

describe('parseDuration', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['1h30m', 90 * 60_000],
    ['45s', 45_000],
    ['2d', 2 * 86_400_000],
    ['1.5s', 1500],
    ['300ms', 300],
    ['1d2h3m4s5ms', 86_400_000 + 7_200_000 + 180_000 + 4000 + 5],
    ['-2m', -120_000],
    ['+3s', 3000],
    ['0', 0],
    ['.5h', 1_800_000],
    ['1500us', 1.5],
    ['2000000ns', 2],
  ])('%s = %d ms', (input, ms) => {
    expect(parseDuration(input)).toBeCloseTo(ms, 9);
  });

  it.each(['', '5', '1x', 'h', '1h 30m', '--1s', '1h30', 'abc'])('rejects %j', (input) => {
    expect(() => parseDuration(input)).toThrow(/duration/);
  });
});

describe('VirtualClock', () => {
  it('stands still until told, and fires timers in due order at their due time', () => {
    const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'));
    const fired: [string, string][] = [];
    clock.setTimeout(() => fired.push(['b', clock.now().toISOString()]), 200);
    clock.setTimeout(() => fired.push(['a', clock.now().toISOString()]), 100);
    clock.setTimeout(() => fired.push(['c', clock.now().toISOString()]), 200);
    expect(fired).toEqual([]);
    clock.advance(150);
    expect(fired).toEqual([['a', '2026-01-01T00:00:00.100Z']]);
    clock.advance(50);
    expect(fired.map(([n]) => n)).toEqual(['a', 'b', 'c']);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.200Z');
  });

  it('fires timers scheduled by fired callbacks inside the window, not beyond it', () => {
    const clock = new VirtualClock(0);
    const at: number[] = [];
    const tick = (): void => {
      at.push(clock.now().getTime());
      clock.setTimeout(tick, 30);
    };
    clock.setTimeout(tick, 30);
    clock.advance(100);
    expect(at).toEqual([30, 60, 90]);
    expect(clock.now().getTime()).toBe(100);
    expect(clock.pendingTimers()).toBe(1);
    expect(clock.nextTimerAt()?.getTime()).toBe(120);
  });

  it('background timers fire in passing but are not steps (nextTimerAt skips them)', () => {
    const clock = new VirtualClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('heartbeat'), 10, { background: true });
    clock.setTimeout(() => fired.push('step'), 50);
    expect(clock.nextTimerAt()?.getTime()).toBe(50);
    clock.advance(60);
    expect(fired).toEqual(['heartbeat', 'step']);
    clock.setTimeout(() => fired.push('heartbeat'), 10, { background: true });
    expect(clock.nextTimerAt()).toBeUndefined();
    expect(clock.pendingTimers()).toBe(1);
  });

  it('clearTimeout cancels; advanceTo moves to a date; backwards advance throws', () => {
    const clock = new VirtualClock(1000);
    let fired = false;
    const h = clock.setTimeout(() => (fired = true), 10);
    clock.clearTimeout(h);
    clock.advanceTo(new Date(5000));
    expect(fired).toBe(false);
    expect(clock.now().getTime()).toBe(5000);
    expect(() => clock.advanceTo(new Date(10))).toThrow(RangeError);
  });

  it('set jumps either way; timers due at the new time fire seeing it', () => {
    const clock = new VirtualClock(0);
    const seen: number[] = [];
    clock.setTimeout(() => seen.push(clock.now().getTime()), 10);
    clock.setTimeout(() => seen.push(clock.now().getTime()), 20);
    clock.set(new Date(15));
    expect(seen).toEqual([15]);
    clock.set(new Date(5));
    expect(seen).toEqual([15]);
    clock.advance(15);
    expect(seen).toEqual([15, 20]);
  });

  it('sleep resolves when the clock passes it', async () => {
    const clock = new VirtualClock(0);
    let woke = false;
    const p = clock.sleep(1000).then(() => (woke = true));
    clock.advance(999);
    await Promise.resolve();
    expect(woke).toBe(false);
    clock.advance(1);
    await p;
    expect(woke).toBe(true);
  });
});
