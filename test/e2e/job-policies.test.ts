// The Job controller's policies on a virtual clock: the tracking finalizer, podFailurePolicy,
// backoffLimitPerIndex and successPolicy; and ttlSecondsAfterFinished. No kubelet runs: the test plays it by patching pod
// status (phase, container exit codes, conditions).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Cluster, VirtualClock } from '../../src/index.js';
import { startWithControllers, waitFor, type ControllerHarness } from './controller-harness.js';
import type { KubeObject } from '../../src/apiserver/object.js';
import { jobController } from '../../src/controllers/job/setup.js';
import { JOBS, PODS } from '../../src/controllers/job/reconciler.js';
import { ttlAfterFinishedController } from '../../src/controllers/ttlafterfinished/setup.js';

const EVENTS = { group: '', version: 'v1', resource: 'events', namespaced: true };
const NS = 'default';
const TRACKING = 'batch.kubernetes.io/job-tracking';

let cluster: Cluster;
let client: Client;
let clock: VirtualClock;
let harness: ControllerHarness;

beforeAll(async () => {
  harness = await startWithControllers([jobController, ttlAfterFinishedController]);
  ({ cluster, clock } = harness);
  client = cluster.client;
});
afterAll(async () => harness?.stop());

function jobManifest(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS },
    spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
  };
}

async function podsOf(job: string): Promise<KubeObject[]> {
  return (await client.list(PODS, { namespace: NS, labelSelector: `batch.kubernetes.io/job-name=${job}` })).items;
}
const phase = (p: KubeObject) => (p.status as { phase?: string } | undefined)?.phase;
const running = (pods: KubeObject[]) => pods.filter((p) => phase(p) !== 'Succeeded' && phase(p) !== 'Failed' && !p.metadata.deletionTimestamp);
const getJob = (name: string) => client.get(JOBS, name, NS);
const statusOf = (j: KubeObject) => (j.status ?? {}) as Record<string, any>;
const condition = (j: KubeObject, type: string) => (statusOf(j).conditions ?? []).find((c: any) => c.type === type);
const indexOf = (p: KubeObject) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'];

