import { describe, expect, it } from 'vitest';
import { backoffDelay, emptyBackoff, observeBackoff, remainingBackoff } from '../../../../src/controllers/job/backoff.js';

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
    let r = observeBackoff(emptyBackoff, 0, 0, 0);
    expect(remainingBackoff(r, 0)).toBe(0);
    r = observeBackoff(r, 1, 0, 1000);
    expect(remainingBackoff(r, 1000)).toBe(10_000);
    expect(remainingBackoff(r, 6000)).toBe(5000);
    r = observeBackoff(r, 1, 0, 6000); // nothing new
    expect(remainingBackoff(r, 6000)).toBe(5000);
    r = observeBackoff(r, 2, 0, 20_000);
    expect(remainingBackoff(r, 20_000)).toBe(20_000);
    r = observeBackoff(r, 2, 1, 25_000);
    expect(r.consecutiveFailures).toBe(0);
    expect(remainingBackoff(r, 25_000)).toBe(0);
  });
});
