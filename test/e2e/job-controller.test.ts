// The Job controller against an in-process cluster on a virtual clock. No kubelet runs: the
// test plays it by patching pod status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Cluster, VirtualClock } from '../../src/index.js';
import { startWithControllers, waitFor, type ControllerHarness } from './controller-harness.js';
import type { KubeObject } from '../../src/apiserver/object.js';
import { jobController } from '../../src/controllers/job/setup.js';
import { JOBS, PODS } from '../../src/controllers/job/reconciler.js';

const EVENTS = { group: '', version: 'v1', resource: 'events', namespaced: true };
const NS = 'default';

let cluster: Cluster;
let client: Client;
let clock: VirtualClock;
let harness: ControllerHarness;
let errors: unknown[];

beforeAll(async () => {
  harness = await startWithControllers([jobController]);
  ({ cluster, clock, errors } = harness);
  client = cluster.client;
});
afterAll(async () => harness?.stop());

function jobManifest(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS },
    spec: {
      ...spec,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['true'] }] } },
    },
  };
}

async function podsOf(job: string): Promise<KubeObject[]> {
  return (await client.list(PODS, { namespace: NS, labelSelector: `batch.kubernetes.io/job-name=${job}` })).items;
}
const phase = (p: KubeObject) => (p.status as { phase?: string } | undefined)?.phase;
const running = (pods: KubeObject[]) => pods.filter((p) => phase(p) !== 'Succeeded' && phase(p) !== 'Failed');
const getJob = (name: string) => client.get(JOBS, name, NS);
const statusOf = (j: KubeObject) => (j.status ?? {}) as Record<string, any>;
const condition = (j: KubeObject, type: string) => (statusOf(j).conditions ?? []).find((c: any) => c.type === type);

async function setPhase(pod: KubeObject, p: 'Succeeded' | 'Failed' | 'Running'): Promise<void> {
  await client.patch(PODS, pod.metadata.name!, { status: { phase: p } }, 'merge', { namespace: NS, subresource: 'status' });
}

async function activePods(job: string, n: number): Promise<KubeObject[]> {
  return waitFor(`${n} active pods of ${job}`, async () => {
    const pods = running(await podsOf(job));
    return pods.length === n && pods;
  });
}

async function eventsFor(name: string): Promise<KubeObject[]> {
  return (await client.list(EVENTS, { namespace: NS })).items.filter((e) => (e.involvedObject as { name?: string }).name === name);
}

