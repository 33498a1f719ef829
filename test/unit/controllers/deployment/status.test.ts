import { describe, expect, it } from 'vitest';
import { equalIgnoreHash, findNewReplicaSet, maxRevision, newReplicaSetAnnotations, newReplicaSetFor } from '../../../../src/controllers/deployment/replicasets.js';
import { calculateStatus, deploymentComplete, setCondition } from '../../../../src/controllers/deployment/status.js';
import type { KubeObject } from '../../../../src/controllers/runtime/types.js';

const template = (image: string, hash?: string) => ({
  metadata: { labels: hash ? { app: 'web', 'pod-template-hash': hash } : { app: 'web' } },
  spec: { containers: [{ name: 'c', image }] },
});
const deployment = (extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', uid: 'd1', generation: 2, annotations: { team: 'a', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template('nginx:2') },
  ...extra,
});
const rs = (name: string, image: string, o: { rev?: string; created?: string; status?: Record<string, number>; replicas?: number } = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, creationTimestamp: o.created ?? '2024-01-01T00:00:00Z', annotations: o.rev ? { 'deployment.kubernetes.io/revision': o.rev } : {} },
  spec: { replicas: o.replicas ?? 0, template: template(image, name) },
  status: o.status ?? {},
});

describe('ReplicaSets of a Deployment', () => {
  it('compares templates ignoring the pod-template-hash label', () => {
    expect(equalIgnoreHash(template('a', 'x'), template('a'))).toBe(true);
    expect(equalIgnoreHash(template('a', 'x'), template('b', 'x'))).toBe(false);
  });
  it('finds the oldest ReplicaSet with the current template and the highest revision', () => {
    const all = [rs('b', 'nginx:2', { rev: '3', created: '2024-01-03T00:00:00Z' }), rs('a', 'nginx:1', { rev: '2' }), rs('c', 'nginx:2', { rev: '1', created: '2024-01-02T00:00:00Z' })];
    expect(findNewReplicaSet(deployment(), all)?.metadata.name).toBe('c');
    expect(maxRevision(all)).toBe(3);
  });
  it('stamps a new ReplicaSet with the hash, the owner and the replica annotations', () => {
    const r = newReplicaSetFor(deployment(), { hash: 'abc', replicas: 1, revision: 4, maxReplicas: 4 });
    expect(r.metadata).toMatchObject({
      name: 'web-abc',
      namespace: 'ns',
      labels: { app: 'web', 'pod-template-hash': 'abc' },
      annotations: { team: 'a', 'deployment.kubernetes.io/revision': '4', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' },
      ownerReferences: [{ kind: 'Deployment', name: 'web', uid: 'd1', controller: true, blockOwnerDeletion: true }],
    });
    expect(r.metadata.annotations).not.toHaveProperty('kubectl.kubernetes.io/last-applied-configuration');
    expect(r.spec).toMatchObject({ replicas: 1, selector: { matchLabels: { app: 'web', 'pod-template-hash': 'abc' } }, template: template('nginx:2', 'abc') });
  });
  it('a template sent back with creationTimestamp: null still matches its ReplicaSet (kubectl rollout undo)', () => {
    const back = { ...template('a'), metadata: { creationTimestamp: null, labels: { app: 'web' } } };
    expect(equalIgnoreHash(template('a', 'x'), back)).toBe(true);
  });
  it("copies the Deployment's annotations to an existing new ReplicaSet, leaving the replica annotations to scaling", () => {
    const d = deployment({ metadata: { name: 'web', annotations: { 'kubernetes.io/change-cause': 'v2', 'deployment.kubernetes.io/revision': '9' } } });
    const current = rs('n', 'nginx:2', { rev: '2' });
    current.metadata.annotations!['deployment.kubernetes.io/desired-replicas'] = '1';
    const a = newReplicaSetAnnotations(d, current, { newRevision: 2, exists: true, maxReplicas: 4 });
    expect(a).toEqual({ 'deployment.kubernetes.io/revision': '2', 'deployment.kubernetes.io/desired-replicas': '1', 'kubernetes.io/change-cause': 'v2' });
    const synced = { ...current, metadata: { ...current.metadata, annotations: a } };
    expect(newReplicaSetAnnotations(d, synced, { newRevision: 2, exists: true, maxReplicas: 4 })).toBeUndefined();
  });
  it('a re-used old ReplicaSet moves to the new revision and keeps its old ones in revision-history', () => {
    const d = deployment();
    const back = rs('o', 'nginx:2', { rev: '1' });
    const a1 = newReplicaSetAnnotations(d, back, { newRevision: 3, exists: true, maxReplicas: 4 })!;
    expect(a1).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    const again = { ...back, metadata: { ...back.metadata, annotations: a1 } };
    expect(newReplicaSetAnnotations(d, again, { newRevision: 5, exists: true, maxReplicas: 4 })).toMatchObject({
      'deployment.kubernetes.io/revision': '5',
      'deployment.kubernetes.io/revision-history': '1,3',
    });
    // A revision never goes down (old ReplicaSets deleted after the new one was stamped).
    expect(newReplicaSetAnnotations(d, again, { newRevision: 2, exists: true, maxReplicas: 4 })).toBeUndefined();
  });
});

describe('Deployment status', () => {
  const now = '2024-01-01T00:00:00Z';
  it('sums counters and sets Available by maxUnavailable', () => {
    const newRS = rs('n', 'nginx:2', { status: { replicas: 2, readyReplicas: 1, availableReplicas: 1 } });
    const old = rs('o', 'nginx:1', { status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 } });
    const s = calculateStatus(deployment(), [old, newRS], newRS, 0, now);
    expect(s).toMatchObject({ observedGeneration: 2, replicas: 4, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0 });
    expect(s.conditions[0]).toMatchObject({ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' });
    const low = calculateStatus(deployment(), [newRS], newRS, 1, now);
    expect(low.conditions[0]).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
    expect(deploymentComplete(deployment(), s)).toBe(false);
  });
  it('setCondition keeps an unchanged condition and lastTransitionTime across reason changes', () => {
    const c1 = setCondition([], { type: 'Progressing', status: 'True', reason: 'A', message: 'a' }, 't1');
    expect(setCondition(c1, { type: 'Progressing', status: 'True', reason: 'A', message: 'b' }, 't2')).toBe(c1);
    const c2 = setCondition(c1, { type: 'Progressing', status: 'True', reason: 'B', message: 'b' }, 't2');
    expect(c2[0]).toMatchObject({ reason: 'B', lastUpdateTime: 't2', lastTransitionTime: 't1' });
    const c3 = setCondition(c2, { type: 'Progressing', status: 'False', reason: 'C', message: 'c' }, 't3');
    expect(c3[0]).toMatchObject({ lastTransitionTime: 't3' });
  });
});
