// Which deletes the garbage collector asks of the API server: the propagation policy kube's
// attemptToDeleteItem picks (Foreground for a dependent of a waiting owner that has
// dependents of its own, else the policy its own finalizers stand for, else Background) and
// the uid + resourceVersion preconditions. The collector's client records every delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotFound, startCluster, type Client, type Cluster, type DeleteOptions, type ResourceRef, VirtualClock } from '../../src/index.js';
import type { KubeObject, OwnerReference } from '../../src/apiserver/object.js';
import { recorderFactory } from '../../src/controllers/definition.js';
import { Manager } from '../../src/controllers/runtime/manager.js';
import { garbageCollectorController } from '../../src/controllers/garbagecollector/setup.js';

const CM: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const NS = 'default';

interface RecordedDelete {
  name: string;
  opts: DeleteOptions | undefined;
}

let cluster: Cluster;
let client: Client;
let clock: VirtualClock;
let manager: Manager;
const errors: unknown[] = [];
const deletes: RecordedDelete[] = [];

beforeAll(async () => {
  clock = new VirtualClock(new Date());
  cluster = await startCluster({ controllers: 'none', clock });
  client = cluster.client;
  const recording = new Proxy(client, {
    get(target, prop) {
      if (prop === 'delete') {
        return (ref: ResourceRef, name: string, namespace?: string, opts?: DeleteOptions) => {
          if (ref.resource === 'configmaps') deletes.push({ name, opts });
          return target.delete(ref, name, namespace, opts);
        };
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const onError = (e: unknown) => errors.push(e);
  manager = new Manager({ client: recording, clock, onError });
  await garbageCollectorController.setup({ client: recording, clock, manager, recorder: recorderFactory(recording, clock, onError), nodes: 1, onError });
  await manager.start();
});
afterAll(async () => {
  await manager?.stop();
  await cluster?.stop();
});

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; errors: ${errors.map(String).join('; ')}`);
    clock.advance(100);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const refTo = (o: KubeObject, block = true): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name!, uid: o.metadata.uid!, blockOwnerDeletion: block });
const createCM = (name: string, meta: Partial<KubeObject['metadata']> = {}) => client.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS, ...meta } });
const gone = (name: string) =>
  until(`${name} gone`, async () => {
    try {
      await client.get(CM, name, NS);
      return false;
    } catch (e) {
      return isNotFound(e);
    }
  });
/** Give the collector's informers a moment to see what was just created. */
const observed = () => new Promise((r) => setTimeout(r, 50));
const deleteOf = (name: string) => deletes.find((d) => d.name === name);

describe('garbage collector delete requests', () => {
  it('deletes a dependent of a foreground-deleting owner in foreground when it has dependents, with uid and resourceVersion preconditions', async () => {
    const root = await createCM('p-root', { finalizers: ['foregroundDeletion'] });
    const mid = await createCM('p-mid', { ownerReferences: [refTo(root)] });
    await createCM('p-leaf', { ownerReferences: [refTo(mid)] });
    await observed();
    await client.delete(CM, 'p-root', NS);
    await gone('p-root');
    await gone('p-mid');
    await gone('p-leaf');
    expect(deleteOf('p-mid')?.opts).toEqual({ propagationPolicy: 'Foreground', preconditions: { uid: mid.metadata.uid, resourceVersion: mid.metadata.resourceVersion } });
    // The leaf has no dependents: whether its owner is gone or waiting, Background.
    expect(deleteOf('p-leaf')?.opts?.propagationPolicy).toBe('Background');
  });

  it("honours the orphan finalizer of a dependent it collects, so the dependent's own dependents stay", async () => {
    const root = await createCM('o-root');
    const mid = await createCM('o-mid', { ownerReferences: [refTo(root)], finalizers: ['orphan'] });
    await createCM('o-leaf', { ownerReferences: [refTo(mid)] });
    await observed();
    await client.delete(CM, 'o-root', NS);
    await gone('o-mid');
    expect(deleteOf('o-mid')?.opts?.propagationPolicy).toBe('Orphan');
    const leaf = await until('o-leaf released', async () => {
      const l = await client.get(CM, 'o-leaf', NS);
      return !l.metadata.ownerReferences && l;
    });
    expect(leaf.metadata.deletionTimestamp).toBeUndefined();
    expect(errors).toEqual([]);
  });
});
