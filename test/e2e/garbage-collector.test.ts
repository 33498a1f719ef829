// The garbage collector alone against an in-process cluster on a virtual clock: background
// chains, foreground and orphan deletion (the foregroundDeletion / orphan finalizers set by
// the test, as the API server's propagationPolicy would), dangling references, the
// OwnerRefInvalidNamespace event, and a custom kind established after the collector started.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotFound, type Client, type ResourceRef, type VirtualClock } from '../../src/index.js';
import type { KubeObject, OwnerReference } from '../../src/apiserver/object.js';
import { garbageCollectorController } from '../../src/controllers/garbagecollector/setup.js';
import { startWithControllers, type ControllerHarness } from './controller-harness.js';

const CM: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const NAMESPACES: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', namespaced: false };
const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
const EVENTS: ResourceRef = { group: '', version: 'v1', resource: 'events', namespaced: true };
const CRDS: ResourceRef = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', namespaced: false };
const WIDGETS: ResourceRef = { group: 'gc.example.com', version: 'v1', resource: 'widgets', namespaced: true };
const NS = 'default';

let client: Client;
let clock: VirtualClock;
let harness: ControllerHarness;

beforeAll(async () => {
  harness = await startWithControllers([garbageCollectorController]);
  client = harness.cluster.client;
  clock = harness.clock;
});
afterAll(async () => harness?.stop());

/** Poll, nudging the virtual clock so the controllers' timers and retries fire. */
const until = <T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 5000) => harness.until(what, check, { timeoutMs, nudgeMs: 100 });

const refTo = (owner: KubeObject, extra: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: owner.apiVersion!,
  kind: owner.kind!,
  name: owner.metadata.name!,
  uid: owner.metadata.uid!,
  ...extra,
});

function configMap(name: string, opts: { owners?: OwnerReference[]; finalizers?: string[]; namespace?: string } = {}): KubeObject {
  const metadata: KubeObject['metadata'] = { name, namespace: opts.namespace ?? NS };
  if (opts.owners) metadata.ownerReferences = opts.owners;
  if (opts.finalizers) metadata.finalizers = opts.finalizers;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata };
}

