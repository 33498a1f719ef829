// The CronJob controller against an in-process cluster on a virtual clock. No Job controller
// runs: the test plays it by patching Job status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Cluster, VirtualClock } from '../../src/index.js';
import { startWithControllers, waitFor, type ControllerHarness } from './controller-harness.js';
import type { KubeObject } from '../../src/apiserver/object.js';
import { cronJobController } from '../../src/controllers/cronjob/setup.js';
import { CRONJOBS, JOBS } from '../../src/controllers/cronjob/reconciler.js';

const EVENTS = { group: '', version: 'v1', resource: 'events', namespaced: true };
const NS = 'default';
const MIN = 60_000;

let cluster: Cluster;
let client: Client;
let clock: VirtualClock;
let harness: ControllerHarness;

beforeAll(async () => {
  harness = await startWithControllers([cronJobController]);
  ({ cluster, clock } = harness);
  client = cluster.client;
  // A fixed start 30s off the minute, so whole-minute steps never land exactly on a schedule
  // time (the controller wakes 100ms after one) and every run sees the same steps.
  clock.set(new Date(Date.UTC(2030, 0, 1, 0, 0, 30)));
});
afterAll(async () => harness?.stop());

function cronJob(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: NS },
    spec: {
      schedule: '*/5 * * * *',
      ...spec,
      jobTemplate: {
        metadata: { labels: { app: name }, annotations: { note: 'from-template' } },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['true'] }] } } },
      },
    },
  };
}

async function jobsOf(cj: KubeObject): Promise<KubeObject[]> {
  const items = (await client.list(JOBS, { namespace: NS })).items;
  return items.filter((j) => (j.metadata.ownerReferences ?? []).some((o) => o.uid === cj.metadata.uid)).sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
}
const getCj = (name: string) => client.get(CRONJOBS, name, NS);
const statusOf = (o: KubeObject) => (o.status ?? {}) as Record<string, any>;

/** Schedule times of a every-5-minutes CronJob in (from, to]. */
function marks(from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = Math.floor(from / (5 * MIN)) * 5 * MIN + 5 * MIN; t <= to; t += 5 * MIN) out.push(t);
  return out;
}

