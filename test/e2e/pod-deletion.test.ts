// Graceful deletion of pods in the API server, with no kubelet to finish it: a pod a node
// runs stays Terminating (deletionTimestamp, deletionGracePeriodSeconds) until deleted again
// with a shorter grace period; one no node runs, or one that has finished, goes at once
// (podStrategy.CheckGracefulDelete, rest.BeforeDelete).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type Cluster, VirtualClock } from '../../src/index.js';
import { api } from './http-client.js';

let cluster: Cluster;
let c: ReturnType<typeof api>;
let clock: VirtualClock;
beforeAll(async () => {
  clock = new VirtualClock(new Date());
  cluster = await startCluster({ controllers: 'none', clock });
  c = api(cluster.url);
});
afterAll(async () => cluster?.stop());

const PODS = '/api/v1/namespaces/default/pods';
const pod = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'main', image: 'nginx' }], ...spec },
});
const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;

it('deletes a pod no node runs at once', async () => {
  expect((await c.post(PODS, pod('unscheduled'))).status).toBe(201);
  const del = await c.delete(`${PODS}/unscheduled`);
  expect(del.status).toBe(200);
  expect(del.body).toMatchObject({ kind: 'Pod', metadata: { name: 'unscheduled' } });
  expect((await c.get(`${PODS}/unscheduled`)).status).toBe(404);
});

it('keeps a pod a node runs Terminating for its grace period, shortened only by a shorter one', async () => {
  expect((await c.post(PODS, pod('bound', { nodeName: 'kubesim-node-1' }))).status).toBe(201);
  const t0 = clock.now().getTime();
  const first = await c.delete(`${PODS}/bound`);
  expect(first.status).toBe(200);
  expect(first.body.metadata.deletionGracePeriodSeconds).toBe(30); // the defaulted terminationGracePeriodSeconds
  expect(Date.parse(first.body.metadata.deletionTimestamp)).toBe(seconds(t0 + 30_000));
  const rv = first.body.metadata.resourceVersion;

  // Asking again, or for longer, changes nothing.
  for (const path of [`${PODS}/bound`, `${PODS}/bound?gracePeriodSeconds=60`]) {
    const again = await c.delete(path);
    expect(again.status).toBe(200);
    expect(again.body.metadata.resourceVersion).toBe(rv);
  }
  const dry = await c.delete(`${PODS}/bound?gracePeriodSeconds=0&dryRun=All`);
  expect(dry.status).toBe(200);
  expect((await c.get(`${PODS}/bound`)).body.metadata.resourceVersion).toBe(rv);

  // Shorter: the deletion moves 20 s earlier.
  const shorter = await c.delete(`${PODS}/bound?gracePeriodSeconds=10`);
  expect(shorter.body.metadata.deletionGracePeriodSeconds).toBe(10);
  expect(Date.parse(shorter.body.metadata.deletionTimestamp)).toBe(seconds(t0 + 30_000) - 20_000);

  // Zero (kubectl delete --grace-period=0 --force, or the kubelet when the containers stopped): gone.
  const force = await c.delete(`${PODS}/bound`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 });
  expect(force.status, force.text).toBe(200);
  expect((await c.get(`${PODS}/bound`)).status).toBe(404);
});

it('uses the requested grace period, and deletes a finished pod at once', async () => {
  expect((await c.post(PODS, pod('quick', { nodeName: 'kubesim-node-1', terminationGracePeriodSeconds: 5 }))).status).toBe(201);
  expect((await c.delete(`${PODS}/quick?gracePeriodSeconds=3`)).body.metadata.deletionGracePeriodSeconds).toBe(3);

  expect((await c.post(PODS, pod('done', { nodeName: 'kubesim-node-1', restartPolicy: 'Never' }))).status).toBe(201);
  expect((await c.patch(`${PODS}/done/status`, { status: { phase: 'Succeeded' } }, 'application/merge-patch+json')).status).toBe(200);
  expect((await c.delete(`${PODS}/done`)).status).toBe(200);
  expect((await c.get(`${PODS}/done`)).status).toBe(404);
});

it('refuses a grace period that is not an integer', async () => {
  expect((await c.post(PODS, pod('odd', { nodeName: 'kubesim-node-1' }))).status).toBe(201);
  const bad = await c.delete(`${PODS}/odd?gracePeriodSeconds=soon`);
  expect(bad.status).toBe(400);
  expect(bad.body).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
  expect((await c.get(`${PODS}/odd`)).body.metadata.deletionTimestamp).toBeUndefined();
});
