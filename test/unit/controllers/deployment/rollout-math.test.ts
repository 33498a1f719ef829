import { describe, expect, it } from 'vitest';
import { maxUnavailable, newRSReplicasRolling, resolveFenceposts, scaledValue, scaleDownOld } from '../../../../src/controllers/deployment/rollout-math.js';

describe('scaledValue', () => {
  it.each([
    [3, 10, true, 3],
    ['25%', 10, true, 3],
    ['25%', 10, false, 2],
    ['25%', 4, false, 1],
    ['0%', 5, true, 0],
    ['100%', 7, false, 7],
    ['5', 10, true, 5],
  ] as const)('%s of %i (up=%s) is %i', (v, total, up, want) => {
    expect(scaledValue(v, total, up)).toBe(want);
  });
  it('rejects junk', () => expect(() => scaledValue('x%', 3, true)).toThrow(/invalid value/));
});

describe('resolveFenceposts', () => {
  it.each([
    ['25%', '25%', 2, 1, 0],
    ['25%', '25%', 10, 3, 2],
    [0, 0, 3, 0, 1],
    ['0%', '10%', 3, 0, 1],
    [1, 0, 3, 1, 0],
  ] as const)('surge %s unavailable %s of %i -> %i/%i', (s, u, r, surge, unavailable) => {
    expect(resolveFenceposts(s, u, r)).toEqual({ surge, unavailable });
  });
  it('maxUnavailable never exceeds replicas and is 0 for 0 replicas', () => {
    expect(maxUnavailable(0, 5, 3)).toBe(3);
    expect(maxUnavailable('25%', '25%', 0)).toBe(0);
  });
});

describe('newRSReplicasRolling', () => {
  it('grows within replicas + maxSurge', () => {
    expect(newRSReplicasRolling({ replicas: 2, maxSurge: '25%', maxUnavailable: '25%', newRSReplicas: 0, totalReplicas: 2 })).toBe(1);
    expect(newRSReplicasRolling({ replicas: 2, maxSurge: '25%', maxUnavailable: '25%', newRSReplicas: 1, totalReplicas: 3 })).toBe(1);
    expect(newRSReplicasRolling({ replicas: 10, maxSurge: 3, maxUnavailable: 0, newRSReplicas: 0, totalReplicas: 10 })).toBe(3);
    expect(newRSReplicasRolling({ replicas: 3, maxSurge: 1, maxUnavailable: 0, newRSReplicas: 0, totalReplicas: 0 })).toBe(3);
    expect(newRSReplicasRolling({ replicas: 3, maxSurge: 1, maxUnavailable: 0, newRSReplicas: 5, totalReplicas: 5 })).toBe(3);
  });
});

describe('scaleDownOld', () => {
  it('keeps minAvailable while the new ReplicaSet is not yet available', () => {
    const r = scaleDownOld({ replicas: 2, maxUnavailable: 0, old: [{ name: 'a', replicas: 2, available: 2 }], newRS: { name: 'n', replicas: 1, available: 0 } });
    expect(r.size).toBe(0);
  });
  it('scales down as new replicas become available', () => {
    const r = scaleDownOld({ replicas: 2, maxUnavailable: 0, old: [{ name: 'a', replicas: 2, available: 2 }], newRS: { name: 'n', replicas: 1, available: 1 } });
    expect(r).toEqual(new Map([['a', 1]]));
  });
  it('removes unhealthy old replicas first, oldest ReplicaSet first', () => {
    const r = scaleDownOld({
      replicas: 4,
      maxUnavailable: 1,
      old: [
        { name: 'a', replicas: 2, available: 0 },
        { name: 'b', replicas: 2, available: 2 },
      ],
      newRS: { name: 'n', replicas: 1, available: 1 },
    });
    // maxScaledDown = 5 - 3 - 0 = 2: both unhealthy of a go; available 3 - 3 = 0 more.
    expect(r).toEqual(new Map([['a', 0]]));
  });
  it('does nothing without old pods', () => {
    expect(scaleDownOld({ replicas: 2, maxUnavailable: 1, old: [{ name: 'a', replicas: 0, available: 0 }] }).size).toBe(0);
  });
});
