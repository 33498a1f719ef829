// The namespace controller on a virtual clock, with the scheduler, kubelet and Job controller
// running so the namespace holds real running pods: a deleted namespace is emptied (ConfigMaps,
// a Job and its pods, custom resources) and removed, and while a custom resource's finalizer
// holds it the NamespaceContentRemaining / NamespaceFinalizersRemaining conditions say so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Cluster, VirtualClock } from '../../src/index.js';
import type { KubeObject } from '../../src/apiserver/object.js';
import { isNotFound } from '../../src/clients/interfaces.js';
import { jobController } from '../../src/controllers/job/setup.js';
import { kubeletController } from '../../src/controllers/kubelet/index.js';
import { namespaceController } from '../../src/controllers/namespace/setup.js';
import { replicaSetController } from '../../src/controllers/replicaset/setup.js';
import { schedulerController } from '../../src/controllers/scheduler/index.js';
import { startWithControllers, waitFor, type ControllerHarness } from './controller-harness.js';

const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces', namespaced: false };
const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const PODS = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const JOBS = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };
const CRDS = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', namespaced: false };
const REPLICASETS = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true };
const WIDGETS = { group: 'example.com', version: 'v1', resource: 'widgets', namespaced: true };

let cluster: Cluster;
let client: Client;
let clock: VirtualClock;
let harness: ControllerHarness;

beforeAll(async () => {
  harness = await startWithControllers([namespaceController, schedulerController, kubeletController, jobController]);
  ({ cluster, clock } = harness);
  client = cluster.client;
  await client.create(CRDS, {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  });
  await waitFor('widgets to be served', async () => (await client.serverResources()).some((r) => r.resource === 'widgets'));
});
afterAll(async () => harness?.stop());

const widget = (namespace: string, name: string, finalizers?: string[]): KubeObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name, namespace, ...(finalizers ? { finalizers } : {}) },
  spec: { size: 1 },
});

async function gone(name: string): Promise<boolean> {
  try {
    await client.get(NAMESPACES, name);
    return false;
  } catch (e) {
    if (isNotFound(e)) return true;
    throw e;
  }
}

