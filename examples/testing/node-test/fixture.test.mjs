// kubesim as a node:test fixture: one cluster for this file, a namespace per test.
// Run with `node --test` (see docs/testing.md).
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startCluster } from 'kubesim';

const PODS = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const JOBS = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };

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

let cluster;
let namespace;
let tests = 0;

before(async () => {
  cluster = await startCluster({ clock: 'virtual' });
});
after(() => cluster?.stop());

beforeEach(async () => {
  namespace = `test-${++tests}`;
  await cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
});

/** Applies the manifests, lets the virtual minute pass, and returns the completed Job. */
async function completedJob() {
  await cluster.apply(MANIFESTS, { namespace });
  await cluster.waitFor('job/hello', (job) => job.status?.active === 1, { namespace });
  await cluster.clock.advance('1m');
  return cluster.waitFor('job/hello', { condition: 'Complete' }, { namespace });
}

test('a Job runs to completion on the virtual clock', async () => {
  const [configMap, job] = await cluster.apply(MANIFESTS, { namespace });
  assert.equal(configMap.data.message, 'hello from kubesim');
  assert.equal(job.spec.backoffLimit, 6); // defaulted by the API server, as on a real cluster

  const running = await cluster.waitFor('job/hello', (j) => j.status?.active === 1, { namespace });
  assert.equal(running.status.succeeded ?? 0, 0); // a virtual minute has not passed yet

  await cluster.clock.advance('1m');
  const done = await cluster.waitFor('job/hello', { condition: 'Complete' }, { namespace });
  assert.equal(done.status.succeeded, 1);

  const reasons = (await cluster.events('job/hello', { namespace })).map((e) => e.reason);
  assert.ok(reasons.includes('SuccessfulCreate'), reasons.join());
  assert.ok(reasons.includes('Completed'), reasons.join());
});

test('label and field selectors find the Job pod and the ConfigMap', async () => {
  await completedJob();
  const pods = await cluster.client.list(PODS, {
    namespace,
    labelSelector: 'batch.kubernetes.io/job-name=hello',
    fieldSelector: 'status.phase=Succeeded',
  });
  assert.equal(pods.items.length, 1);
  const configMaps = await cluster.client.list(CONFIGMAPS, { namespace, labelSelector: 'app=hello' });
  assert.deepEqual(configMaps.items.map((c) => c.metadata.name), ['greeting']);
});

test('deleting the Job deletes its pod (garbage collection)', async () => {
  await completedJob();
  const [pod] = (await cluster.client.list(PODS, { namespace, labelSelector: 'batch.kubernetes.io/job-name=hello' })).items;
  assert.ok(pod, 'the Job made a pod');
  await cluster.client.delete(JOBS, 'hello', namespace, { propagationPolicy: 'Background' });
  await cluster.waitFor(`pod/${pod.metadata.name}`, 'deleted', { namespace });
  await cluster.waitFor('configmap/greeting', 'exists', { namespace }); // not owned by the Job: kept
});
