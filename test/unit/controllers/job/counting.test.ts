import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { countPods, formatIndexes, indexesOf, missingIndexes } from '../../../../src/controllers/job/counting.js';

const pod = (name: string, phase?: string, extra: Partial<KubeObject['metadata']> = {}, ready = false): KubeObject => ({
  metadata: { name, ...extra },
  status: { ...(phase ? { phase } : {}), ...(ready ? { conditions: [{ type: 'Ready', status: 'True' }] } : {}) },
});

describe('countPods', () => {
  it('splits by phase; terminating pods are not active', () => {
    const c = countPods([
      pod('a', 'Running', {}, true),
      pod('b', 'Pending'),
      pod('c'),
      pod('d', 'Succeeded'),
      pod('e', 'Failed'),
      pod('f', 'Running', { deletionTimestamp: '2026-01-01T00:00:00Z' }, true),
    ]);
    expect(c.active.map((p) => p.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(c.succeeded.map((p) => p.metadata.name)).toEqual(['d']);
    expect(c.failed.map((p) => p.metadata.name)).toEqual(['e']);
    expect(c.ready).toBe(1);
  });
});

describe('indexes', () => {
  it.each([
    [[], ''],
    [[0], '0'],
    [[0, 1, 2, 4], '0-2,4'],
    [[4, 2, 1, 0, 2], '0-2,4'],
    [[1, 3, 5, 6], '1,3,5-6'],
  ])('formats %o as %s', (ix, want) => {
    expect(formatIndexes(ix)).toBe(want);
  });

  it('collects valid distinct indexes below completions', () => {
    const ann = (i: string) => ({ metadata: { annotations: { 'batch.kubernetes.io/job-completion-index': i } } });
    expect(indexesOf([ann('2'), ann('0'), ann('2'), ann('9'), ann('bad')], 5)).toEqual([0, 2]);
  });

  it('picks the lowest free indexes', () => {
    expect(missingIndexes(5, new Set([0, 2]), 2)).toEqual([1, 3]);
    expect(missingIndexes(3, new Set([0, 1, 2]), 2)).toEqual([]);
  });
});