describe('job controller', () => {
  it('runs a parallel Job to completion, parallelism at a time', async () => {
    await client.create(JOBS, jobManifest('par', { completions: 5, parallelism: 2 }));
    let done = 0;
    while (done < 5) {
      const want = Math.min(2, 5 - done);
      const pods = await activePods('par', want);
      const pod = pods[0]!;
      // Time passes between steps; events at one virtual instant share a name (see below).
      clock.advance(1000);
      expect(pod.metadata.generateName).toBe('par-');
      expect(pod.metadata.ownerReferences).toEqual([
        { apiVersion: 'batch/v1', kind: 'Job', name: 'par', uid: (await getJob('par')).metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
      expect(pod.metadata.labels?.['batch.kubernetes.io/controller-uid']).toBe((await getJob('par')).metadata.uid);
      await setPhase(pod, 'Succeeded');
      done++;
      await waitFor('succeeded count', async () => statusOf(await getJob('par')).succeeded === done);
    }
    const job = await waitFor('Complete', async () => {
      const j = await getJob('par');
      return condition(j, 'Complete')?.status === 'True' && j;
    });
    const st = statusOf(job);
    expect(st).toMatchObject({ active: 0, succeeded: 5, failed: 0, ready: 0, uncountedTerminatedPods: {} });
    expect(st.startTime).toBeDefined();
    expect(st.completionTime).toBeDefined();
    expect(condition(job, 'SuccessCriteriaMet')).toMatchObject({ status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' });
    expect(condition(job, 'Complete')).toMatchObject({ reason: 'CompletionsReached' });
    expect(await podsOf('par')).toHaveLength(5);
    const events = await waitFor('events', async () => {
      const ev = await eventsFor('par');
      return ev.some((e) => e.reason === 'Completed') && ev;
    });
    // EventRecorder names events <object>.<UnixNano>, so on a frozen virtual clock a second
    // event in the same instant collides (AlreadyExists): only assert one of each.
    expect(events.filter((e) => e.reason === 'SuccessfulCreate').length).toBeGreaterThan(0);
    expect(events.find((e) => e.reason === 'SuccessfulCreate')?.message).toMatch(/^Created pod: par-/);
    expect(events.find((e) => e.reason === 'Completed')?.message).toBe('Job completed');
  });

  it('backs off after a failure and fails past backoffLimit', async () => {
    await client.create(JOBS, jobManifest('flaky', { backoffLimit: 1 }));
    const [first] = await activePods('flaky', 1);
    await setPhase(first!, 'Failed');
    await waitFor('failed 1', async () => statusOf(await getJob('flaky')).failed === 1);
    // The replacement waits 10s on the clock.
    await new Promise((r) => setTimeout(r, 30));
    expect(running(await podsOf('flaky'))).toHaveLength(0);
    clock.advance(10_000);
    const [second] = await activePods('flaky', 1);
    clock.advance(1000);
    await setPhase(second!, 'Failed');
    const job = await waitFor('Failed', async () => {
      const j = await getJob('flaky');
      return condition(j, 'Failed')?.status === 'True' && j;
    });
    expect(statusOf(job)).toMatchObject({ failed: 2, active: 0 });
    expect(condition(job, 'FailureTarget')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
    expect(condition(job, 'Failed')).toMatchObject({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    await waitFor('event', async () => (await eventsFor('flaky')).some((e) => e.reason === 'BackoffLimitExceeded' && e.type === 'Warning'));
  });

  it('runs an Indexed Job with one pod per index', async () => {
    await client.create(JOBS, jobManifest('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const pods = await activePods('idx', 3);
    const byIndex = new Map(pods.map((p) => [p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'], p]));
    expect([...byIndex.keys()].sort()).toEqual(['0', '1', '2']);
    const p1 = byIndex.get('1')!;
    expect(p1.metadata.labels?.['batch.kubernetes.io/job-completion-index']).toBe('1');
    expect(p1.metadata.generateName).toBe('idx-1-');
    const spec = p1.spec as any;
    expect(spec.hostname).toBe('idx-1');
    expect(spec.containers[0].env).toContainEqual(expect.objectContaining({ name: 'JOB_COMPLETION_INDEX' }));
    await setPhase(byIndex.get('0')!, 'Succeeded');
    await setPhase(byIndex.get('2')!, 'Succeeded');
    await waitFor('completedIndexes 0,2', async () => statusOf(await getJob('idx')).completedIndexes === '0,2');
    await setPhase(p1, 'Failed');
    // Index 1 is retried after the backoff.
    await waitFor('failed', async () => statusOf(await getJob('idx')).failed === 1);
    clock.advance(10_000);
    const [retry] = await activePods('idx', 1);
    expect(retry!.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).toBe('1');
    await setPhase(retry!, 'Succeeded');
    const job = await waitFor('Complete', async () => {
      const j = await getJob('idx');
      return condition(j, 'Complete')?.status === 'True' && j;
    });
    expect(statusOf(job)).toMatchObject({ completedIndexes: '0-2', succeeded: 3 });
  });

  it('suspends and resumes a Job', async () => {
    await client.create(JOBS, jobManifest('sus', { parallelism: 2, completions: 4 }));
    await activePods('sus', 2);
    await client.patch(JOBS, 'sus', { spec: { suspend: true } }, 'merge', { namespace: NS });
    await activePods('sus', 0);
    const job = await waitFor('Suspended', async () => {
      const j = await getJob('sus');
      return condition(j, 'Suspended')?.status === 'True' && j;
    });
    expect(condition(job, 'Suspended')).toMatchObject({ reason: 'JobSuspended', message: 'Job suspended' });
    await waitFor('active 0', async () => statusOf(await getJob('sus')).active === 0);
    await client.patch(JOBS, 'sus', { spec: { suspend: false } }, 'merge', { namespace: NS });
    await activePods('sus', 2);
    await waitFor('resumed', async () => condition(await getJob('sus'), 'Suspended')?.status === 'False');
  });

  it('fails a Job past activeDeadlineSeconds', async () => {
    await client.create(JOBS, jobManifest('slow', { activeDeadlineSeconds: 30 }));
    await activePods('slow', 1);
    await waitFor('startTime', async () => statusOf(await getJob('slow')).startTime);
    clock.advance(31_000);
    const job = await waitFor('Failed', async () => {
      const j = await getJob('slow');
      return condition(j, 'Failed')?.status === 'True' && j;
    });
    expect(condition(job, 'Failed')).toMatchObject({ reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    expect(running(await podsOf('slow'))).toHaveLength(0);
    expect(errors.filter((e) => !/^events ".*" already exists$/.test((e as Error).message))).toEqual([]);
  });
});
