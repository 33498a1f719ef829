import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CRONTAB_CRD } from '../../../../src/controllers/crontab/crd.js';
import {
  cronTabOwnerReference, isControlledBy, jobFromCronTab, jobMatches, needsReplacement, sameJSON, setCondition, statusFromJob,
} from '../../../../src/controllers/crontab/job.js';
import { isEstablished } from '../../../../src/controllers/crontab/setup.js';
import type { KubeObject } from '../../../../src/apiserver/object.js';

const t0 = new Date('2026-01-01T00:00:00.500Z');
const t1 = new Date('2026-01-01T00:01:00Z');

function cronTab(spec: Record<string, unknown>, extra: { generation?: number; status?: Record<string, unknown> } = {}): KubeObject {
  return {
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name: 'ct1', namespace: 'ns', uid: 'uid-1', generation: extra.generation ?? 1 },
    spec,
    ...(extra.status ? { status: extra.status } : {}),
  };
}
const cond = (s: { conditions?: { type: string }[] }, type: string) => s.conditions?.find((c) => c.type === type);

describe('jobFromCronTab', () => {
  it('runs the image replicas times, labelled and owned by the CronTab', () => {
    const job = jobFromCronTab(cronTab({ cronSpec: '* * * * */5', image: 'my-awesome-cron-image', replicas: 3 }));
    expect(job).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'ct1',
        namespace: 'ns',
        labels: { crontab: 'ct1' },
        ownerReferences: [{ apiVersion: 'stable.example.com/v1', kind: 'CronTab', name: 'ct1', uid: 'uid-1', controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        parallelism: 3,
        completions: 3,
        template: {
          metadata: { labels: { crontab: 'ct1' } },
          spec: { restartPolicy: 'OnFailure', containers: [{ name: 'crontab', image: 'my-awesome-cron-image' }] },
        },
      },
    });
  });

  it('defaults replicas to 1 and sets no command', () => {
    const job = jobFromCronTab(cronTab({ image: 'busybox' })) as any;
    expect(job.spec.parallelism).toBe(1);
    expect(job.spec.completions).toBe(1);
    expect(job.spec.template.spec.containers[0].command).toBeUndefined();
  });

  it('owner reference and control check', () => {
    const ct = cronTab({ image: 'a' });
    expect(cronTabOwnerReference(ct).uid).toBe('uid-1');
    const job = jobFromCronTab(ct);
    expect(isControlledBy(job, ct)).toBe(true);
    expect(isControlledBy({ ...job, metadata: { ...job.metadata, ownerReferences: [] } }, ct)).toBe(false);
  });
});

describe('replacement', () => {
  const job = jobFromCronTab(cronTab({ image: 'a', replicas: 2 }));
  it('matches the same spec, even with server defaults on the template', () => {
    const defaulted = structuredClone(job) as any;
    defaulted.spec.template.spec.containers[0].imagePullPolicy = 'IfNotPresent';
    defaulted.spec.backoffLimit = 6;
    expect(jobMatches(defaulted, cronTab({ image: 'a', replicas: 2 }))).toBe(true);
  });
  it('differs on image or replicas', () => {
    expect(jobMatches(job, cronTab({ image: 'b', replicas: 2 }))).toBe(false);
    expect(jobMatches(job, cronTab({ image: 'a', replicas: 3 }))).toBe(false);
  });
  it('replaces only on a newer generation that differs', () => {
    expect(needsReplacement(job, cronTab({ image: 'b', replicas: 2 }, { generation: 2, status: { observedGeneration: 1 } }))).toBe(true);
    expect(needsReplacement(job, cronTab({ image: 'b', replicas: 2 }, { generation: 2, status: { observedGeneration: 2 } }))).toBe(false);
    expect(needsReplacement(job, cronTab({ image: 'a', replicas: 2 }, { generation: 3, status: { observedGeneration: 1 } }))).toBe(false);
  });
});

describe('statusFromJob', () => {
  const ct = cronTab({ image: 'a', replicas: 2 }, { generation: 4 });
  const job = (status: Record<string, unknown>) => ({ ...jobFromCronTab(ct), status });

  it('without a Job: pending, observedGeneration set', () => {
    const s = statusFromJob(ct, undefined, t0);
    expect(s).toMatchObject({ observedGeneration: 4, jobName: 'ct1', active: 0, succeeded: 0 });
    expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: 'JobPending', lastTransitionTime: '2026-01-01T00:00:00Z' });
  });
  it('follows active and succeeded, Complete at replicas', () => {
    const running = statusFromJob(ct, job({ active: 2 }), t0);
    expect(running).toMatchObject({ active: 2, succeeded: 0, replicas: 2 });
    expect(cond(running, 'Ready')).toMatchObject({ status: 'True', reason: 'JobUpToDate' });
    expect(cond(running, 'Complete')).toMatchObject({ status: 'False', reason: 'JobRunning' });
    const done = statusFromJob({ ...ct, status: running }, job({ active: 0, succeeded: 2 }), t1);
    expect(done).toMatchObject({ active: 0, succeeded: 2 });
    expect(cond(done, 'Complete')).toMatchObject({ status: 'True', reason: 'JobSucceeded', lastTransitionTime: '2026-01-01T00:01:00Z' });
    expect(cond(done, 'Ready')).toMatchObject({ lastTransitionTime: '2026-01-01T00:00:00Z' });
  });
  it('reports a conflicting Job', () => {
    expect(cond(statusFromJob(ct, job({}), t0, true), 'Ready')).toMatchObject({ status: 'False', reason: 'JobConflict' });
  });
});

describe('helpers', () => {
  it('setCondition keeps lastTransitionTime when the status stays', () => {
    const a = setCondition([], 'Ready', 'True', 'R', 'm', t0);
    const b = setCondition(a, 'Ready', 'True', 'R2', 'm2', t1);
    expect(b).toEqual([{ type: 'Ready', status: 'True', reason: 'R2', message: 'm2', lastTransitionTime: '2026-01-01T00:00:00Z' }]);
  });
  it('sameJSON ignores key order', () => {
    expect(sameJSON({ a: 1, b: [{ c: 1, d: 2 }] }, { b: [{ d: 2, c: 1 }], a: 1 })).toBe(true);
    expect(sameJSON({ a: 1 }, { a: 2 })).toBe(false);
  });
  it('isEstablished reads the Established condition', () => {
    expect(isEstablished({ metadata: {}, status: { conditions: [{ type: 'Established', status: 'True' }] } })).toBe(true);
    expect(isEstablished({ metadata: {} })).toBe(false);
  });
  it('the embedded CRD is the testdata YAML plus the status fields the controller writes', () => {
    const yaml = parse(readFileSync(new URL('../../../e2e/testdata/crontab-crd.yaml', import.meta.url), 'utf8'));
    const embedded = structuredClone(CRONTAB_CRD) as any;
    const props = embedded.spec.versions[0].schema.openAPIV3Schema.properties.status.properties;
    embedded.spec.versions[0].schema.openAPIV3Schema.properties.status.properties = { replicas: props.replicas };
    expect(embedded).toEqual(yaml);
  });
  it('the embedded CRD carries the status fields the controller writes', () => {
    const status = (CRONTAB_CRD.spec as any).versions[0].schema.openAPIV3Schema.properties.status.properties;
    expect(Object.keys(status).sort()).toEqual(['active', 'conditions', 'jobName', 'observedGeneration', 'replicas', 'succeeded']);
  });
});
