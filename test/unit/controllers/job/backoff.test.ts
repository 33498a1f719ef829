import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { backoffDelay, emptyBackoff, nextBackoff, remainingBackoff } from '../../../../src/controllers/job/backoff.js';

/** A pod whose only container finished at `sec` seconds. */
const finished = (sec: number, exitCode: number): KubeObject => ({
  metadata: { name: `p${sec}` },
  status: { phase: exitCode ? 'Failed' : 'Succeeded', containerStatuses: [{ name: 'c', state: { terminated: { exitCode, finishedAt: new Date(sec * 1000).toISOString() } } }] },
});

describe('backoff', () => {
  it.each([
    [0, 0],
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [6, 320_000],
    [7, 360_000],
    [50, 360_000],
  ])('after %i failures waits %i ms', (n, want) => {
    expect(backoffDelay(n)).toBe(want);
  });

  it('counts from the last failure and resets on success', () => {
    let r = nextBackoff(emptyBackoff, [], []);
    expect(r).toBe(emptyBackoff);
    r = nextBackoff(r, [], [finished(1, 1)]);
    expect(r).toEqual({ failuresAfterLastSuccess: 1, lastFailureAt: 1000 });
    expect(remainingBackoff(r.failuresAfterLastSuccess, r.lastFailureAt, 1000)).toBe(10_000);
    expect(remainingBackoff(r.failuresAfterLastSuccess, r.lastFailureAt, 6000)).toBe(5000);
    r = nextBackoff(r, [], [finished(20, 1)]);
    expect(remainingBackoff(r.failuresAfterLastSuccess, r.lastFailureAt, 20_000)).toBe(20_000);
    r = nextBackoff(r, [finished(25, 0)], []);
    expect(r).toEqual({ failuresAfterLastSuccess: 0 });
    expect(remainingBackoff(r.failuresAfterLastSuccess, r.lastFailureAt, 25_000)).toBe(0);
  });

  it('keeps only the failures after the latest new success', () => {
    const r = nextBackoff({ failuresAfterLastSuccess: 3, lastFailureAt: 0 }, [finished(10, 0)], [finished(5, 1), finished(12, 1), finished(14, 2)]);
    expect(r).toEqual({ failuresAfterLastSuccess: 2, lastFailureAt: 14_000 });
  });

  it('waits the whole delay for a failure stamped in the future', () => {
    expect(remainingBackoff(1, 50_000, 10_000)).toBe(10_000);
  });
});
