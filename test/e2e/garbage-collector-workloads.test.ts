// The garbage collector with the workload controllers, scheduler and kubelet on a virtual
// clock: deleting a Deployment removes its ReplicaSets and their pods, deleting a CronTab its
// Job and the Job's pods, as kube-controller-manager's collector cascades them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, ResourceRef, VirtualClock } from '../../src/index.js';
import type { KubeObject } from '../../src/apiserver/object.js';
import { garbageCollectorController } from '../../src/controllers/garbagecollector/setup.js';
import { schedulerController } from '../../src/controllers/scheduler/index.js';
import { kubeletController } from '../../src/controllers/kubelet/index.js';
import { jobController } from '../../src/controllers/job/setup.js';
import { cronTabController } from '../../src/controllers/crontab/setup.js';
import { replicaSetController } from '../../src/controllers/replicaset/setup.js';
import { deploymentController } from '../../src/controllers/deployment/setup.js';
import { CRONTABS } from '../../src/controllers/crontab/crd.js';
import { startWithControllers, type ControllerHarness } from './controller-harness.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const RS: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true };
const DEPLOY: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const JOBS: ResourceRef = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };
const NS = 'default';

let client: Client;
let clock: VirtualClock;
let harness: ControllerHarness;

beforeAll(async () => {
  harness = await startWithControllers([
    garbageCollectorController,
    schedulerController,
    kubeletController,
    jobController,
    replicaSetController,
    deploymentController,
    cronTabController,
  ]);
  client = harness.cluster.client;
  clock = harness.clock;
});
afterAll(async () => harness?.stop());

/** Poll, nudging the virtual clock so the controllers' timers and retries fire. */
const until = <T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 10_000) => harness.until(what, check, { timeoutMs, nudgeMs: 500 });

const names = async (ref: ResourceRef, labelSelector: string): Promise<string[]> =>
  (await client.list(ref, { namespace: NS, labelSelector })).items.map((o) => o.metadata.name!);

describe('garbage collector with the workload controllers', () => {
  it('deleting a Deployment removes its ReplicaSets and their pods', async () => {
    await client.create<KubeObject>(DEPLOY, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: NS },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      },
    });
    await until('2 pods and a ReplicaSet', async () => (await names(PODS, 'app=web')).length === 2 && (await names(RS, 'app=web')).length === 1);
    await client.delete(DEPLOY, 'web', NS);
    await until('ReplicaSets gone', async () => (await names(RS, 'app=web')).length === 0);
    await until('pods gone', async () => (await names(PODS, 'app=web')).length === 0);
  });

  it('deleting a CronTab removes its Job and the Job\'s pods', async () => {
    await client.create<KubeObject>(CRONTABS, {
      apiVersion: 'stable.example.com/v1',
      kind: 'CronTab',
      metadata: { name: 'nightly', namespace: NS },
      spec: { cronSpec: '* * * * */5', image: 'nginx:1.27', replicas: 2 },
    });
    const job = await until('the Job and its 2 pods', async () => {
      const j = await client.get(JOBS, 'nightly', NS);
      const pods = (await client.list(PODS, { namespace: NS, labelSelector: `batch.kubernetes.io/controller-uid=${j.metadata.uid}` })).items;
      return pods.length === 2 && j;
    });
    const selector = `batch.kubernetes.io/controller-uid=${job.metadata.uid}`;
    await client.delete(CRONTABS, 'nightly', NS);
    await until('Job gone', async () => !(await client.list(JOBS, { namespace: NS })).items.some((j) => j.metadata.uid === job.metadata.uid));
    await until('pods gone', async () => (await client.list(PODS, { namespace: NS, labelSelector: selector })).items.length === 0);
  });

  it('reported no controller errors', () => {
    expect(harness.errors).toEqual([]);
  });
});
