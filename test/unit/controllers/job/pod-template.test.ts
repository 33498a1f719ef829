import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { podCompletionIndex, podFromTemplate } from '../../../../src/controllers/job/pod-template.js';

const job: KubeObject = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi', namespace: 'ns', uid: 'u1' },
  spec: {
    template: {
      metadata: { labels: { 'batch.kubernetes.io/controller-uid': 'u1', 'job-name': 'pi' }, annotations: { a: 'b' } },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'perl', env: [{ name: 'X', value: '1' }] }] },
    },
  },
};

describe('podFromTemplate', () => {
  it('copies the template and owns the pod', () => {
    const pod = podFromTemplate(job);
    expect(pod.metadata).toEqual({
      generateName: 'pi-',
      namespace: 'ns',
      labels: { 'batch.kubernetes.io/controller-uid': 'u1', 'job-name': 'pi' },
      annotations: { a: 'b' },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'u1', controller: true, blockOwnerDeletion: true }],
      finalizers: ['batch.kubernetes.io/job-tracking'],
    });
    expect(pod.spec).toEqual((job.spec as any).template.spec);
    expect(pod.spec).not.toBe((job.spec as any).template.spec);
  });

  it('adds the completion index as annotation, label, env and hostname', () => {
    const pod = podFromTemplate(job, { index: 3 });
    expect(pod.metadata.generateName).toBe('pi-3-');
    expect(pod.metadata.annotations).toEqual({ a: 'b', 'batch.kubernetes.io/job-completion-index': '3' });
    expect(pod.metadata.labels?.['batch.kubernetes.io/job-completion-index']).toBe('3');
    const spec = pod.spec as any;
    expect(spec.hostname).toBe('pi-3');
    expect(spec.containers[0].env).toEqual([
      { name: 'X', value: '1' },
      { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
    ]);
    expect(podCompletionIndex(pod)).toBe(3);
    // The Job's own template is untouched.
    expect((job.spec as any).template.spec.containers[0].env).toHaveLength(1);
  });

  it('keeps template finalizers and adds per-index annotations', () => {
    const withFinalizer = structuredClone(job);
    (withFinalizer.spec as any).template.metadata.finalizers = ['example.com/keep'];
    const pod = podFromTemplate(withFinalizer, { index: 0, annotations: { 'batch.kubernetes.io/job-index-failure-count': '2' } });
    expect(pod.metadata.finalizers).toEqual(['example.com/keep', 'batch.kubernetes.io/job-tracking']);
    expect(pod.metadata.annotations?.['batch.kubernetes.io/job-index-failure-count']).toBe('2');
  });

  it.each([
    [{ 'batch.kubernetes.io/job-completion-index': '7' }, 7],
    [{ 'batch.kubernetes.io/job-completion-index': 'x' }, undefined],
    [{}, undefined],
  ])('reads the index from %o', (annotations, want) => {
    expect(podCompletionIndex({ metadata: { annotations } })).toBe(want);
  });
});
