// A rolling update on a virtual clock that nobody advances, on one node of 110 pods: the new
// pods outnumber the room the terminating old ones leave, so some wait Unschedulable. Each
// pod that leaves the node must send a waiting pod back to the scheduler at once (kube's
// AssignedPodDelete queueing hint, popped from back-off when the scheduler is idle), or the
// rollout would wait for a clock that never moves.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type Cluster, type KubeObject, type ResourceRef } from '../../src/index.js';

const DEPLOY: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const RS: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true };
const EVENTS: ResourceRef = { group: '', version: 'v1', resource: 'events', namespaced: true };
const REPLICAS = 100;

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ controllers: 'all', clock: 'virtual', nodes: 1, logLevel: 'silent' });
});
afterAll(async () => cluster?.stop());

type Obj = Record<string, any>;
const rolledOut = (generation: number) => (d: KubeObject) => {
  const s = (d.status ?? {}) as Obj;
  return s.observedGeneration >= generation && s.replicas === REPLICAS && s.updatedReplicas === REPLICAS && s.availableReplicas === REPLICAS;
};
const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } });

it('rolls a Deployment that fills its node to a new image without the clock moving', async () => {
  const start = cluster.clock.now().getTime();
  await cluster.client.create(DEPLOY, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: REPLICAS, selector: { matchLabels: { app: 'web' } }, template: template('nginx:1.25') },
  });
  await cluster.waitFor('deployment.apps/web', rolledOut(1), { timeout: 30_000 });
  await cluster.client.patch(DEPLOY, 'web', { spec: { template: template('nginx:1.26') } }, 'merge', { namespace: 'default' });
  await cluster.waitFor('deployment.apps/web', rolledOut(2), { timeout: 30_000 });

  const sets = (await cluster.client.list(RS, { namespace: 'default' })).items;
  const old = sets.find((rs) => (rs.spec as Obj).template.spec.containers[0].image === 'nginx:1.25')!;
  await cluster.waitFor(old, (rs) => ((rs.status as Obj | undefined)?.replicas ?? 0) === 0, { timeout: 30_000 });
  // The node did fill up on the way (or this test would prove nothing), and time stood still.
  const events = (await cluster.client.list(EVENTS, { namespace: 'default' })).items;
  expect(events.some((e) => e.reason === 'FailedScheduling' && String(e.message).includes('Too many pods'))).toBe(true);
  expect(cluster.clock.now().getTime()).toBe(start);
}, 120_000);
