// The controllers together, in-process as `npx kubesim` runs them: the scheduler binds a
// Job's pods to the simulated node, the kubelet runs them, the Job completes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type Cluster, type ClusterClock, type KubeObject } from '../../src/index.js';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ clock: 'virtual' });
});
afterAll(async () => cluster?.stop());

const JOBS = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };
const PODS = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NODES = { group: '', version: 'v1', resource: 'nodes', namespaced: false };

async function until<T>(what: string, fn: () => Promise<T | undefined>, clock?: ClusterClock): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await clock?.advance(1000);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('runs a Job to completion on the simulated node', async () => {
  const client = cluster.client;
  const clock = cluster.clock;
  await until('a Ready node', async () => ((await client.list(NODES)).items.length > 0 ? true : undefined));
  await client.create(JOBS, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'hello', namespace: 'default' },
    spec: { completions: 2, parallelism: 1, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo hello; sleep 5'] }] } } },
  } as KubeObject);
  const job = await until(
    'the Job to complete',
    async () => {
      const j = await client.get<KubeObject & { status?: { succeeded?: number; conditions?: { type: string; status: string }[] } }>(JOBS, 'hello', 'default');
      return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
    },
    clock,
  );
  expect(job.status?.succeeded).toBe(2);
  const pods = (await client.list(PODS, { namespace: 'default', labelSelector: 'job-name=hello' })).items as (KubeObject & { spec: { nodeName?: string }; status: { phase: string } })[];
  expect(pods).toHaveLength(2);
  for (const p of pods) {
    expect(p.spec.nodeName).toBe('kubesim-node-1');
    expect(p.status.phase).toBe('Succeeded');
    expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Job', name: 'hello', controller: true });
  }
});

it('replaces a deleted pod of a Job whose failure policy ignores the kill', async () => {
  const client = cluster.client;
  const clock = cluster.clock;
  await client.create(JOBS, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'resilient', namespace: 'default' },
    spec: {
      backoffLimit: 0,
      podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [137] } }] },
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sleep', '30'] }] } },
    },
  } as KubeObject);
  const podsOf = async () => (await client.list(PODS, { namespace: 'default', labelSelector: 'job-name=resilient' })).items as (KubeObject & { status?: { phase?: string } })[];
  const first = await until('a running pod', async () => (await podsOf()).find((p) => p.status?.phase === 'Running'));
  // The job-tracking finalizer holds the pod; the kubelet kills it (exit 137) and the Job ignores that failure.
  await client.delete(PODS, first.metadata.name!, 'default');
  const job = await until(
    'the Job to complete',
    async () => {
      const j = await client.get<KubeObject & { status?: { succeeded?: number; failed?: number; conditions?: { type: string; status: string }[] } }>(JOBS, 'resilient', 'default');
      return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
    },
    clock,
  );
  expect(job.status).toMatchObject({ succeeded: 1, failed: 0 });
  expect((await podsOf()).map((p) => p.metadata.name)).not.toContain(first.metadata.name);
});

it('keeps a Deployment available, and rolls it to a new image', async () => {
  const client = cluster.client;
  const clock = cluster.clock;
  const DEPLOYMENTS = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
  type Deploy = KubeObject & {
    spec: { template: { spec: { containers: { image: string }[] } } };
    status?: { availableReplicas?: number; updatedReplicas?: number; replicas?: number; observedGeneration?: number };
  };
  const web = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } },
  };
  await client.create(DEPLOYMENTS, web as KubeObject);
  await until('2 available replicas', async () => ((await client.get<Deploy>(DEPLOYMENTS, 'web', 'default')).status?.availableReplicas === 2 ? true : undefined), clock);
  await client.patch(DEPLOYMENTS, 'web', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } }, 'strategic', { namespace: 'default' });
  const rolled = await until(
    'the rollout to finish',
    async () => {
      const d = await client.get<Deploy>(DEPLOYMENTS, 'web', 'default');
      const observed = d.status?.observedGeneration === d.metadata.generation;
      return observed && d.status?.updatedReplicas === 2 && d.status.availableReplicas === 2 && d.status.replicas === 2 ? d : undefined;
    },
    clock,
  );
  expect(rolled.spec.template.spec.containers[0]!.image).toBe('nginx:1.27');
  const pods = (await client.list(PODS, { namespace: 'default', labelSelector: 'app=web' })).items as (KubeObject & { spec: { containers: { image: string }[] } })[];
  expect(pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.containers[0]!.image)).toEqual(['nginx:1.27', 'nginx:1.27']);
});

it('turns a CronTab into a Job that runs to completion (the CRD lesson, made real)', async () => {
  const client = cluster.client;
  const clock = cluster.clock;
  const CRONTABS = { group: 'stable.example.com', version: 'v1', resource: 'crontabs', namespaced: true };
  await client.create(CRONTABS, {
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name: 'nightly', namespace: 'default' },
    spec: { cronSpec: '0 3 * * *', image: 'busybox', replicas: 2 },
  } as KubeObject);
  type CronTab = KubeObject & { status?: { jobName?: string; succeeded?: number; conditions?: { type: string; status: string }[] } };
  const done = await until(
    'the CronTab to report its Job complete',
    async () => {
      const ct = await client.get<CronTab>(CRONTABS, 'nightly', 'default');
      return ct.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? ct : undefined;
    },
    clock,
  );
  expect(done.status).toMatchObject({ jobName: 'nightly', succeeded: 2 });
  const job = await client.get(JOBS, 'nightly', 'default');
  expect(job.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronTab', name: 'nightly', controller: true });
});