async function complete(job: KubeObject, type: 'Complete' | 'Failed' = 'Complete'): Promise<void> {
  const now = clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const conditions = type === 'Complete'
    ? [{ type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached' }, { type: 'Complete', status: 'True', reason: 'CompletionsReached' }]
    : [{ type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded' }, { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }];
  const status: Record<string, unknown> = { conditions: conditions.map((c) => ({ ...c, lastTransitionTime: now, lastProbeTime: now })), startTime: job.metadata.creationTimestamp };
  if (type === 'Complete') status.completionTime = now;
  await client.patch(JOBS, job.metadata.name!, { status }, 'merge', { namespace: NS, subresource: 'status' });
}

async function eventsFor(name: string): Promise<KubeObject[]> {
  return (await client.list(EVENTS, { namespace: NS })).items.filter((e) => (e.involvedObject as { name?: string }).name === name);
}

/** Advance the clock one minute at a time, letting the controller settle between steps. */
async function advanceMinutes(cj: KubeObject, minutes: number, expectJobs: (now: number) => number): Promise<void> {
  for (let i = 0; i < minutes; i++) {
    clock.advance(MIN);
    // The controller requeues for 100ms past each schedule time (as kube does).
    const want = expectJobs(clock.now().getTime() - 100);
    await waitFor(`${want} jobs at ${clock.now().toISOString()}`, async () => (await jobsOf(cj)).length === want);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const unexpectedErrors = () => harness.errors.filter((e) => !/AlreadyExists|already exists/.test(String((e as Error)?.message ?? e)));

describe('cronjob controller', () => {
  it('creates a Job per schedule time over an hour, named by scheduled minute, and applies history limits', async () => {
    const cj = await client.create(CRONJOBS, cronJob('every5', { successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 }));
    const created = Date.parse(cj.metadata.creationTimestamp!);
    await advanceMinutes(cj, 60, (now) => marks(created, now).length);
    const expected = marks(created, clock.now().getTime() - 100);
    expect(expected).toHaveLength(12);
    const jobs = await jobsOf(cj);
    expect(jobs.map((j) => j.metadata.name)).toEqual(expected.map((t) => `every5-${t / MIN}`));
    const first = jobs[0]!;
    expect(first.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'every5', uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(first.metadata.labels?.app).toBe('every5');
    expect(first.metadata.annotations).toMatchObject({ note: 'from-template', 'batch.kubernetes.io/cronjob-scheduled-timestamp': new Date(expected[0]!).toISOString().replace('.000Z', 'Z') });
    const st = await waitFor('status with 12 active', async () => {
      const s = statusOf(await getCj('every5'));
      return s.active?.length === 12 && s;
    });
    expect(st.lastScheduleTime).toBe(new Date(expected[11]!).toISOString().replace('.000Z', 'Z'));
    expect(st.active[0]).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', name: first.metadata.name, namespace: NS, uid: first.metadata.uid });
    const ev = await eventsFor('every5');
    expect(ev.some((e) => e.reason === 'SuccessfulCreate' && /^Created job every5-\d+$/.test(String(e.message)))).toBe(true);

    // Finish them in order: only the newest 3 Complete and newest 1 Failed survive.
    await client.patch(CRONJOBS, 'every5', { spec: { suspend: true } }, 'merge', { namespace: NS });
    for (const [i, j] of jobs.entries()) {
      await complete(j, i < 2 ? 'Failed' : 'Complete');
      clock.advance(1000);
    }
    const left = await waitFor('history limits applied', async () => {
      const js = await jobsOf(cj);
      return js.length === 4 && js;
    });
    expect(left.map((j) => j.metadata.name)).toEqual([jobs[1], ...jobs.slice(9)].map((j) => j!.metadata.name));
    const after = await waitFor('no active', async () => {
      const s = statusOf(await getCj('every5'));
      return !s.active?.length && s.lastSuccessfulTime && s;
    });
    expect(after.lastSuccessfulTime).toBeDefined();
    const evs = await eventsFor('every5');
    expect(evs.some((e) => e.reason === 'SawCompletedJob')).toBe(true);
    expect(evs.some((e) => e.reason === 'SuccessfulDelete' && /^Deleted job every5-\d+$/.test(String(e.message)))).toBe(true);
    await client.delete(CRONJOBS, 'every5', NS);
    expect(unexpectedErrors()).toEqual([]);
  });

  it('Forbid skips a schedule time while a Job is active', async () => {
    const cj = await client.create(CRONJOBS, cronJob('forbid', { concurrencyPolicy: 'Forbid' }));
    const created = Date.parse(cj.metadata.creationTimestamp!);
    await advanceMinutes(cj, 5, (now) => Math.min(1, marks(created, now).length));
    const [running] = await jobsOf(cj);
    expect(running).toBeDefined();
    await advanceMinutes(cj, 10, () => 1);
    expect((await jobsOf(cj)).map((j) => j.metadata.name)).toEqual([running!.metadata.name]);
    expect((await eventsFor('forbid')).some((e) => e.reason === 'JobAlreadyActive')).toBe(true);
    await complete(running!);
    // As in kube, the skipped time is still unmet: once the Job finishes, its run starts at once.
    const missed = marks(created, clock.now().getTime()).at(-1)!;
    const next = await waitFor('catch-up job', async () => {
      const js = await jobsOf(cj);
      return js.length === 2 && js.find((j) => j.metadata.name === `forbid-${missed / MIN}`);
    });
    await waitFor('active is the catch-up job', async () => {
      const a = statusOf(await getCj('forbid')).active ?? [];
      return a.length === 1 && a[0].uid === next.metadata.uid;
    });
    await advanceMinutes(cj, 5, () => 2);
    await client.delete(CRONJOBS, 'forbid', NS);
  });

  it('Replace deletes the active Job before creating the next', async () => {
    const cj = await client.create(CRONJOBS, cronJob('replace', { concurrencyPolicy: 'Replace' }));
    const created = Date.parse(cj.metadata.creationTimestamp!);
    await advanceMinutes(cj, 5, (now) => Math.min(1, marks(created, now).length));
    const [firstJob] = await jobsOf(cj);
    clock.advance(5 * MIN + 1000);
    // Replacing deletes before it creates, so wait for the new Job rather than a count.
    const second = await waitFor('the replacement job', async () => {
      const js = await jobsOf(cj);
      return js.length === 1 && js[0]!.metadata.name !== firstJob!.metadata.name && js[0];
    });
    await expect(client.get(JOBS, firstJob!.metadata.name!, NS)).rejects.toThrow();
    const st = await waitFor('active is the new job', async () => {
      const s = statusOf(await getCj('replace'));
      return s.active?.length === 1 && s.active[0].name === second!.metadata.name && s;
    });
    expect(st.active[0].uid).toBe(second!.metadata.uid);
    expect((await eventsFor('replace')).some((e) => e.reason === 'SuccessfulDelete' && e.message === `Deleted job ${firstJob!.metadata.name}`)).toBe(true);
    await client.delete(CRONJOBS, 'replace', NS);
  });

  it('suspend stops scheduling; startingDeadlineSeconds skips times missed by too much', async () => {
    const cj = await client.create(CRONJOBS, cronJob('late', { suspend: true, startingDeadlineSeconds: 60 }));
    await advanceMinutes(cj, 12, () => 0);
    // Resume 2+ minutes after the last time: it is past the deadline, so nothing runs now.
    const now = clock.now().getTime();
    const last = marks(Date.parse(cj.metadata.creationTimestamp!), now).at(-1)!;
    clock.advance(Math.max(0, last + 2 * MIN - now) + 1000);
    await client.patch(CRONJOBS, 'late', { spec: { suspend: false } }, 'merge', { namespace: NS });
    await new Promise((r) => setTimeout(r, 50));
    expect(await jobsOf(cj)).toHaveLength(0);
    // The next time is met on time.
    const resumed = clock.now().getTime();
    await advanceMinutes(cj, 5, (t) => Math.min(1, marks(resumed, t).length));
    const [job] = await jobsOf(cj);
    expect(job!.metadata.name).toBe(`late-${marks(resumed, clock.now().getTime())[0]! / MIN}`);
    await client.delete(CRONJOBS, 'late', NS);
  });
});
