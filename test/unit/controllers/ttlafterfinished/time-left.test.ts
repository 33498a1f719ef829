import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { timeLeft } from '../../../../src/controllers/ttlafterfinished/reconciler.js';

const at = (s: string) => Date.parse(s);
const job = (ttl: number | undefined, condition?: { type: string; status: string; lastTransitionTime: string }, deleting = false): KubeObject => ({
  metadata: { name: 'j', ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl },
  status: { conditions: condition ? [condition] : [] },
});

describe('timeLeft', () => {
  const complete = { type: 'Complete', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' };
  it('counts the ttl from the Complete or Failed transition', () => {
    expect(timeLeft(job(60, complete), at('2026-01-01T00:00:30Z'))).toBe(30_000);
    expect(timeLeft(job(60, complete), at('2026-01-01T00:01:00Z'))).toBe(0);
    expect(timeLeft(job(0, { ...complete, type: 'Failed' }), at('2026-01-01T00:00:01Z'))).toBe(-1000);
  });

  it('needs no cleanup without a ttl, unfinished, or already being deleted', () => {
    expect(timeLeft(job(undefined, complete), 0)).toBeUndefined();
    expect(timeLeft(job(60, { ...complete, type: 'FailureTarget' }), 0)).toBeUndefined();
    expect(timeLeft(job(60, { ...complete, status: 'False' }), 0)).toBeUndefined();
    expect(timeLeft(job(60, complete, true), 0)).toBeUndefined();
  });
});