/** Moves the clock a second at a time, letting the controllers answer each step, until `done`. */
async function advanceUntil(what: string, done: () => Promise<boolean>, maxSeconds: number): Promise<number> {
  for (let s = 0; s <= maxSeconds; s++) {
    if (await done()) return s;
    clock.advance(1000);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${what}: not within ${maxSeconds}s of cluster time`);
}

const conditionsOf = async (name: string) =>
  ((await client.get(NAMESPACES, name)).status as { conditions?: { type: string; status: string; reason: string; message: string }[] }).conditions ?? [];

describe('namespace controller', () => {
  it('empties a namespace of ConfigMaps, a Job with running pods and custom resources, then removes it', async () => {
    await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    for (const name of ['a', 'b']) {
      await client.create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data: { k: name } });
      await client.create(WIDGETS, widget('shop', name));
    }
    await client.create(JOBS, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'worker', namespace: 'shop' },
      spec: { parallelism: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] } } },
    });
    await waitFor('two running pods', async () => {
      const pods = (await client.list(PODS, { namespace: 'shop' })).items;
      return pods.length === 2 && pods.every((p) => (p.status as { phase?: string }).phase === 'Running');
    });

    const deleted = await client.delete(NAMESPACES, 'shop');
    expect(deleted.status).toMatchObject({ phase: 'Terminating' });
    // Nothing happens during namespaceDeletionGracePeriod.
    clock.advance(4000);
    await new Promise((r) => setTimeout(r, 50));
    expect((await client.list(CONFIGMAPS, { namespace: 'shop' })).items).toHaveLength(2);

    const took = await advanceUntil('namespace shop removed', () => gone('shop'), 60);
    // Pods are deleted gracefully (terminationGracePeriodSeconds 30): the namespace waits for them.
    expect(took).toBeGreaterThan(1);
    for (const ref of [CONFIGMAPS, PODS, JOBS, WIDGETS]) expect((await client.list(ref, { namespace: 'shop' })).items, ref.resource).toEqual([]);
    expect(harness.errors).toEqual([]);
  });

  it('reports what holds a namespace in its conditions while a custom resource finalizer remains, then releases it', async () => {
    await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'held' } });
    await client.create(WIDGETS, widget('held', 'stuck', ['example.com/hold']));
    await client.create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'held' } });
    await client.delete(NAMESPACES, 'held');

    await advanceUntil('conditions reported', async () => (await conditionsOf('held')).length === 5, 10);
    const conditions = await conditionsOf('held');
    expect(conditions.map(({ type, status, reason, message }) => ({ type, status, reason, message }))).toEqual([
      { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
      { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
      { type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
      { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: widgets.example.com has 1 resource instances' },
      { type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizerRemain', message: 'Some finalizers are remaining: example.com/hold in 1 resource instances' },
    ]);
    const ns = await client.get(NAMESPACES, 'held');
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect((await client.list(CONFIGMAPS, { namespace: 'held' })).items).toEqual([]);
    const stuck = await client.get(WIDGETS, 'stuck', 'held');
    expect(stuck.metadata.deletionTimestamp).toBeTruthy();

    // Still held a minute later: the controller keeps looking, it does not give up.
    clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(await gone('held')).toBe(false);

    await client.patch(WIDGETS, 'stuck', { metadata: { finalizers: null } }, 'merge', { namespace: 'held' });
    // Re-checked after half the 15-second finalizer estimate, plus a second (counted from when
    // the last pass ended, which may be a few steps into this loop on a busy machine).
    const took = await advanceUntil('namespace held removed', () => gone('held'), 20);
    expect(took).toBeGreaterThan(0);
    expect(harness.errors).toEqual([]);
  });
});

describe('workload controllers in a terminating namespace', () => {
  let h: ControllerHarness;
  beforeAll(async () => {
    // No namespace controller: the namespace stays Terminating with its content.
    h = await startWithControllers([jobController, replicaSetController]);
  });
  afterAll(async () => h?.stop());

  it('do not report the Forbidden creates of replacement pods as errors, as kube ignores the NamespaceTerminating cause', async () => {
    const c = h.cluster.client;
    await c.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'closing' } });
    const template = { metadata: { labels: { app: 'x' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } };
    await c.create(JOBS, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'closing' }, spec: { template } });
    await c.create(REPLICASETS, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'rs', namespace: 'closing' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'x', rs: 'rs' } }, template: { ...template, metadata: { labels: { app: 'x', rs: 'rs' } }, spec: { ...template.spec, restartPolicy: 'Always' } } },
    });
    const pods = await waitFor('a pod of each', async () => {
      const items = (await c.list(PODS, { namespace: 'closing' })).items;
      return items.length === 2 && items;
    });
    await c.delete(NAMESPACES, 'closing');
    for (const p of pods) {
      await c.patch(PODS, p.metadata.name!, { metadata: { finalizers: null } }, 'merge', { namespace: 'closing' });
      await c.delete(PODS, p.metadata.name!, 'closing', { gracePeriodSeconds: 0 });
    }
    // Both controllers try to replace their pod, are refused, and say nothing.
    await waitFor('both controllers to look again', async () => {
      const rs = await c.get(REPLICASETS, 'rs', 'closing');
      return (rs.status as { replicas?: number }).replicas === 0;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect((await c.list(PODS, { namespace: 'closing' })).items).toEqual([]);
    expect(h.errors).toEqual([]);
  });
});

describe('system namespaces', () => {
  it('brings kube-node-lease back within a minute of it being removed, as kube-apiserver does', async () => {
    const h = await startWithControllers([]);
    try {
      const c = h.cluster.client;
      const deleted = await c.delete(NAMESPACES, 'kube-node-lease');
      const oldUid = deleted.metadata.uid;
      // Released as the namespace controller would, once its content is gone.
      await c.update(NAMESPACES, { ...deleted, spec: { finalizers: [] } }, { subresource: 'finalize' });
      await expect(c.get(NAMESPACES, 'kube-node-lease')).rejects.toMatchObject({ code: 404 });
      h.clock.advance(59_000);
      await new Promise((r) => setTimeout(r, 50));
      await expect(c.get(NAMESPACES, 'kube-node-lease')).rejects.toMatchObject({ code: 404 });
      h.clock.advance(1_000);
      const back = await waitFor('kube-node-lease recreated', () => c.get(NAMESPACES, 'kube-node-lease').catch(() => undefined));
      expect(back.metadata.uid).not.toBe(oldUid);
      expect(back.status).toEqual({ phase: 'Active' });
    } finally {
      await h.stop();
    }
  });
});
