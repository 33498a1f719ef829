import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { byDeletionPreference, isActive, isTerminating } from '../../../../src/controllers/job/counting.js';

const pod = (name: string, phase?: string, extra: Partial<KubeObject['metadata']> = {}, ready = false, nodeName?: string): KubeObject => ({
  metadata: { name, ...extra },
  spec: nodeName ? { nodeName } : {},
  status: { ...(phase ? { phase } : {}), ...(ready ? { conditions: [{ type: 'Ready', status: 'True' }] } : {}) },
});

describe('pod life stages', () => {
  it('splits active from terminating; finished pods are neither', () => {
    const deleting = { deletionTimestamp: '2026-01-01T00:00:00Z' };
    const pods = [pod('a', 'Running'), pod('b'), pod('c', 'Succeeded'), pod('d', 'Failed', deleting), pod('e', 'Running', deleting)];
    expect(pods.filter(isActive).map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect(pods.filter(isTerminating).map((p) => p.metadata.name)).toEqual(['e']);
  });

  it('deletes unscheduled, pending, unready and newer pods first', () => {
    const pods = [
      pod('ready', 'Running', { creationTimestamp: '2026-01-01T00:00:00Z' }, true, 'n'),
      pod('running', 'Running', { creationTimestamp: '2026-01-01T00:00:00Z' }, false, 'n'),
      pod('old-pending', 'Pending', { creationTimestamp: '2026-01-01T00:00:00Z' }, false, 'n'),
      pod('new-pending', 'Pending', { creationTimestamp: '2026-01-01T00:00:05Z' }, false, 'n'),
      pod('unscheduled', 'Pending', { creationTimestamp: '2026-01-01T00:00:00Z' }),
    ];
    expect([...pods].sort(byDeletionPreference).map((p) => p.metadata.name)).toEqual(['unscheduled', 'new-pending', 'old-pending', 'running', 'ready']);
  });
});
