// The CronTab controller (the custom controller of the CRD lesson) against an in-process
// cluster on a virtual clock, with no Job controller or garbage collector running: the test
// plays the Job controller by patching Job status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Cluster, VirtualClock } from '../../src/index.js';
import type { KubeObject } from '../../src/apiserver/object.js';
import { startWithControllers, waitFor, type ControllerHarness } from './controller-harness.js';
import { cronTabController, installCronTabCRD } from '../../src/controllers/crontab/setup.js';
import { CRDS, CRONTABS, CRONTAB_CRD_NAME } from '../../src/controllers/crontab/crd.js';
import { JOBS } from '../../src/controllers/crontab/job.js';

const EVENTS = { group: '', version: 'v1', resource: 'events', namespaced: true };
const NS = 'default';

let cluster: Cluster;
let client: Client;
let clock: VirtualClock;
let harness: ControllerHarness;
let errors: unknown[];

beforeAll(async () => {
  harness = await startWithControllers([cronTabController]);
  ({ cluster, clock, errors } = harness);
  client = cluster.client;
});
afterAll(async () => harness?.stop());

const cronTab = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'stable.example.com/v1',
  kind: 'CronTab',
  metadata: { name, namespace: NS },
  spec: { cronSpec: '* * * * */5', ...spec },
});
const getCT = (name: string) => client.get(CRONTABS, name, NS);
const getJob = (name: string) => client.get(JOBS, name, NS);
const statusOf = (o: KubeObject) => (o.status ?? {}) as Record<string, any>;
const condition = (o: KubeObject, type: string) => (statusOf(o).conditions ?? []).find((c: any) => c.type === type);
const containers = (job: KubeObject) => (job.spec as any).template.spec.containers as Record<string, unknown>[];

async function jobOf(name: string, check: (j: KubeObject) => boolean = () => true): Promise<KubeObject> {
  return waitFor(`Job ${name}`, async () => {
    const j = await getJob(name);
    return check(j) && j;
  });
}

