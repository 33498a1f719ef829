// The controllers together, in-process as `npx kubesim` runs them: the scheduler binds a
// Job's pods to the simulated node, the kubelet runs them, the Job completes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type Cluster, type KubeObject, type VirtualClock } from '../../src/index.js';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ clock: 'virtual' });
});
afterAll(async () => cluster?.stop());

const JOBS = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };
const PODS = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NODES = { group: '', version: 'v1', resource: 'nodes', namespaced: false };

async function until<T>(what: string, fn: () => Promise<T | undefined>, clock?: VirtualClock): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    clock?.advance(1000);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('runs a Job to completion on the simulated node', async () => {
  const client = cluster.client;
  const clock = cluster.clock as VirtualClock;
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