/** Finish a pod as the kubelet would: phase, the main container's exit code, extra conditions. */
async function finish(pod: KubeObject, exitCode: number, conditions: Record<string, string>[] = []): Promise<void> {
  const status = {
    phase: exitCode === 0 ? 'Succeeded' : 'Failed',
    conditions,
    containerStatuses: [{ name: 'main', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed' } } }],
  };
  await client.patch(PODS, pod.metadata.name!, { status }, 'merge', { namespace: NS, subresource: 'status' });
}

async function activePods(job: string, n: number): Promise<KubeObject[]> {
  return waitFor(`${n} active pods of ${job}`, async () => {
    const pods = running(await podsOf(job));
    return pods.length === n && pods;
  });
}

async function jobWith(name: string, type: string): Promise<KubeObject> {
  return waitFor(`${name} ${type}`, async () => {
    const j = await getJob(name);
    return condition(j, type)?.status === 'True' && j;
  });
}

async function eventsFor(name: string): Promise<KubeObject[]> {
  return (await client.list(EVENTS, { namespace: NS })).items.filter((e) => (e.involvedObject as { name?: string }).name === name);
}

describe('job tracking finalizer', () => {
  it('is on every pod the Job creates and removed once the pod is counted', async () => {
    await client.create(JOBS, jobManifest('tracked', { completions: 2, parallelism: 1 }));
    const [first] = await activePods('tracked', 1);
    expect(first!.metadata.finalizers).toEqual([TRACKING]);
    clock.advance(1000);
    await finish(first!, 0);
    await waitFor('counted', async () => statusOf(await getJob('tracked')).succeeded === 1);
    const counted = await client.get(PODS, first!.metadata.name!, NS);
    expect(counted.metadata.finalizers ?? []).toEqual([]);
    const [second] = await activePods('tracked', 1);
    expect(second!.metadata.finalizers).toEqual([TRACKING]);
    clock.advance(1000);
    await finish(second!, 0);
    const job = await jobWith('tracked', 'Complete');
    expect(statusOf(job)).toMatchObject({ succeeded: 2, failed: 0, active: 0, terminating: 0, uncountedTerminatedPods: {} });
    for (const p of await podsOf('tracked')) expect(p.metadata.finalizers ?? []).toEqual([]);
  });

  it('counts a pod the user deletes as failed and lets it go', async () => {
    await client.create(JOBS, jobManifest('deleted', { completions: 1 }));
    const [pod] = await activePods('deleted', 1);
    clock.advance(1000);
    await client.delete(PODS, pod!.metadata.name!, NS);
    await waitFor('failed 1', async () => statusOf(await getJob('deleted')).failed === 1);
    // The finalizer is gone, so the pod did not stay Terminating.
    await waitFor('pod gone', async () => !(await podsOf('deleted')).some((p) => p.metadata.name === pod!.metadata.name));
    await waitFor('terminating 0', async () => statusOf(await getJob('deleted')).terminating === 0);
    expect(statusOf(await getJob('deleted'))).toMatchObject({ failed: 1, active: 0, uncountedTerminatedPods: {} });
    clock.advance(10_000);
    const [replacement] = await activePods('deleted', 1);
    await finish(replacement!, 0);
    expect(statusOf(await jobWith('deleted', 'Complete'))).toMatchObject({ succeeded: 1, failed: 1 });
  });

  it('lets surplus pods go uncounted when parallelism shrinks', async () => {
    await client.create(JOBS, jobManifest('shrink', { completions: 3, parallelism: 3 }));
    await activePods('shrink', 3);
    await client.patch(JOBS, 'shrink', { spec: { parallelism: 1 } }, 'merge', { namespace: NS });
    await waitFor('one pod left', async () => (await podsOf('shrink')).length === 1);
    await waitFor('active 1', async () => statusOf(await getJob('shrink')).active === 1);
    expect(statusOf(await getJob('shrink'))).toMatchObject({ failed: 0, succeeded: 0 });
  });

  it('removes the finalizer from pods whose Job was deleted', async () => {
    await client.create(JOBS, jobManifest('gone', { completions: 1 }));
    const [pod] = await activePods('gone', 1);
    // Background: the Job goes now (batch/v1's default would orphan, leaving it for the garbage collector).
    await client.delete(JOBS, 'gone', NS, { propagationPolicy: 'Background' });
    await waitFor('finalizer released', async () => ((await client.get(PODS, pod!.metadata.name!, NS)).metadata.finalizers ?? []).length === 0);
  });
});

describe('spec.managedBy', () => {
  it('leaves a Job another controller manages alone', async () => {
    await client.create(JOBS, jobManifest('external', { managedBy: 'example.com/batch' }));
    await new Promise((r) => setTimeout(r, 50));
    expect(await podsOf('external')).toEqual([]);
    expect(statusOf(await getJob('external'))).toEqual({});
  });
});

describe('podFailurePolicy', () => {
  it('fails the Job on a FailJob exit code, stopping the other pods', async () => {
    await client.create(
      JOBS,
      jobManifest('exit42', {
        completions: 2,
        parallelism: 2,
        podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } }] },
      }),
    );
    const [a, b] = await activePods('exit42', 2);
    clock.advance(1000);
    await finish(a!, 42);
    const target = await waitFor('FailureTarget', async () => {
      const j = await getJob('exit42');
      return condition(j, 'FailureTarget')?.status === 'True' && j;
    });
    const message = `Container main for pod default/${a!.metadata.name} failed with exit code 42 matching FailJob rule at index 0`;
    expect(condition(target, 'FailureTarget')).toMatchObject({ reason: 'PodFailurePolicy', message });
    const job = await jobWith('exit42', 'Failed');
    expect(condition(job, 'Failed')).toMatchObject({ reason: 'PodFailurePolicy', message });
    // The other pod was deleted and, once the Job failed, counted as a failure too.
    expect(statusOf(job)).toMatchObject({ failed: 2, active: 0, terminating: 0, uncountedTerminatedPods: {} });
    await waitFor('b gone', async () => !(await podsOf('exit42')).some((p) => p.metadata.name === b!.metadata.name));
    await waitFor('event', async () => (await eventsFor('exit42')).some((e) => e.type === 'Warning' && e.reason === 'PodFailurePolicy' && e.message === message));
  });

  it('does not count a failure an Ignore rule matches on DisruptionTarget', async () => {
    await client.create(
      JOBS,
      jobManifest('disrupted', {
        backoffLimit: 0,
        podFailurePolicy: {
          rules: [
            { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
            { action: 'Count', onExitCodes: { operator: 'NotIn', values: [0] } },
          ],
        },
      }),
    );
    const [pod] = await activePods('disrupted', 1);
    clock.advance(1000);
    await finish(pod!, 137, [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }]);
    await waitFor('counted away', async () => ((await client.get(PODS, pod!.metadata.name!, NS)).metadata.finalizers ?? []).length === 0);
    let job = await getJob('disrupted');
    expect(statusOf(job).failed).toBe(0);
    expect(condition(job, 'Failed')).toBeUndefined();
    // The ignored failure still backs off the replacement.
    clock.advance(10_000);
    const [replacement] = await activePods('disrupted', 1);
    await finish(replacement!, 0);
    job = await jobWith('disrupted', 'Complete');
    expect(statusOf(job)).toMatchObject({ succeeded: 1, failed: 0 });
  });
});

