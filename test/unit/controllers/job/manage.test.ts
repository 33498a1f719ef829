import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { parseIndexes } from '../../../../src/controllers/job/intervals.js';
import { activePodsForRemoval, pendingIndexes, wantActive } from '../../../../src/controllers/job/manage.js';
import { countUncounted, type Counters } from '../../../../src/controllers/job/tracking.js';

const pod = (name: string, index?: number, created = '2026-01-01T00:00:00Z'): KubeObject => ({
  metadata: { name, creationTimestamp: created, ...(index === undefined ? {} : { annotations: { 'batch.kubernetes.io/job-completion-index': String(index) } }) },
  status: { phase: 'Running' },
});

describe('wantActive', () => {
  it.each([
    [{ parallelism: 3, completions: 5, succeeded: 0, active: 0 }, 3],
    [{ parallelism: 3, completions: 5, succeeded: 4, active: 1 }, 1],
    [{ parallelism: 3, completions: 5, succeeded: 6, active: 0 }, 0],
    // Without completions: parallelism until a success, then whatever still runs.
    [{ parallelism: 3, completions: null, succeeded: 0, active: 1 }, 3],
    [{ parallelism: 3, completions: null, succeeded: 1, active: 2 }, 2],
  ])('%o -> %i', (opts, want) => {
    expect(wantActive(opts)).toBe(want);
  });
});

describe('activePodsForRemoval', () => {
  it('removes newer pods first', () => {
    const pods = [pod('old'), pod('new', undefined, '2026-01-01T00:00:09Z')];
    expect(activePodsForRemoval({ pods, atLeast: 1, completions: 2, indexed: false }).map((p) => p.metadata.name)).toEqual(['new']);
  });

  it('in Indexed mode removes pods without a valid index and repeats of an index', () => {
    const pods = [pod('a0', 0), pod('b0', 0, '2026-01-01T00:00:05Z'), pod('x'), pod('big', 7), pod('c1', 1)];
    const rm = activePodsForRemoval({ pods, atLeast: 0, completions: 3, indexed: true }).map((p) => p.metadata.name);
    expect(rm.sort()).toEqual(['b0', 'big', 'x']);
  });
});

describe('pendingIndexes', () => {
  it('skips succeeded, failed and busy indexes', () => {
    const indexes = pendingIndexes({ count: 3, completions: 8, succeeded: parseIndexes('0,2', 8), failed: parseIndexes('3', 8), busy: [pod('p', 1), pod('q', 5)] });
    expect(indexes).toEqual([4, 6, 7]);
  });
});

describe('countUncounted', () => {
  it('counts the uids whose pod no longer has the finalizer', () => {
    const status: Counters = { succeeded: 1, failed: 2, uncountedTerminatedPods: { succeeded: ['s1', 's2'], failed: ['f1'] } };
    expect(countUncounted(status, new Set(['s2']))).toBe(true);
    expect(status).toEqual({ succeeded: 2, failed: 3, uncountedTerminatedPods: { succeeded: ['s2'] } });
    expect(countUncounted(status, new Set(['s2']))).toBe(false);
  });
});