describe('crontab controller', () => {
  it('installs the CronTab CRD and it is Established', async () => {
    const crd = await client.get(CRDS, CRONTAB_CRD_NAME);
    expect(condition(crd, 'Established')).toMatchObject({ status: 'True' });
    const status = (crd.spec as any).versions[0].schema.openAPIV3Schema.properties.status.properties;
    expect(status).toHaveProperty('observedGeneration');
    expect(status).toHaveProperty('conditions');
    const resources = await client.serverResources();
    expect(resources.find((r) => r.group === 'stable.example.com' && r.resource === 'crontabs')).toMatchObject({ kind: 'CronTab', namespaced: true });
  });

  it('setup tolerates a CRD that is already installed', async () => {
    await expect(installCronTabCRD(client, 2000)).resolves.toBeUndefined();
  });

  it('creates a Job owned by the CronTab, and reports it in status', async () => {
    const ct = await client.create(CRONTABS, cronTab('ct-a', { image: 'my-awesome-cron-image', replicas: 2 }));
    const job = await jobOf('ct-a');
    expect(job.metadata.ownerReferences).toEqual([
      { apiVersion: 'stable.example.com/v1', kind: 'CronTab', name: 'ct-a', uid: ct.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(job.metadata.labels).toMatchObject({ crontab: 'ct-a' });
    const spec = job.spec as any;
    expect(spec).toMatchObject({ parallelism: 2, completions: 2 });
    expect(spec.template.spec.restartPolicy).toBe('OnFailure');
    expect(containers(job)).toHaveLength(1);
    expect(containers(job)[0]).toMatchObject({ name: 'crontab', image: 'my-awesome-cron-image' });
    expect(containers(job)[0]!.command).toBeUndefined();
    const got = await waitFor('status', async () => {
      const c = await getCT('ct-a');
      return condition(c, 'Ready')?.status === 'True' && c;
    });
    expect(statusOf(got)).toMatchObject({ observedGeneration: 1, jobName: 'ct-a', active: 0, succeeded: 0 });
    const ev = await waitFor('JobCreated event', async () =>
      (await client.list(EVENTS, { namespace: NS })).items.find((e) => e.reason === 'JobCreated' && (e.involvedObject as any).name === 'ct-a'),
    );
    expect(ev.message).toBe('Created Job ct-a');
    expect((ev.source as any).component).toBe('crontab-controller');
  });

  it('defaults replicas to 1', async () => {
    await client.create(CRONTABS, cronTab('ct-one', { image: 'busybox' }));
    const job = await jobOf('ct-one');
    expect(job.spec).toMatchObject({ parallelism: 1, completions: 1 });
  });

  it('status follows the Job status', async () => {
    await client.create(CRONTABS, cronTab('ct-s', { image: 'busybox', replicas: 2 }));
    await jobOf('ct-s');
    const patchJob = (status: Record<string, unknown>) => client.patch(JOBS, 'ct-s', { status }, 'merge', { namespace: NS, subresource: 'status' });
    await patchJob({ active: 2 });
    await waitFor('active 2', async () => statusOf(await getCT('ct-s')).active === 2);
    clock.advance(1000);
    await patchJob({ active: 1, succeeded: 1 });
    const mid = await waitFor('succeeded 1', async () => {
      const c = await getCT('ct-s');
      return statusOf(c).succeeded === 1 && statusOf(c).active === 1 && c;
    });
    expect(condition(mid, 'Complete')).toMatchObject({ status: 'False', reason: 'JobRunning' });
    await patchJob({ active: 0, succeeded: 2 });
    const done = await waitFor('Complete', async () => {
      const c = await getCT('ct-s');
      return condition(c, 'Complete')?.status === 'True' && c;
    });
    expect(statusOf(done)).toMatchObject({ active: 0, succeeded: 2, jobName: 'ct-s' });
    expect(condition(done, 'Complete')).toMatchObject({ reason: 'JobSucceeded' });
  });

  it('replaces the Job when spec.image changes', async () => {
    await client.create(CRONTABS, cronTab('ct-r', { image: 'old-image' }));
    const old = await jobOf('ct-r');
    await waitFor('observed 1', async () => statusOf(await getCT('ct-r')).observedGeneration === 1);
    clock.advance(1000);
    await client.patch(CRONTABS, 'ct-r', { spec: { image: 'new-image', replicas: 3 } }, 'merge', { namespace: NS });
    const job = await jobOf('ct-r', (j) => containers(j)[0]?.image === 'new-image');
    expect(job.metadata.uid).not.toBe(old.metadata.uid);
    expect(job.spec).toMatchObject({ parallelism: 3, completions: 3 });
    const ct = await waitFor('observed 2', async () => {
      const c = await getCT('ct-r');
      return statusOf(c).observedGeneration === 2 && condition(c, 'Ready')?.status === 'True' && c;
    });
    expect(job.metadata.ownerReferences?.[0]?.uid).toBe(ct.metadata.uid);
    await waitFor('JobDeleted event', async () =>
      (await client.list(EVENTS, { namespace: NS })).items.some((e) => e.reason === 'JobDeleted' && (e.involvedObject as any).name === 'ct-r'),
    );
  });

  it('waits for an old Job that is still being deleted before creating the new one', async () => {
    await client.create(CRONTABS, cronTab('ct-f', { image: 'v1' }));
    const old = await jobOf('ct-f');
    await waitFor('observed 1', async () => statusOf(await getCT('ct-f')).observedGeneration === 1);
    await client.patch(JOBS, 'ct-f', { metadata: { finalizers: ['example.com/hold'] } }, 'merge', { namespace: NS });
    clock.advance(1000);
    await client.patch(CRONTABS, 'ct-f', { spec: { image: 'v2' } }, 'merge', { namespace: NS });
    await jobOf('ct-f', (j) => Boolean(j.metadata.deletionTimestamp));
    const pending = await waitFor('pending', async () => {
      const c = await getCT('ct-f');
      return condition(c, 'Ready')?.reason === 'JobPending' && c;
    });
    expect(statusOf(pending).observedGeneration).toBe(1);
    clock.advance(1000); // the requeue finds it still there
    await new Promise((r) => setTimeout(r, 30));
    expect((await getJob('ct-f')).metadata.uid).toBe(old.metadata.uid);
    await client.patch(JOBS, 'ct-f', { metadata: { finalizers: null } }, 'merge', { namespace: NS });
    const job = await jobOf('ct-f', (j) => j.metadata.uid !== old.metadata.uid);
    expect(containers(job)[0]).toMatchObject({ image: 'v2' });
    await waitFor('observed 2', async () => statusOf(await getCT('ct-f')).observedGeneration === 2);
  });

  it('a metadata-only change of the CronTab does not replace the Job', async () => {
    const before = await getJob('ct-a');
    await client.patch(CRONTABS, 'ct-a', { metadata: { labels: { touched: 'yes' } } }, 'merge', { namespace: NS });
    await new Promise((r) => setTimeout(r, 50));
    expect((await getJob('ct-a')).metadata.uid).toBe(before.metadata.uid);
  });

  it('deleting the CronTab leaves its Job (no garbage collector runs here)', async () => {
    await client.delete(CRONTABS, 'ct-one', NS);
    await waitFor('CronTab gone', async () => {
      try {
        await getCT('ct-one');
        return false;
      } catch {
        return true;
      }
    });
    await new Promise((r) => setTimeout(r, 50));
    const job = await getJob('ct-one');
    expect(job.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronTab', name: 'ct-one' });
    expect(errors).toEqual([]);
  });
});