describe('backoffLimitPerIndex', () => {
  it('retries an index within its own limit, then marks it failed', async () => {
    await client.create(JOBS, jobManifest('perindex', { completions: 3, parallelism: 3, completionMode: 'Indexed', backoffLimitPerIndex: 1 }));
    const pods = new Map((await activePods('perindex', 3)).map((p) => [indexOf(p), p]));
    expect(pods.get('1')!.metadata.annotations?.['batch.kubernetes.io/job-index-failure-count']).toBe('0');
    clock.advance(1000);
    await finish(pods.get('1')!, 1);
    await waitFor('active 2', async () => statusOf(await getJob('perindex')).active === 2);
    // The failed pod keeps its finalizer, uncounted, until its replacement exists, which waits out the backoff.
    expect((await client.get(PODS, pods.get('1')!.metadata.name!, NS)).metadata.finalizers).toEqual([TRACKING]);
    expect(statusOf(await getJob('perindex')).failed).toBe(0);
    clock.advance(10_000);
    const retry = await waitFor('retry of index 1', async () => running(await podsOf('perindex')).find((p) => indexOf(p) === '1'));
    expect(retry.metadata.annotations?.['batch.kubernetes.io/job-index-failure-count']).toBe('1');
    await waitFor('first pod released', async () => ((await client.get(PODS, pods.get('1')!.metadata.name!, NS)).metadata.finalizers ?? []).length === 0);
    await waitFor('failed 1', async () => statusOf(await getJob('perindex')).failed === 1);
    clock.advance(1000);
    await finish(retry, 1);
    await waitFor('failedIndexes 1', async () => statusOf(await getJob('perindex')).failedIndexes === '1');
    await finish(pods.get('0')!, 0);
    await finish(pods.get('2')!, 0);
    const job = await jobWith('perindex', 'Failed');
    expect(condition(job, 'Failed')).toMatchObject({ reason: 'FailedIndexes', message: 'Job has failed indexes' });
    expect(statusOf(job)).toMatchObject({ failedIndexes: '1', completedIndexes: '0,2', succeeded: 2, failed: 2 });
  });

  it('fails an index at once on a FailIndex rule', async () => {
    await client.create(
      JOBS,
      jobManifest('failindex', {
        completions: 2,
        parallelism: 2,
        completionMode: 'Indexed',
        backoffLimitPerIndex: 3,
        podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [5] } }] },
      }),
    );
    const pods = new Map((await activePods('failindex', 2)).map((p) => [indexOf(p), p]));
    clock.advance(1000);
    await finish(pods.get('0')!, 5);
    await waitFor('failedIndexes 0', async () => statusOf(await getJob('failindex')).failedIndexes === '0');
    // No retry for index 0, however long we wait.
    clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(running(await podsOf('failindex')).map(indexOf)).toEqual(['1']);
    await finish(pods.get('1')!, 0);
    const job = await jobWith('failindex', 'Failed');
    expect(statusOf(job)).toMatchObject({ failedIndexes: '0', completedIndexes: '1', failed: 1, succeeded: 1 });
    expect(condition(job, 'Failed')).toMatchObject({ reason: 'FailedIndexes' });
  });

  it('fails the Job once more indexes failed than maxFailedIndexes', async () => {
    await client.create(
      JOBS,
      jobManifest('maxfailed', { completions: 4, parallelism: 4, completionMode: 'Indexed', backoffLimitPerIndex: 0, maxFailedIndexes: 1 }),
    );
    const pods = await activePods('maxfailed', 4);
    clock.advance(1000);
    await finish(pods[0]!, 1);
    await waitFor('one failed index', async () => statusOf(await getJob('maxfailed')).failedIndexes === indexOf(pods[0]!));
    await finish(pods[1]!, 1);
    const job = await jobWith('maxfailed', 'Failed');
    expect(condition(job, 'Failed')).toMatchObject({ reason: 'MaxFailedIndexesExceeded', message: 'Job has exceeded the specified maximal number of failed indexes' });
    expect(statusOf(job)).toMatchObject({ active: 0, terminating: 0 });
  });
});

