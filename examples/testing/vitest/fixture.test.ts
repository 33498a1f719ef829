// kubesim as a vitest fixture: one cluster for this file, a namespace per test.
// Run with `npx vitest run` (see docs/testing.md).
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startCluster, type Cluster, type KubeObject } from 'kubesim';

const PODS = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const JOBS = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };

interface Job extends KubeObject {
  spec: { backoffLimit?: number };
  status?: { active?: number; succeeded?: number };
}

// The Job's container runs on the cluster's clock: `sleep 60` lasts a virtual minute.
const MANIFESTS = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: greeting
  labels: { app: hello }
data:
  message: hello from kubesim
---
apiVersion: batch/v1
kind: Job
metadata:
  name: hello
  labels: { app: hello }
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: hello
          image: busybox:1.36
          command: ["sh", "-c", "echo hello; sleep 60"]
`;

let cluster: Cluster;
let namespace: string;
let tests = 0;

beforeAll(async () => {
  cluster = await startCluster({ clock: 'virtual' });
});
afterAll(() => cluster?.stop());

beforeEach(async () => {
  namespace = `test-${++tests}`;
  await cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
});

/** Applies the manifests, lets the virtual minute pass, and returns the completed Job. */
async function completedJob(): Promise<Job> {
  await cluster.apply(MANIFESTS, { namespace });
  await cluster.waitFor<Job>('job/hello', (job) => job.status?.active === 1, { namespace });
  await cluster.clock.advance('1m');
  return (await cluster.waitFor<Job>('job/hello', { condition: 'Complete' }, { namespace }))!;
}

it('runs a Job to completion on the virtual clock', async () => {
  const [configMap, job] = await cluster.apply(MANIFESTS, { namespace });
  expect(configMap!.data).toEqual({ message: 'hello from kubesim' });
  expect((job as Job).spec.backoffLimit).toBe(6); // defaulted by the API server, as on a real cluster

  const running = await cluster.waitFor<Job>('job/hello', (j) => j.status?.active === 1, { namespace });
  expect(running!.status?.succeeded ?? 0).toBe(0); // a virtual minute has not passed yet

  await cluster.clock.advance('1m');
  const done = await cluster.waitFor<Job>('job/hello', { condition: 'Complete' }, { namespace });
  expect(done!.status?.succeeded).toBe(1);

  const reasons = (await cluster.events('job/hello', { namespace })).map((e) => e.reason);
  expect(reasons).toEqual(expect.arrayContaining(['SuccessfulCreate', 'Completed']));
});

it('finds the Job pod and the ConfigMap by label and field selectors', async () => {
  await completedJob();
  const pods = await cluster.client.list(PODS, {
    namespace,
    labelSelector: 'batch.kubernetes.io/job-name=hello',
    fieldSelector: 'status.phase=Succeeded',
  });
  expect(pods.items).toHaveLength(1);
  const configMaps = await cluster.client.list(CONFIGMAPS, { namespace, labelSelector: 'app=hello' });
  expect(configMaps.items.map((c) => c.metadata.name)).toEqual(['greeting']);
});

it('deletes the Job pod with the Job (garbage collection)', async () => {
  await completedJob();
  const [pod] = (await cluster.client.list(PODS, { namespace, labelSelector: 'batch.kubernetes.io/job-name=hello' })).items;
  expect(pod).toBeDefined();
  await cluster.client.delete(JOBS, 'hello', namespace, { propagationPolicy: 'Background' });
  await cluster.waitFor(`pod/${pod!.metadata.name}`, 'deleted', { namespace });
  await cluster.waitFor('configmap/greeting', 'exists', { namespace }); // not owned by the Job: kept
});
