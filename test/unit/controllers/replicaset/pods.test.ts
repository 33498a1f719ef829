import { describe, expect, it } from 'vitest';
import { controlledActivePods, isPodAvailable, msUntilAvailable, podFromTemplate, podsToDelete, selectorMatches } from '../../../../src/controllers/replicaset/pods.js';
import { newControllerRef } from '../../../../src/controllers/runtime/meta.js';
import type { KubeObject } from '../../../../src/controllers/runtime/types.js';

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; readySince?: string; created?: string; restarts?: number } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, creationTimestamp: o.created ?? '2024-01-01T00:00:00Z' },
    spec: o.node ? { nodeName: o.node } : {},
    status: {
      phase: o.phase ?? 'Pending',
      conditions: o.ready === undefined ? [] : [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: o.readySince }],
      containerStatuses: [{ restartCount: o.restarts ?? 0 }],
    },
  };
}
const names = (ps: KubeObject[]) => ps.map((p) => p.metadata.name);

describe('selectorMatches', () => {
  it.each([
    [{ matchLabels: { a: '1' } }, { a: '1', b: '2' }, true],
    [{ matchLabels: { a: '1' } }, { a: '2' }, false],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }, { a: '2' }, true],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, {}, true],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, {}, false],
    [{ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, { b: '1' }, true],
    [{}, { a: '1' }, true],
  ])('%j on %j is %s', (sel, labels, want) => expect(selectorMatches(sel, labels)).toBe(want));
  it('a missing selector matches nothing', () => expect(selectorMatches(undefined, { a: '1' })).toBe(false));
});

describe('podsToDelete ranks as ActivePodsWithRanks', () => {
  it('unscheduled, then pending, then not ready, then ready for less time, then more restarts, then newer', () => {
    const pods = [
      pod('ready-old', { node: 'n1', phase: 'Running', ready: true, readySince: '2024-01-01T00:00:00Z' }),
      pod('ready-new', { node: 'n2', phase: 'Running', ready: true, readySince: '2024-01-02T00:00:00Z' }),
      pod('unscheduled'),
      pod('pending', { node: 'n3' }),
      pod('notready', { node: 'n4', phase: 'Running', ready: false }),
      pod('restarts', { node: 'n5', phase: 'Running', ready: false, restarts: 3 }),
    ];
    expect(names(podsToDelete(pods, 6))).toHaveLength(6);
    expect(names(podsToDelete(pods, 5))).toEqual(['unscheduled', 'pending', 'restarts', 'notready', 'ready-new']);
  });
  it('prefers the newer of otherwise equal pods and pods on crowded nodes', () => {
    const a = pod('a', { node: 'n1', created: '2024-01-01T00:00:00Z' });
    const b = pod('b', { node: 'n2', created: '2024-01-02T00:00:00Z' });
    expect(names(podsToDelete([a, b], 1))).toEqual(['b']);
    const c = pod('c', { node: 'n1', created: '2024-01-01T00:00:00Z' });
    expect(names(podsToDelete([a, b, c], 1))).toEqual(['c']);
  });
});

describe('availability', () => {
  const now = new Date('2024-01-01T00:01:00Z');
  it('needs Ready for minReadySeconds', () => {
    const p = pod('p', { phase: 'Running', ready: true, readySince: '2024-01-01T00:00:30Z' });
    expect(isPodAvailable(p, 0, now)).toBe(true);
    expect(isPodAvailable(p, 10, now)).toBe(true);
    expect(isPodAvailable(p, 30, now)).toBe(false);
    expect(msUntilAvailable(p, 40, now)).toBe(10_001);
    expect(isPodAvailable(pod('q', { ready: false }), 0, now)).toBe(false);
  });
});

describe('podFromTemplate', () => {
  it('copies labels, annotations and spec and sets generateName and the controller ref', () => {
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: 'ns', uid: 'u1' },
      spec: { template: { metadata: { labels: { app: 'web' }, annotations: { x: 'y' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    };
    const p = podFromTemplate(rs, newControllerRef(rs));
    expect(p.metadata).toEqual({
      generateName: 'web-',
      namespace: 'ns',
      labels: { app: 'web' },
      annotations: { x: 'y' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true }],
    });
    expect(p.spec).toEqual({ containers: [{ name: 'c', image: 'i' }] });
  });
});

describe('controlledActivePods', () => {
  const rs: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', uid: 'rs-1' } };
  const other: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'old', uid: 'rs-2' } };
  const owned = (p: KubeObject, by: KubeObject, controller = true): KubeObject => ({
    ...p,
    metadata: { ...p.metadata, ownerReferences: [{ ...newControllerRef(by), controller }] },
  });
  const deleting = (p: KubeObject): KubeObject => ({ ...p, metadata: { ...p.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } });
  it.each([
    ['a running pod it controls', [owned(pod('a', { phase: 'Running' }), rs)], ['a']],
    ['a pending pod it controls', [owned(pod('a'), rs)], ['a']],
    ['a pod another ReplicaSet controls', [owned(pod('a'), other)], []],
    ['a pod it owns without controlling', [owned(pod('a'), rs, false)], []],
    ['an orphan', [pod('a')], []],
    ['a succeeded or failed pod', [owned(pod('a', { phase: 'Succeeded' }), rs), owned(pod('b', { phase: 'Failed' }), rs)], []],
    ['a pod being deleted', [deleting(owned(pod('a', { phase: 'Running' }), rs))], []],
  ])('%s', (_what, pods, want) => expect(names(controlledActivePods(pods, 'rs-1'))).toEqual(want));
});