describe('successPolicy', () => {
  it('succeeds once the rule’s indexes succeeded, terminating the rest', async () => {
    await client.create(
      JOBS,
      jobManifest('leader', { completions: 3, parallelism: 3, completionMode: 'Indexed', successPolicy: { rules: [{ succeededIndexes: '0' }] } }),
    );
    const pods = new Map((await activePods('leader', 3)).map((p) => [indexOf(p), p]));
    clock.advance(1000);
    await finish(pods.get('0')!, 0);
    const job = await jobWith('leader', 'Complete');
    expect(condition(job, 'SuccessCriteriaMet')).toMatchObject({ reason: 'SuccessPolicy', message: 'Matched rules at index 0' });
    expect(condition(job, 'Complete')).toMatchObject({ reason: 'SuccessPolicy', message: 'Matched rules at index 0' });
    expect(statusOf(job)).toMatchObject({ succeeded: 1, completedIndexes: '0', active: 0, terminating: 0 });
    expect(statusOf(job).completionTime).toBeDefined();
    // The two workers were deleted and, their finalizers removed, are gone.
    await waitFor('workers gone', async () => (await podsOf('leader')).length === 1);
  });
});

describe('ttlSecondsAfterFinished', () => {
  // The controller deletes in the foreground: the Job is marked (foregroundDeletion) until the
  // garbage collector has removed its pods, then goes.
  const deleting = async (name: string) =>
    (await client.list(JOBS, { namespace: NS })).items.every((j) => j.metadata.name !== name || Boolean(j.metadata.deletionTimestamp && j.metadata.finalizers?.includes('foregroundDeletion')));

  it('deletes a finished Job once its ttl has passed on the clock, not before', async () => {
    await client.create(JOBS, jobManifest('ttl', { ttlSecondsAfterFinished: 60 }));
    const [pod] = await activePods('ttl', 1);
    await finish(pod!, 0);
    await jobWith('ttl', 'Complete');
    clock.advance(59_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(await deleting('ttl')).toBe(false);
    clock.advance(1000);
    await waitFor('ttl deleted', () => deleting('ttl'));
  });

  it('re-reads a ttl changed before it expired', async () => {
    await client.create(JOBS, jobManifest('ttl-edit', { ttlSecondsAfterFinished: 10, backoffLimit: 0 }));
    const [pod] = await activePods('ttl-edit', 1);
    await finish(pod!, 1);
    await jobWith('ttl-edit', 'Failed');
    await client.patch(JOBS, 'ttl-edit', { spec: { ttlSecondsAfterFinished: 100 } }, 'merge', { namespace: NS });
    clock.advance(10_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(await deleting('ttl-edit')).toBe(false);
    clock.advance(90_000);
    await waitFor('ttl-edit deleted', () => deleting('ttl-edit'));
  });

  it('leaves a Job without a ttl alone', async () => {
    await client.create(JOBS, jobManifest('keep', {}));
    const [pod] = await activePods('keep', 1);
    await finish(pod!, 0);
    await jobWith('keep', 'Complete');
    clock.advance(3_600_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(await deleting('keep')).toBe(false);
  });
});
