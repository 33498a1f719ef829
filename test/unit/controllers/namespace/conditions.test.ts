import { describe, expect, it } from 'vitest';
import { failingConditions, updateConditions, type DeletionReport } from '../../../../src/controllers/namespace/conditions.js';

const clean = (): DeletionReport => ({ contentErrors: [], remaining: new Map(), finalizers: new Map() });

describe('failingConditions', () => {
  it('words what remains as kube does, sorted, with the core group left empty', () => {
    const report = clean();
    report.remaining.set('pods.', 2).set('configmaps.', 1).set('widgets.example.com', 3).set('secrets.', 0);
    report.finalizers.set('example.com/hold', 3).set('batch.kubernetes.io/job-tracking', 2);
    const f = failingConditions(report);
    expect(f.get('NamespaceContentRemaining')).toEqual({
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: configmaps. has 1 resource instances, pods. has 2 resource instances, widgets.example.com has 3 resource instances',
    });
    expect(f.get('NamespaceFinalizersRemaining')).toEqual({
      reason: 'SomeFinalizerRemain',
      message: 'Some finalizers are remaining: batch.kubernetes.io/job-tracking in 2 resource instances, example.com/hold in 3 resource instances',
    });
    expect(f.has('NamespaceDeletionContentFailure')).toBe(false);
  });

  it('reports discovery and content failures', () => {
    const report = { ...clean(), discoveryError: 'the server is on fire', contentErrors: ['b failed', 'a failed'] };
    const f = failingConditions(report);
    expect(f.get('NamespaceDeletionDiscoveryFailure')).toEqual({ reason: 'DiscoveryFailed', message: 'the server is on fire' });
    expect(f.get('NamespaceDeletionContentFailure')).toEqual({ reason: 'ContentDeletionFailed', message: 'Failed to delete all resource types, 2 remaining: a failed, b failed' });
  });
});

describe('updateConditions', () => {
  const T0 = '2026-01-01T00:00:00Z';
  const T1 = '2026-01-01T00:01:00Z';

  it('adds all five, the ones not failing as False with their ok reason', () => {
    const { conditions, changed } = updateConditions([], clean(), T0);
    expect(changed).toBe(true);
    expect(conditions.map((c) => [c.type, c.status, c.reason, c.lastTransitionTime])).toEqual([
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', T0],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', T0],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted', T0],
      ['NamespaceContentRemaining', 'False', 'ContentRemoved', T0],
      ['NamespaceFinalizersRemaining', 'False', 'ContentRemoved', T0],
    ]);
  });

  it('moves lastTransitionTime only when a status flips, and reports no change when nothing did', () => {
    const report = clean();
    report.remaining.set('pods.', 2);
    const first = updateConditions([{ type: 'Other', status: 'True' }], report, T0).conditions;
    expect(updateConditions(first, report, T1).changed).toBe(false);
    report.remaining.set('pods.', 1);
    const fewer = updateConditions(first, report, T1);
    expect(fewer.changed).toBe(true);
    const remaining = fewer.conditions.find((c) => c.type === 'NamespaceContentRemaining')!;
    expect(remaining).toMatchObject({ status: 'True', message: 'Some resources are remaining: pods. has 1 resource instances', lastTransitionTime: T0 });
    const done = updateConditions(fewer.conditions, clean(), T1).conditions;
    expect(done.find((c) => c.type === 'NamespaceContentRemaining')).toMatchObject({ status: 'False', reason: 'ContentRemoved', lastTransitionTime: T1 });
    // Conditions someone else keeps are left alone.
    expect(done[0]).toEqual({ type: 'Other', status: 'True' });
  });
});
