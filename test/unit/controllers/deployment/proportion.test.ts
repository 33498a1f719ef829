import { describe, expect, it } from 'vitest';
import { proportionalSizes, type ActiveReplicaSet } from '../../../../src/controllers/deployment/proportion.js';

const rs = (name: string, replicas: number, created: number, maxReplicas?: number): ActiveReplicaSet => ({ name, replicas, created, maxReplicas });
const sizes = (out: { name: string; replicas: number }[]) => Object.fromEntries(out.map((x) => [x.name, x.replicas]));

// Cases from kube's sync_test.go TestScale, in our terms.
describe('proportional scaling (sync.go scale, GetProportion)', () => {
  it('scaling up 10 -> 20 mid-rollout doubles both ReplicaSets (maxSurge 3 before and after)', () => {
    const out = proportionalSizes({ replicas: 20, maxSurge: 3, statusReplicas: 13, active: [rs('old', 8, 1, 13), rs('new', 5, 2, 13)] });
    // allowed 23, current 13: +10 split 8*23/13 -> 14 (+6), 5*23/13 -> 9 (+4).
    expect(sizes(out)).toEqual({ old: 14, new: 9 });
  });
  it('scaling down gives the rounding leftover to the largest ReplicaSet, older first on ties', () => {
    const out = proportionalSizes({ replicas: 5, maxSurge: 1, statusReplicas: 11, active: [rs('a', 5, 1, 11), rs('b', 5, 2, 11), rs('c', 1, 3, 11)] });
    // allowed 6, current 11: -5. a: round(5*6/11)=3 (-2), b: -2, c: round(6/11)=1 (0); leftover -1 to a.
    expect(out.map((x) => x.name)).toEqual(['a', 'b', 'c']);
    expect(sizes(out)).toEqual({ a: 2, b: 3, c: 1 });
  });
  it('scaling up on a tie grows the newer ReplicaSet first', () => {
    const out = proportionalSizes({ replicas: 7, maxSurge: 0, statusReplicas: 4, active: [rs('old', 2, 1, 4), rs('new', 2, 2, 4)] });
    // +3: new round(2*7/4)=4 (+2, capped at 3), old min(+2, 1) = +1.
    expect(out[0]!.name).toBe('new');
    expect(sizes(out)).toEqual({ new: 4, old: 3 });
  });
  it('falls back to status.replicas without a max-replicas annotation; to zero takes everything', () => {
    expect(sizes(proportionalSizes({ replicas: 6, maxSurge: 0, statusReplicas: 3, active: [rs('a', 2, 1), rs('b', 1, 2)] }))).toEqual({ a: 4, b: 2 });
    expect(sizes(proportionalSizes({ replicas: 0, maxSurge: 1, statusReplicas: 3, active: [rs('a', 2, 1, 4), rs('b', 1, 2, 4)] }))).toEqual({ a: 0, b: 0 });
  });
  it('leaves every size alone when the total is already replicas + maxSurge', () => {
    expect(sizes(proportionalSizes({ replicas: 4, maxSurge: 1, statusReplicas: 5, active: [rs('a', 3, 1, 5), rs('b', 2, 2, 5)] }))).toEqual({ a: 3, b: 2 });
  });
});
