import { describe, expect, it } from 'vitest';
import { stuckRequeueAfter, withRolloutProgress } from '../../../../src/controllers/deployment/progress.js';
import { calculateStatus, type DeploymentCondition } from '../../../../src/controllers/deployment/status.js';
import type { KubeObject } from '../../../../src/controllers/runtime/types.js';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000);
const iso = (s: number) => at(s).toISOString().replace(/\.\d{3}Z$/, 'Z');

const deployment = (status: Record<string, unknown>, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', generation: 2 },
  spec: { replicas: 3, progressDeadlineSeconds: 60, ...spec },
  status: { observedGeneration: 2, ...status },
});
const rs = (status: Record<string, number>): KubeObject => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-n' }, spec: { replicas: 3 }, status });
const progressing = (reason: string, updated: number, status: DeploymentCondition['status'] = 'True'): DeploymentCondition => ({
  type: 'Progressing',
  status,
  reason,
  message: '',
  lastUpdateTime: iso(updated),
  lastTransitionTime: iso(updated),
});
const run = (d: KubeObject, newRS: KubeObject, now: number) => {
  const s = calculateStatus(d, [newRS], newRS, 0, iso(now));
  const out = withRolloutProgress(d, s, newRS, at(now));
  return { cond: out.conditions.find((c) => c.type === 'Progressing'), status: out };
};

describe('Progressing condition (progress.go syncRolloutStatus)', () => {
  it('NewReplicaSetAvailable once every replica is updated and available', () => {
    const d = deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 2, conditions: [progressing('ReplicaSetUpdated', 0)] });
    const { cond } = run(d, rs({ replicas: 3, readyReplicas: 3, availableReplicas: 3 }), 10);
    expect(cond).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-n" has successfully progressed.' });
  });
  it('ReplicaSetUpdated with a fresh lastUpdateTime on progress, keeping lastTransitionTime', () => {
    const d = deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 1, conditions: [progressing('ReplicaSetUpdated', 0)] });
    const { cond } = run(d, rs({ replicas: 3, readyReplicas: 2, availableReplicas: 2 }), 30);
    expect(cond).toMatchObject({ reason: 'ReplicaSetUpdated', message: 'ReplicaSet "web-n" is progressing.', lastUpdateTime: iso(30), lastTransitionTime: iso(0) });
  });
  it('ProgressDeadlineExceeded (False) only once no progress for longer than the deadline', () => {
    const d = deployment({ replicas: 3, updatedReplicas: 3, readyReplicas: 1, availableReplicas: 1, conditions: [progressing('ReplicaSetUpdated', 0)] });
    const stuck = rs({ replicas: 3, readyReplicas: 1, availableReplicas: 1 });
    expect(run(d, stuck, 60).cond?.reason).toBe('ReplicaSetUpdated');
    const { cond } = run(d, stuck, 61);
    expect(cond).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-n" has timed out progressing.', lastTransitionTime: iso(61) });
  });
  it('a completed rollout never times out, and without a deadline there is no Progressing condition', () => {
    const done = deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 3, conditions: [progressing('NewReplicaSetAvailable', 0)] });
    expect(run(done, rs({ replicas: 3, availableReplicas: 1 }), 1000).cond?.reason).toBe('NewReplicaSetAvailable');
    const none = deployment({ conditions: [progressing('ReplicaSetUpdated', 0)] }, { progressDeadlineSeconds: 2147483647 });
    expect(run(none, rs({ replicas: 3 }), 1000).cond).toBeUndefined();
  });
  it('a stuck rollout is checked again one second past its deadline', () => {
    const d = deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 1, conditions: [progressing('ReplicaSetUpdated', 0)] });
    const { status } = run(d, rs({ replicas: 3, availableReplicas: 1, readyReplicas: 0 }), 20);
    expect(stuckRequeueAfter(d, status, at(20))).toBe(41_000);
    expect(stuckRequeueAfter(d, status, at(59.5))).toBe(0);
    const timedOut = { ...status, conditions: [progressing('ProgressDeadlineExceeded', 0, 'False')] };
    expect(stuckRequeueAfter(d, timedOut, at(70))).toBeUndefined();
  });
});