const createCM = (name: string, opts: Parameters<typeof configMap>[1] = {}) => client.create(CM, configMap(name, opts));
const exists = async (ref: ResourceRef, name: string, namespace?: string): Promise<boolean> => {
  try {
    await client.get(ref, name, namespace);
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
};
const gone = (ref: ResourceRef, name: string, namespace?: string) => until(`${ref.resource} ${name} gone`, async () => !(await exists(ref, name, namespace)));

/** Advance the clock a while and let the collector work, then check something stayed. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    clock.advance(100);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('garbage collector: background', () => {
  it('deletes a whole chain of dependents after the root goes', async () => {
    const a = await createCM('bg-a');
    const b = await createCM('bg-b', { owners: [refTo(a)] });
    await createCM('bg-c', { owners: [refTo(b)] });
    await client.delete(CM, 'bg-a', NS);
    await gone(CM, 'bg-b', NS);
    await gone(CM, 'bg-c', NS);
  });

  it('keeps a dependent while one of its owners lives, dropping the reference to the gone one', async () => {
    const a = await createCM('multi-a');
    const b = await createCM('multi-b');
    await createCM('multi-dep', { owners: [refTo(a), refTo(b)] });
    await client.delete(CM, 'multi-a', NS);
    const dep = await until('reference to multi-a removed', async () => {
      const d = await client.get(CM, 'multi-dep', NS);
      return d.metadata.ownerReferences?.length === 1 && d;
    });
    expect(dep.metadata.ownerReferences).toEqual([refTo(b)]);
    await client.delete(CM, 'multi-b', NS);
    await gone(CM, 'multi-dep', NS);
  });

  it('collects a dependent whose owner never existed, and one whose owner has another uid', async () => {
    await createCM('absent-dep', { owners: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'never-created', uid: '00000000-0000-4000-8000-000000000001' }] });
    const real = await createCM('real-owner');
    await createCM('mismatch-dep', { owners: [{ ...refTo(real), uid: '00000000-0000-4000-8000-000000000002' }] });
    await createCM('good-dep', { owners: [refTo(real)] });
    await gone(CM, 'absent-dep', NS);
    await gone(CM, 'mismatch-dep', NS);
    await settle();
    expect(await exists(CM, 'good-dep', NS)).toBe(true);
    expect(await exists(CM, 'real-owner', NS)).toBe(true);
  });

  it('collects namespaced dependents of a cluster-scoped owner, looked for outside any namespace', async () => {
    const owner = await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gc-owner-ns' } });
    await createCM('of-namespace', { owners: [refTo(owner)] });
    await settle();
    expect(await exists(CM, 'of-namespace', NS)).toBe(true);
    const node = await client.create(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'gc-owner-node' } });
    await createCM('of-node', { owners: [refTo(node)] });
    await client.delete(NODES, 'gc-owner-node');
    await gone(CM, 'of-node', NS);
  });
});

describe('garbage collector: foreground', () => {
  it('keeps the owner until its blocking dependent is gone, then removes foregroundDeletion', async () => {
    const owner = await createCM('fg-owner', { finalizers: ['foregroundDeletion'] });
    await createCM('fg-held', { owners: [refTo(owner, { blockOwnerDeletion: true })], finalizers: ['example.com/hold'] });
    await createCM('fg-free', { owners: [refTo(owner)] });
    await client.delete(CM, 'fg-owner', NS);
    // The dependent is deleted, but its own finalizer holds it Terminating, so the owner waits.
    await until('fg-held terminating', async () => !!(await client.get(CM, 'fg-held', NS)).metadata.deletionTimestamp);
    await settle();
    const waiting = await client.get(CM, 'fg-owner', NS);
    expect(waiting.metadata.deletionTimestamp).toBeTruthy();
    expect(waiting.metadata.finalizers).toEqual(['foregroundDeletion']);
    await client.patch(CM, 'fg-held', { metadata: { finalizers: null } }, 'merge', { namespace: NS });
    await gone(CM, 'fg-owner', NS);
    await gone(CM, 'fg-free', NS);
  });

  it('lets a dependent with another live owner go free of the waiting owner', async () => {
    const owner = await createCM('fg2-owner', { finalizers: ['foregroundDeletion'] });
    const other = await createCM('fg2-other');
    await createCM('fg2-dep', { owners: [refTo(owner, { blockOwnerDeletion: true }), refTo(other)] });
    await client.delete(CM, 'fg2-owner', NS);
    await gone(CM, 'fg2-owner', NS);
    const dep = await client.get(CM, 'fg2-dep', NS);
    expect(dep.metadata.ownerReferences).toEqual([refTo(other)]);
  });
});

describe('garbage collector: orphan', () => {
  it('removes the owner reference from every dependent, then the orphan finalizer', async () => {
    const owner = await createCM('or-owner', { finalizers: ['orphan'] });
    const other = await createCM('or-other');
    await createCM('or-dep1', { owners: [refTo(owner, { controller: true, blockOwnerDeletion: true })] });
    await createCM('or-dep2', { owners: [refTo(owner), refTo(other)] });
    await client.delete(CM, 'or-owner', NS);
    await gone(CM, 'or-owner', NS);
    await settle();
    expect((await client.get(CM, 'or-dep1', NS)).metadata.ownerReferences).toBeUndefined();
    expect((await client.get(CM, 'or-dep2', NS)).metadata.ownerReferences).toEqual([refTo(other)]);
  });
});

describe('garbage collector: invalid namespace references', () => {
  it('records OwnerRefInvalidNamespace and collects a dependent naming an owner in another namespace', async () => {
    await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gc-other' } });
    const owner = await createCM('xns-owner');
    await settle(); // observed by the collector before its dependent names it from elsewhere
    const dep = await createCM('xns-dep', { namespace: 'gc-other', owners: [refTo(owner)] });
    await gone(CM, 'xns-dep', 'gc-other');
    expect(await exists(CM, 'xns-owner', NS)).toBe(true);
    const ev = await until('OwnerRefInvalidNamespace event', async () =>
      (await client.list(EVENTS, { namespace: 'gc-other' })).items.find((e) => e.reason === 'OwnerRefInvalidNamespace'),
    );
    expect(ev).toMatchObject({
      type: 'Warning',
      involvedObject: { kind: 'ConfigMap', name: 'xns-dep', namespace: 'gc-other', uid: dep.metadata.uid },
      message: `ownerRef [v1/ConfigMap, namespace: gc-other, name: xns-owner, uid: ${owner.metadata.uid}] does not exist in namespace "gc-other"`,
      source: { component: 'garbage-collector-controller' },
    });
  });

  it('leaves a cluster-scoped dependent of a namespaced owner alone, with the event in namespace ""', async () => {
    const owner = await createCM('cs-owner');
    await settle();
    const node = await client.create<KubeObject>(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'gc-cs-dep', ownerReferences: [refTo(owner)] } });
    const ev = await until('OwnerRefInvalidNamespace event', async () =>
      (await client.list(EVENTS, { namespace: 'default' })).items.find((e) => e.reason === 'OwnerRefInvalidNamespace' && (e.involvedObject as any).name === 'gc-cs-dep'),
    );
    expect(ev.message).toBe(`ownerRef [v1/ConfigMap, namespace: , name: cs-owner, uid: ${owner.metadata.uid}] does not exist in namespace ""`);
    await client.delete(CM, 'cs-owner', NS);
    await settle();
    // kube cannot tell where a namespaced owner of a cluster-scoped object would be, so it never collects it.
    expect((await client.get(NODES, 'gc-cs-dep')).metadata.uid).toBe(node.metadata.uid);
  });
});

describe('garbage collector: custom resources', () => {
  it('watches a kind whose CRD is established after it started, and lets it go when the CRD is deleted', async () => {
    await client.create(CRDS, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.gc.example.com' },
      spec: {
        group: 'gc.example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    const w = await until('widgets served', async () => client.create(WIDGETS, { apiVersion: 'gc.example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: NS } }));
    const child = await client.create(WIDGETS, { apiVersion: 'gc.example.com/v1', kind: 'Widget', metadata: { name: 'w2', namespace: NS, ownerReferences: [refTo(w)] } });
    await createCM('of-widget', { owners: [refTo(child)] });
    await client.delete(WIDGETS, 'w1', NS);
    await gone(WIDGETS, 'w2', NS);
    await gone(CM, 'of-widget', NS);

    // A ConfigMap owned by a Widget outlives nothing once the CRD, and with it every Widget, is gone.
    const w3 = await client.create(WIDGETS, { apiVersion: 'gc.example.com/v1', kind: 'Widget', metadata: { name: 'w3', namespace: NS } });
    await createCM('of-w3', { owners: [refTo(w3)] });
    await settle();
    expect(await exists(CM, 'of-w3', NS)).toBe(true);
    await client.delete(CRDS, 'widgets.gc.example.com');
    await gone(CRDS, 'widgets.gc.example.com');
    await gone(CM, 'of-w3', NS);
    expect(harness.errors).toEqual([]);
  });
});
